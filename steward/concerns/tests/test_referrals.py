"""Employers see a referred concern's summary and cited standards, the report only
when the reporter allowed it, and never who raised it, their messages, notes or
files. Registrars see urgent flags."""

import json

import pytest
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.concerns import services, triage
from steward.concerns.tests.factories_staff import (
    ANSWERS,
    REPORTER,
    TODAY,
    WHAT,
    concern,
    fresh,
    give_role,
    manager,
)
from steward.organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db

SUMMARY = "Staff say incident forms were destroyed before an inspection. Please investigate."
NOTE = "Staff note: reporter works nights on the acute medical unit"
MESSAGE = "Please send the names of the other nurses on that shift"
REASONS = "Regulator's own reasoning: likely breach of CC10"


@pytest.fixture(autouse=True)
def today(travel, settings):
    settings.DEMO_SKIP_MFA = True
    travel(TODAY)


@pytest.fixture
def caseworker(make_user):
    return make_user("caseworker")


@pytest.fixture
def chair(make_user, organisation):
    return make_user("chair", organisation=organisation)


@pytest.fixture
def elsewhere(region):
    return Organisation.objects.create(
        ods_code="RXX",
        name="Another NHS Trust",
        org_type=OrganisationType.NHS_TRUST,
        region=region,
        search_name="another nhs trust",
    )


def referred(caseworker, organisation, *, employer_may_see: bool):
    item = concern(
        organisation=organisation,
        registrant=manager(organisation),
        anonymity="confidential",
        employer_may_see=employer_may_see,
        with_file=True,
    )
    triage.staff_note_add(concern=item, body=NOTE, actor=caseworker)
    triage.concern_message_send(concern=item, body=MESSAGE, actor=caseworker)
    services.reporter_message_add(concern=fresh(item), body="The reporter's own reply text")
    item = fresh(item)
    decision = triage.triage_decide(
        concern=item,
        outcome="refer_to_employer",
        cited_refs=["CC10", "NE2"],
        reasons=REASONS,
        employer_summary=SUMMARY,
        actor=caseworker,
        version=item.version,
    )
    return item, decision


RESTRICTED = (
    REPORTER["name"],
    REPORTER["email"],
    NOTE,
    MESSAGE,
    "The reporter's own reply text",
    REASONS,
    "ward-7-rota",
    "Confidential",
    "confidential",
    "Anonymous",
    "anonymous",
)


def assert_nothing_restricted(text: str, *, answers_allowed: bool) -> None:
    for secret in RESTRICTED:
        assert secret not in text, secret
    for answer in ANSWERS.values():
        assert (answer in text) == answers_allowed, answer


def test_the_employer_sees_the_summary_and_standards_but_not_the_report_unless_allowed(
    client, caseworker, chair, organisation
):
    item, decision = referred(caseworker, organisation, employer_may_see=False)
    client.force_login(chair)
    listing = client.get(reverse("concerns:referrals")).content.decode()
    assert item.reference in listing and "Priya Director" in listing
    assert_nothing_restricted(listing, answers_allowed=False)
    before = AuditEvent.objects.count()
    page = client.get(reverse("concerns:referral", kwargs={"pk": decision.pk})).content.decode()
    assert item.reference in page and SUMMARY in page
    assert "CC10 Keep accurate records and use information properly" in page
    assert "NE2 Falsifying records" in page
    assert "did not agree to share their report" in page
    assert_nothing_restricted(page, answers_allowed=False)
    assert not AuditEvent.objects.filter(pk__gt=before).exists()


def test_the_employer_reads_the_report_when_allowed_and_the_reading_is_recorded(
    client, caseworker, chair, organisation
):
    item, decision = referred(caseworker, organisation, employer_may_see=True)
    client.force_login(chair)
    page = client.get(reverse("concerns:referral", kwargs={"pk": decision.pk})).content.decode()
    assert WHAT in page
    assert_nothing_restricted(page, answers_allowed=True)
    event = AuditEvent.objects.filter(actor=chair).get()
    assert event.action == "concerns.concern.restricted_viewed"
    assert json.loads(event.payload)["fields"] == ["concern_content", "subject_description"]


def test_the_api_gives_employers_only_the_allowed_parts(client, caseworker, chair, organisation):
    hidden_item, hidden = referred(caseworker, organisation, employer_may_see=False)
    shown_item, shown = referred(caseworker, organisation, employer_may_see=True)
    client.force_login(chair)
    listing = client.get("/api/v1/concerns/referrals")
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == 2
    assert {i["reference"] for i in body["items"]} == {hidden_item.reference, shown_item.reference}
    assert_nothing_restricted(listing.content.decode(), answers_allowed=False)
    first = client.get(f"/api/v1/concerns/referrals/{hidden.pk}")
    assert first.json()["answers"] is None
    assert first.json()["cited"][0] == {
        "ref": "CC10",
        "title": "Keep accurate records and use information properly",
    }
    assert_nothing_restricted(first.content.decode(), answers_allowed=False)
    second = client.get(f"/api/v1/concerns/referrals/{shown.pk}")
    assert second.json()["answers"]["what_happened"] == WHAT
    assert_nothing_restricted(second.content.decode(), answers_allowed=True)


