"""Disciplinary action recorded by an employer: who may record it, for whom, what is
checked, what the roster shows and what the audit trail keeps (never the summary)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.core import clock
from steward.register import services as register_services
from steward.register.disciplinary import disciplinary_action_record
from steward.register.models import DisciplinaryAction

pytestmark = pytest.mark.django_db

SUMMARY = "Suspended pending an investigation into missing rota records."


@pytest.fixture(autouse=True)
def _skip_mfa(settings):
    settings.DEMO_SKIP_MFA = True


@pytest.fixture
def person(organisation):
    registrant = register_services.registrant_create(
        legal_forenames="Adaeze",
        legal_surname="Okonkwo-Smith",
        email="ada.okonkwo@nhs.example",
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


@pytest.mark.parametrize("role", ["chair", "chief_executive", "hr_lead"])
def test_the_employer_records_it_and_the_trail_keeps_no_summary(
    person, organisation, make_user, role
):
    actor = make_user(role, organisation=organisation)
    action = record(person, organisation, actor, kind="warning", started_on=dt.date(2026, 3, 2))
    assert action.kind == "warning" and action.summary == SUMMARY
    assert action.recorded_by == actor and action.organisation == organisation
    event = AuditEvent.objects.get(action="register.disciplinary_action.recorded")
    assert event.actor_id == actor.pk
    assert event.subject_id == str(person.pk)
    assert event.payload_data == {
        "registration_number": person.registration_number,
        "organisation": "RR8",
        "kind": "warning",
        "started_on": "2026-03-02",
    }
    assert "rota" not in event.payload and "rota" not in event.reason


# --- Refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["senior_independent_director", "registrar", "caseworker"])
def test_only_the_chair_chief_executive_or_hr_lead_records(person, organisation, make_user, role):
    actor = make_user(role, organisation=organisation if role.startswith("senior") else None)
    with pytest.raises(PermissionDenied):
        record(person, organisation, actor)
    assert not DisciplinaryAction.objects.exists()


def test_an_employer_elsewhere_cannot_record(person, organisation, make_user, region):
    from steward.organisations.models import Organisation, OrganisationType

    elsewhere = Organisation.objects.create(
        ods_code="RAE",
        name="Bradford Teaching Hospitals NHS Foundation Trust",
        org_type=OrganisationType.NHS_TRUST,
        region=region,
        search_name="bradford teaching hospitals nhs foundation trust",
    )
    chair = make_user("chair", organisation=elsewhere)
    with pytest.raises(PermissionDenied):
        record(person, organisation, chair)
    with pytest.raises(ValidationError, match="never held a role"):
        record(person, elsewhere, chair)
    assert not DisciplinaryAction.objects.exists()


def test_someone_who_left_can_still_be_recorded(person, organisation, employer):
    role = person.career_roles.get()
    role.end_date = dt.date(2025, 1, 31)
    role.save()
    assert record(person, organisation, employer).pk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"summary": "  "}, "summary"),
        ({"summary": "x" * 5_001}, "summary"),
        ({"kind": "sacking"}, "kind"),
        ({"started_on": clock.today() + dt.timedelta(days=1)}, "started_on"),
    ],
)
def test_bad_details_are_refused_and_change_nothing(person, organisation, employer, changes, field):
    with pytest.raises(ValidationError) as excinfo:
        record(person, organisation, employer, **changes)
    assert field in excinfo.value.message_dict
    assert not DisciplinaryAction.objects.exists()
    assert not AuditEvent.objects.filter(action="register.disciplinary_action.recorded").exists()


# --- The roster pages ------------------------------------------------------------------------


def test_the_person_page_links_to_recording_and_lists_the_organisations_actions(
    client, person, organisation, employer
):
    client.force_login(employer)
    page_url = reverse("roster:person", kwargs={"registration_number": person.registration_number})
    page = client.get(page_url).content.decode()
    assert "Record disciplinary action" in page and "None recorded." in page
    form_url = reverse(
        "roster:disciplinary", kwargs={"registration_number": person.registration_number}
    )
    assert f"{form_url}?organisation=RR8" in page
    form = client.get(f"{form_url}?organisation=RR8")
    assert form.status_code == 200 and "What kind of action is it?" in form.content.decode()

    record(person, organisation, employer)
    page = client.get(page_url).content.decode()
    assert SUMMARY in page and "Exclusion or suspension from work" in page
    viewed = (
        AuditEvent.objects.filter(action="register.registrant.restricted_viewed")
        .order_by("seq")
        .last()
    )
    assert "disciplinary_actions" in viewed.payload_data["fields"]


def test_a_senior_independent_director_does_not_see_them(client, person, organisation, make_user):
    record(person, organisation, make_user("chair", organisation=organisation))
    client.force_login(make_user("senior_independent_director", organisation=organisation))
    page_url = reverse("roster:person", kwargs={"registration_number": person.registration_number})
    page = client.get(page_url).content.decode()
    assert SUMMARY not in page and "Record disciplinary action" not in page
    form_url = reverse(
        "roster:disciplinary", kwargs={"registration_number": person.registration_number}
    )
    assert client.get(form_url).status_code == 403


def test_the_form_shows_errors_and_saves_nothing(client, person, employer):
    client.force_login(employer)
    url = reverse("roster:disciplinary", kwargs={"registration_number": person.registration_number})
    response = client.post(url, {"started_on_day": "31", "started_on_month": "2"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select the kind of action" in page
    assert "Start date must include a year" in page
    assert "Enter a summary of the action" in page
    assert not DisciplinaryAction.objects.exists()


def test_someone_not_on_the_roster_is_not_found(client, employer):
    client.force_login(employer)
    for number in ("M0000000", "nonsense"):
        url = reverse("roster:disciplinary", kwargs={"registration_number": number})
        assert client.get(url).status_code == 404


def test_an_employer_sees_only_its_own_organisations_actions(
    client, person, organisation, employer, make_user, region
):
    from steward.organisations.models import Organisation, OrganisationType

    bradford = Organisation.objects.create(
        ods_code="RAE",
        name="Bradford Teaching Hospitals NHS Foundation Trust",
        org_type=OrganisationType.NHS_TRUST,
        region=region,
        search_name="bradford teaching hospitals nhs foundation trust",
    )
    register_services.career_role_add(
        registrant=person,
        organisation=bradford,
        title="Deputy Director of Nursing",
        category="senior_manager",
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2023, 12, 31),
        actor="tests",
        reason="test data",
    )
    elsewhere = "BRADFORD-ONLY summary of a formal warning"
    bradford_chair = make_user("chair", organisation=bradford)
    record(person, bradford, bradford_chair, kind="warning", summary=elsewhere)
    record(person, organisation, employer)
    client.force_login(employer)
    page_url = reverse("roster:person", kwargs={"registration_number": person.registration_number})
    page = client.get(page_url).content.decode()
    assert SUMMARY in page
    assert elsewhere not in page and "Formal warning" not in page
