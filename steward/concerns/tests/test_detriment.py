"""Detriment: an employer records disciplinary action against someone who raised a concern;
the concerns team is told and reviews it; the employer is never told anything."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.concerns import detriment, reveal, services
from steward.concerns.models import DetrimentFlag
from steward.core import clock
from steward.notifications.models import Notification
from steward.register import services as register_services
from steward.register.disciplinary import disciplinary_action_record

pytestmark = pytest.mark.django_db

SUMMARY = "Suspended pending an investigation into missing rota records."
EMAIL = "ada.okonkwo@nhs.example"
REPORTER_NAME = "Adaeze Okonkwo-Smith"
WHAT = "The director told staff to delete the incident reports from ward 7"


@pytest.fixture(autouse=True)
def _skip_mfa(settings):
    settings.DEMO_SKIP_MFA = True


@pytest.fixture
def person(organisation):
    registrant = register_services.registrant_create(
        legal_forenames="Adaeze",
        legal_surname="Okonkwo-Smith",
        email=EMAIL,
        actor="tests",
        reason="test data",
    )
    register_services.career_role_add(
        registrant=registrant,
        organisation=organisation,
        title="Director of Nursing",
        category="executive_director",
        start_date=dt.date(2024, 1, 1),
        actor="tests",
        reason="test data",
    )
    return registrant


@pytest.fixture
def employer(make_user, organisation):
    return make_user("hr_lead", organisation=organisation, full_name="Harriet Lead")


@pytest.fixture
def caseworker(make_user):
    return make_user("caseworker")


def raise_concern(organisation, anonymity="confidential"):
    identity = {"name": REPORTER_NAME, "email": EMAIL, "phone": ""}
    return services.concern_submit(
        anonymity=anonymity,
        answers={"what_happened": WHAT},
        organisation=organisation,
        reporter_identity=identity if anonymity != "anonymous" else None,
    ).concern


def record(person, organisation, actor, **overrides):
    details = {
        "registrant": person,
        "organisation": organisation,
        "kind": "exclusion",
        "started_on": clock.today(),
        "summary": SUMMARY,
        "actor": actor,
        **overrides,
    }
    return disciplinary_action_record(**details)


# --- The check -----------------------------------------------------------------------------


def test_action_against_someone_who_raised_no_concern_flags_nothing(person, organisation, employer):
    action = record(person, organisation, employer)
    assert action.summary == SUMMARY and action.recorded_by == employer
    assert not DetrimentFlag.objects.exists()


def test_action_against_someone_who_raised_a_concern_is_flagged_to_the_team(
    person, organisation, employer, caseworker, django_capture_on_commit_callbacks
):
    concern = raise_concern(organisation)
    with django_capture_on_commit_callbacks(execute=True):
        action = record(person, organisation, employer)
    flag = DetrimentFlag.objects.get()
    assert flag.concern == concern and flag.disciplinary_action == action
    told = Notification.objects.get(topic="concerns.detriment")
    assert told.user == caseworker
    assert told.url == reverse("concerns:detriment_review", kwargs={"pk": flag.pk})
    assert [m.to for m in mail.outbox] == [[caseworker.email]]
    for text in (told.subject, told.body, mail.outbox[0].body):
        for secret in (REPORTER_NAME, "Adaeze", EMAIL, SUMMARY, concern.reference):
            assert secret not in text
    assert not Notification.objects.filter(user=employer).exists()
    flagged = AuditEvent.objects.get(action="concerns.detriment.flagged")
    assert flagged.payload_data == {"concern": concern.reference}


def test_anonymous_concerns_are_never_matched(person, organisation, employer):
    raise_concern(organisation, "anonymous")
    record(person, organisation, employer)
    assert not DetrimentFlag.objects.exists()


def test_the_check_is_idempotent(person, organisation, employer, caseworker):
    raise_concern(organisation)
    action = record(person, organisation, employer)
    assert len(detriment.disciplinary_action_check(action=action)) == 1
    assert DetrimentFlag.objects.count() == 1
    assert Notification.objects.filter(topic="concerns.detriment").count() == 1


def test_the_employer_sees_and_the_trail_records_the_same_either_way(
    client, person, organisation, employer
):
    client.force_login(employer)
    url = reverse("roster:disciplinary", kwargs={"registration_number": person.registration_number})
    data = {
        "kind": "warning",
        "started_on_day": "2",
        "started_on_month": "3",
        "started_on_year": "2026",
        "summary": SUMMARY,
    }

    def record_through_the_page():
        response = client.post(url, data, follow=True)
        event = (
            AuditEvent.objects.filter(action="register.disciplinary_action.recorded")
            .order_by("seq")
            .last()
        )
        return response, event

    without, event_without = record_through_the_page()
    assert not DetrimentFlag.objects.exists()
    raise_concern(organisation)
    with_flag, event_with = record_through_the_page()
    assert DetrimentFlag.objects.count() == 1

    assert without.redirect_chain == with_flag.redirect_chain
    assert "Disciplinary action recorded for" in with_flag.content.decode()
    for response in (without, with_flag):
        page = response.content.decode()
        main = page[page.index("<main") : page.index("</main>")]
        # The header links to referred concerns for every employer; the page itself
        # says nothing about concerns.
        assert "concern" not in main.lower()
    assert event_without.payload == event_with.payload
    assert event_without.reason == event_with.reason
    assert event_without.subject_id == event_with.subject_id
    assert SUMMARY not in event_with.payload
    assert "concern" not in event_with.payload


# --- Review ----------------------------------------------------------------------------------


@pytest.fixture
def flag(person, organisation, employer):
    raise_concern(organisation)
    record(person, organisation, employer)
    return DetrimentFlag.objects.get()


def test_a_caseworker_reviews_a_flag(client, flag, caseworker):
    client.force_login(caseworker)
    url = reverse("concerns:detriment_review", kwargs={"pk": flag.pk})
    page = client.get(url).content.decode()
    assert SUMMARY in page and "Leeds Teaching Hospitals NHS Trust" in page
    assert flag.concern.reference in page and "Exclusion or suspension from work" in page
    viewed = AuditEvent.objects.get(action="register.disciplinaryaction.restricted_viewed")
    assert viewed.actor_id == caseworker.pk and viewed.payload_data["fields"] == ["summary"]
    assert SUMMARY not in viewed.payload

    empty = client.post(url, {"note": " "}).content.decode()
    assert "Enter what you found and what happens next" in empty
    response = client.post(url, {"note": "Spoke to the trust's guardian: no link."})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.reviewed_by == caseworker and flag.review_note.startswith("Spoke")
    event = AuditEvent.objects.get(action="concerns.detriment.reviewed")
    assert "guardian" not in event.payload
    again = client.post(url, {"note": "Again"}, follow=True).content.decode()
    assert "already been reviewed" in again
    flag.refresh_from_db()
    assert flag.review_note.startswith("Spoke")


def test_the_review_service_refuses_outsiders_and_second_reviews(flag, caseworker, make_user):
    with pytest.raises(PermissionDenied):
        detriment.detriment_flag_review(flag=flag, note="x", actor=make_user("custodian"))
    detriment.detriment_flag_review(flag=flag, note="Reviewed.", actor=caseworker)
    with pytest.raises(ValidationError, match="already reviewed"):
        detriment.detriment_flag_review(flag=flag, note="Again.", actor=make_user("caseworker"))


def test_the_list_and_the_panel_show_unreviewed_flags(
    client, flag, caseworker, django_assert_max_num_queries
):
    client.force_login(caseworker)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("concerns:detriment")).content.decode()
    assert flag.concern.reference in page and "To review" in page
    assert SUMMARY not in page
    panel = reveal.reporter_panel(concern=flag.concern, user=caseworker)
    assert [f["pk"] for f in panel["detriment_flags"]] == [flag.pk]
    detriment.detriment_flag_review(flag=flag, note="Reviewed.", actor=caseworker)
    assert reveal.reporter_panel(concern=flag.concern, user=caseworker)["detriment_flags"] == []
    assert "Reviewed" in client.get(reverse("concerns:detriment")).content.decode()


def test_the_list_is_bounded(
    client, person, organisation, employer, caseworker, django_assert_max_num_queries
):
    raise_concern(organisation)
    for _ in range(5):
        record(person, organisation, employer)
    assert DetrimentFlag.objects.count() == 5
    client.force_login(caseworker)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("concerns:detriment")).status_code == 200
    assert (
        client.get(reverse("concerns:detriment_review", kwargs={"pk": 999_999})).status_code == 404
    )
