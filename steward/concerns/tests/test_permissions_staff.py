"""Deny by default: every page and API endpoint of the concerns team, the employers'
referrals and the registrar's urgent flags, for every role and for anonymous
visitors."""

import pytest
from django.urls import reverse

from steward.concerns import triage
from steward.concerns.tests.factories_staff import TODAY, concern, fresh, manager
from steward.core.tests.matrix import ALL_ROLES, check_matrix

pytestmark = pytest.mark.django_db

TEAM = {"caseworker"}
LEADERS = {"chair", "chief_executive", "hr_lead"}
REGISTRARS = {"registrar"}


def ref(ctx):
    return {"reference": ctx["concern"].reference}


MATRIX = [
    ("concerns:queue", None, TEAM, "page"),
    ("concerns:detail", ref, TEAM, "page"),
    ("concerns:triage", ref, TEAM, "page"),
    ("concerns:file", lambda ctx: {**ref(ctx), "number": 1}, TEAM, "page"),
    ("concerns:referrals", None, LEADERS, "page"),
    ("concerns:referral", lambda ctx: {"pk": ctx["referral"].pk}, LEADERS, "page"),
    ("concerns:urgent", None, REGISTRARS, "page"),
    ("/api/v1/concerns/queue", None, TEAM, "api"),
    (lambda ctx: f"/api/v1/concerns/queue/{ctx['concern'].reference}", None, TEAM, "api"),
    ("/api/v1/concerns/referrals", None, LEADERS, "api"),
    (lambda ctx: f"/api/v1/concerns/referrals/{ctx['referral'].pk}", None, LEADERS, "api"),
]


@pytest.fixture
def ctx(make_user, organisation, travel):
    travel(TODAY)
    caseworker = make_user("caseworker")
    subject = manager(organisation)
    referred = concern(organisation=organisation, registrant=subject)
    referral = triage.triage_decide(
        concern=referred,
        outcome="refer_to_employer",
        cited_refs=["CC10"],
        reasons="Reasons",
        employer_summary="Summary",
        actor=caseworker,
        version=referred.version,
    )
    urgent = concern(organisation=organisation, registrant=subject)
    flag = triage.triage_decide(
        concern=urgent,
        outcome="urgent_action",
        cited_refs=["CC2"],
        reasons="Reasons",
        actor=caseworker,
        version=urgent.version,
    )
    return {
        "concern": concern(organisation=organisation, registrant=subject, with_file=True),
        "referral": referral,
        "flag": flag,
    }


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_page_and_endpoint_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True  # enrolment is tested on its own
    if role:
        client.force_login(role_user(role))
    check_matrix(client, role, MATRIX, ctx)


def _posts(ctx):
    item = fresh(ctx["concern"])
    api = f"/api/v1/concerns/queue/{item.reference}"
    return [
        (reverse("concerns:assign", kwargs=ref(ctx)), {}, TEAM, "page"),
        (reverse("concerns:acknowledge", kwargs=ref(ctx)), {}, TEAM, "page"),
        (reverse("concerns:message", kwargs=ref(ctx)), {}, TEAM, "page"),
        (reverse("concerns:note", kwargs=ref(ctx)), {}, TEAM, "page"),
        (reverse("concerns:triage", kwargs=ref(ctx)), {}, TEAM, "page"),
        (reverse("concerns:urgent_seen", kwargs={"pk": ctx["flag"].pk}), {}, REGISTRARS, "page"),
        (f"{api}/messages", {"body": "Hello"}, TEAM, "api"),
        (f"{api}/assign", {"assignee": None, "version": 1}, TEAM, "api"),
        (f"{api}/acknowledge", {"version": 1}, TEAM, "api"),
        (
            f"{api}/triage",
            {"outcome": "close", "reasons": "R", "reporter_explanation": "E", "version": 1},
            TEAM,
            "api",
        ),
    ]


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_change_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True
    if role:
        client.force_login(role_user(role))
    failures = []
    for url, data, allowed, kind in _posts(ctx):
        if kind == "api":
            response = client.post(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        status = response.status_code
        if role is None:
            expected_ok = status == (401 if kind == "api" else 302) and (
                kind == "api" or response["Location"].startswith(reverse("account_login"))
            )
        elif role in allowed:
            expected_ok = status not in {401, 403, 404, 405} and status < 500
        else:
            expected_ok = status == 403
        if not expected_ok:
            failures.append(f"POST {url}: {status}")
    assert not failures, f"role {role}: " + "; ".join(failures)