def test_only_the_leaders_of_the_organisation_referred_to_see_it(
    client, caseworker, organisation, elsewhere, make_user
):
    _, decision = referred(caseworker, organisation, employer_may_see=True)
    url = reverse("concerns:referral", kwargs={"pk": decision.pk})
    api = f"/api/v1/concerns/referrals/{decision.pk}"
    other_chair = make_user("chair", organisation=elsewhere)
    client.force_login(other_chair)
    assert client.get(url).status_code == 403
    assert client.get(api).status_code == 404
    assert client.get("/api/v1/concerns/referrals").json()["items"] == []
    director = make_user("senior_independent_director", organisation=organisation)
    client.force_login(director)
    assert client.get(url).status_code == 403
    assert client.get(api).status_code == 403
    # A chair who also leads the organisation referred to sees it.
    give_role(other_chair, "hr_lead", organisation)
    client.force_login(other_chair)
    assert client.get(url).status_code == 200
    assert client.get(reverse("concerns:referral", kwargs={"pk": 999999})).status_code == 404


def test_a_decision_that_is_not_a_referral_is_not_found(client, caseworker, chair, organisation):
    item = concern(organisation=organisation, registrant=manager(organisation))
    decision = triage.triage_decide(
        concern=item,
        outcome="open_case",
        cited_refs=["CC10"],
        reasons=REASONS,
        actor=caseworker,
        version=item.version,
    )
    client.force_login(chair)
    assert client.get(reverse("concerns:referral", kwargs={"pk": decision.pk})).status_code == 404


# --- Urgent flags ------------------------------------------------------------------


def test_the_registrar_sees_urgent_flags_and_marks_them_seen(
    client, caseworker, make_user, organisation
):
    registrant = manager(organisation)
    item = concern(organisation=organisation, registrant=registrant)
    decision = triage.triage_decide(
        concern=item,
        outcome="urgent_action",
        cited_refs=["CC2", "NE3"],
        reasons="Patients at immediate risk on ward 7",
        actor=caseworker,
        version=item.version,
    )
    registrar = make_user("registrar")
    client.force_login(registrar)
    page = client.get(reverse("concerns:urgent")).content.decode()
    assert item.reference in page and "Patients at immediate risk on ward 7" in page
    assert "NE3 Suppressing a patient safety concern" in page
    record = reverse(
        "register_manage:record", kwargs={"registration_number": registrant.registration_number}
    )
    assert f'href="{record}"' in page
    assert "Not seen" in page and WHAT not in page and REPORTER["name"] not in page
    seen = reverse("concerns:urgent_seen", kwargs={"pk": decision.pk})
    response = client.post(seen)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.registrar_seen_by == registrar
    page = client.get(reverse("concerns:urgent")).content.decode()
    assert "Mark as seen" not in page and "Seen by" in page
    again = client.post(seen, follow=True).content.decode()
    assert "already marked this flag as seen" in again
    assert AuditEvent.objects.filter(action="concerns.urgent_flag.seen").count() == 1
    assert client.post(reverse("concerns:urgent_seen", kwargs={"pk": 999999})).status_code == 404


def test_the_referral_and_urgent_lists_run_a_bounded_number_of_queries(
    client, caseworker, chair, make_user, organisation, django_assert_max_num_queries
):
    registrar = make_user("registrar")

    def add(count):
        for index in range(count):
            item = concern(
                organisation=organisation,
                registrant=manager(organisation, names=("Person", f"Number{index}")),
            )
            outcome = "refer_to_employer" if index % 2 else "urgent_action"
            triage.triage_decide(
                concern=item,
                outcome=outcome,
                cited_refs=["CC10", "NE2"],
                reasons=REASONS,
                employer_summary=SUMMARY,
                actor=caseworker,
                version=item.version,
            )

    def measure():
        counts = []
        for user, name in ((chair, "concerns:referrals"), (registrar, "concerns:urgent")):
            client.force_login(user)
            client.get(reverse(name))
            with django_assert_max_num_queries(100) as queries:
                assert client.get(reverse(name)).status_code == 200
            counts.append(len(queries.captured_queries))
        return counts

    add(2)
    few = measure()
    add(8)
    assert measure() == few


def test_a_chief_executive_who_is_the_subject_never_receives_or_reads_the_referral(
    client, caseworker, chair, organisation, make_user, django_capture_on_commit_callbacks
):
    from django.core import mail

    chief = make_user("chief_executive", organisation=organisation, email="ceo@rr8.example")
    subject = manager(organisation, user=chief, names=("Morgan", "Chief"))
    with django_capture_on_commit_callbacks(execute=True):
        item = concern(
            organisation=organisation,
            registrant=subject,
            anonymity="confidential",
            employer_may_see=True,
        )
        decision = triage.triage_decide(
            concern=item,
            outcome="refer_to_employer",
            cited_refs=["CC1"],
            reasons=REASONS,
            employer_summary=SUMMARY,
            actor=caseworker,
            version=item.version,
        )
    to_chief = [m for m in mail.outbox if "ceo@rr8.example" in m.to]
    # Told as the subject (never who raised it), not as the employer receiving it.
    assert [m.subject for m in to_chief] == ["A concern has been raised about you"]
    assert any(chair.email in m.to for m in mail.outbox)

    client.force_login(chief)
    listing = client.get(reverse("concerns:referrals")).content.decode()
    assert item.reference not in listing
    page = client.get(reverse("concerns:referral", kwargs={"pk": decision.pk}))
    assert page.status_code == 403
    api = client.get(f"/api/v1/concerns/referrals/{decision.pk}")
    # They lead the organisation, so they see referrals, but never this one.
    assert api.status_code == 404
    assert WHAT not in page.content.decode() + api.content.decode()

    client.force_login(chair)
    assert client.get(reverse("concerns:referral", kwargs={"pk": decision.pk})).status_code == 200
