"""A not-fit-and-proper outcome appears on the person's restricted record only, and no
restricted value (record, case, sanction or employer action) reaches a public output."""

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.cases.tests.factories import RESTRICTED as CASE_SECRETS
from steward.cases.tests.factories import SUMMARY, decide, make_case
from steward.cases.tests.test_sanctions import TODAY
from steward.fitness import services as fitness_services
from steward.fitness.tests.factories_assessments import (
    assessment_for,
    board_member,
    complete_checks,
)
from steward.register.disciplinary import disciplinary_action_record
from steward.register.services import registrant_update
from steward.register.tests.test_public_api import RESTRICTED_FIELD_NAMES, _schema_names
from steward.register.tests.test_public_views import RESTRICTED as RECORD_SECRETS
from steward.register.tests.test_public_views import make_jane

pytestmark = pytest.mark.django_db

REASONS = "Misled the board about the maternity safety review (test reasons)."


@pytest.fixture
def not_fit(organisation, make_user):
    person = make_user("registrant")
    role = board_member(organisation, user=person, names=("Ffion", "Outcome-Tester"))
    chair = make_user("chair", organisation=organisation)
    assessment = complete_checks(assessment_for(role))
    fitness_services.assessment_conclude(
        assessment=assessment,
        expected_version=assessment.version,
        outcome="not_fit_and_proper",
        reasons=REASONS,
        actor=chair,
    )
    return role.registrant, person


def test_the_registrar_and_the_person_see_the_outcome(client, settings, make_user, not_fit):
    settings.DEMO_SKIP_MFA = True
    registrant, person = not_fit
    client.force_login(make_user("registrar"))
    page = client.get(
        reverse("register_manage:record", args=[registrant.registration_number])
    ).content.decode()
    assert "Not fit and proper" in page
    assert REASONS.replace("'", "&#39;") in page
    assert "FPR-" in page
    event = AuditEvent.objects.filter(action="register.registrant.restricted_viewed").last()
    assert "fitness_outcomes" in event.payload_data["fields"]

    client.force_login(person)
    own = client.get(reverse("register_manage:my_record")).content.decode()
    assert "Your fit and proper person test outcomes" in own
    assert "Not fit and proper" in own


def test_the_public_entry_never_shows_it(client, not_fit):
    registrant, _ = not_fit
    page = client.get(reverse("register:entry", args=[registrant.registration_number]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Not fit and proper" not in text
    assert "fit and proper" not in text.lower()
    assert REASONS not in text


# --- Nothing restricted reaches a public output --------------------------------------

# Distinctive values for what only the regulator, the employer or the person may see.
MORE_RESTRICTED = {
    "address": "ADDRESS-SECRET 14 Quarry Lane, Leeds",
    "disciplinary summary": "DISCIPLINARY-SECRET excluded over missing rota records",
    "health summary": "HEALTH-SECRET the registrant's illness",
    "health conditions": "HEALTH-CONDITIONS-SECRET attend occupational health monthly",
    "advice summary": "ADVICE-SECRET the registrant was advised on record keeping",
}


@pytest.fixture
def everything_restricted(organisation, make_user, travel):
    """Someone barred by a panel, with a restricted value in every restricted place: the
    record's own fields, a past role's reason for leaving and settlement, the case's
    allegations, evidence and the panel's reasons, a health-related sanction, advice
    and their employer's disciplinary action."""
    travel(TODAY)
    jane = make_jane(organisation)
    registrant_update(
        registrant=jane,
        expected_version=jane.version,
        changes={"address": MORE_RESTRICTED["address"]},
        actor="tests",
        reason="test data",
    )
    disciplinary_action_record(
        registrant=jane,
        organisation=organisation,
        kind="exclusion",
        started_on=dt.date(2026, 9, 1),
        summary=MORE_RESTRICTED["disciplinary summary"],
        actor=make_user("hr_lead", organisation=organisation),
    )
    caseworker, officer = make_user("caseworker"), make_user("hearings_officer")
    decide(
        make_case(jane, caseworker, health_related=True),
        officer,
        "conditions",
        ends_on=dt.date(2027, 11, 1),
        conditions=MORE_RESTRICTED["health conditions"],
        published_summary=MORE_RESTRICTED["health summary"],
    )
    decide(
        make_case(jane, caseworker),
        officer,
        "advice",
        published_summary=MORE_RESTRICTED["advice summary"],
    )
    bar = decide(make_case(jane, caseworker, restricted=True), officer, "barring")
    jane.refresh_from_db()
    assert jane.status == "barred"
    return jane, bar


def _public_outputs(client, registrant) -> dict[str, str]:
    number = registrant.registration_number
    addresses = {
        "search page": (reverse("register:search"), {"q": registrant.legal_surname}),
        "entry page": (reverse("register:entry", args=[number]), {}),
        "CSV download": (reverse("register:download"), {}),
        "barred list page": (reverse("register:barred"), {}),
        "API search": ("/api/v1/register", {"q": registrant.legal_surname}),
        "API entry": (f"/api/v1/register/{number}", {}),
        "API barred list": ("/api/v1/barred", {}),
    }
    outputs = {}
    for name, (url, params) in addresses.items():
        cache.clear()  # the public register's rate limit
        response = client.get(url, params)
        assert response.status_code == 200, name
        content = b"".join(response.streaming_content) if response.streaming else response.content
        outputs[name] = content.decode()
    return outputs


def test_no_restricted_value_reaches_any_public_output(client, everything_restricted):
    registrant, bar = everything_restricted
    secrets = {**RECORD_SECRETS, **CASE_SECRETS, **MORE_RESTRICTED}
    outputs = _public_outputs(client, registrant)
    # Each output does show the person (so the test looks where the values would be).
    for name, text in outputs.items():
        assert registrant.registration_number in text, name
    assert SUMMARY in outputs["entry page"]
    assert f"#sanction-{bar.pk}" in outputs["barred list page"]
    assert f"#sanction-{bar.pk}" in outputs["API barred list"]
    for name, text in outputs.items():
        for label, value in secrets.items():
            assert value.lower() not in text.lower(), f"the {label} appeared on the {name}"
        assert "Exclusion or suspension from work" not in text, name
        assert "Advice" not in text and "Conditions on practice</h3>" not in text, name
    for name in ("API search", "API entry", "API barred list"):
        keys = _json_keys(json.loads(outputs[name]))
        assert not keys & RESTRICTED_KEYS, f"{name} has {sorted(keys & RESTRICTED_KEYS)}"


RESTRICTED_KEYS = {
    "date_of_birth",
    "email",
    "phone",
    "address",
    "previous_names",
    "reason_for_leaving",
    "settlement_agreement",
    "settlement_confidentiality_terms",
    "disciplinary_actions",
    "allegations",
    "conditions",
    "sanction_reasons",
    "health_related",
    "fitness_outcomes",
}


def _json_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _json_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _json_keys(v)}
    return set()


def test_the_barred_list_api_schema_holds_only_public_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/barred"]
    names = _schema_names(schema, operation)
    # What an error says (detail, and for a bad parameter where and what), then the data.
    assert names - {"detail", "errors", "loc", "msg", "type"} == {
        "count",
        "next",
        "previous",
        "results",
        "registration_number",
        "name",
        "barred_since",
        "determination_summary_url",
        "url",
    }
    assert not names & (RESTRICTED_FIELD_NAMES | RESTRICTED_KEYS)
