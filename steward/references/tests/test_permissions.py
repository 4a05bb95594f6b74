"""Deny by default: every references URL (pages and API) for every role, anonymous included.

Appointments and references belong to the chair, chief executive and HR lead of
the organisation; the person sees their own references; everyone else gets 403
(or is sent to sign in, or 401 from the API).
"""

import datetime as dt
import json

import pytest

from steward.core.tests.matrix import ALL_ROLES, check_matrix
from steward.organisations.models import Organisation, OrganisationType
from steward.references import services
from steward.references.tests.factories import career_role, complete, person, propose

pytestmark = pytest.mark.django_db

REFERENCE_ROLES = {"chair", "chief_executive", "hr_lead"}

# (url name or path, kwargs builder, who may see it, kind)
MATRIX = [
    ("references:appointments", None, REFERENCE_ROLES, "page"),
    ("references:appointment_propose", None, REFERENCE_ROLES, "page"),
    (
        "references:appointment",
        lambda ctx: {"pk": ctx["appointment"].pk},
        REFERENCE_ROLES,
        "page",
    ),
    (
        "references:appointment_request_references",
        lambda ctx: {"pk": ctx["appointment"].pk},
        REFERENCE_ROLES,
        "page",
    ),
    (
        "references:appointment_withdraw",
        lambda ctx: {"pk": ctx["appointment"].pk},
        REFERENCE_ROLES,
        "page",
    ),
    ("references:requests", None, REFERENCE_ROLES, "page"),
    ("references:complete", lambda ctx: {"pk": ctx["owed"].pk}, REFERENCE_ROLES, "page"),
    ("references:reference", lambda ctx: {"pk": ctx["given"].pk}, REFERENCE_ROLES, "page"),
    ("references:reference_pdf", lambda ctx: {"pk": ctx["given"].pk}, REFERENCE_ROLES, "page"),
    (
        "references:reference_update",
        lambda ctx: {"pk": ctx["given"].pk},
        REFERENCE_ROLES,
        "page",
    ),
    ("references:mine", None, {"registrant"}, "page"),
    (lambda ctx: f"/api/v1/appointments/{ctx['appointment'].pk}", None, REFERENCE_ROLES, "api"),
    ("/api/v1/organisations/RR8/reference-requests", None, REFERENCE_ROLES, "api"),
]


@pytest.fixture
def ctx(organisation, region):
    york = Organisation.objects.create(
        ods_code="RCB",
        name="York and Scarborough Teaching Hospitals NHS Foundation Trust",
        org_type=OrganisationType.FOUNDATION_TRUST,
        region=region,
    )
    # An appointment at the employers' own organisation.
    incoming = person(legal_forenames="Rhiannon")
    career_role(incoming, york, start_date=dt.date(2019, 1, 1))
    appointment = propose(organisation, incoming)
    # York asks the employers' organisation for two references: one given, one owed.
    given_about = person(legal_forenames="Kwame")
    career_role(given_about, organisation, start_date=dt.date(2019, 1, 1))
    [given_request] = services.reference_requests_create(
        appointment=propose(york, given_about), actor="tests"
    )
    owed_about = person(legal_forenames="Fiona")
    career_role(owed_about, organisation, start_date=dt.date(2020, 1, 1))
    [owed] = services.reference_requests_create(
        appointment=propose(york, owed_about), actor="tests"
    )
    return {"appointment": appointment, "given": complete(given_request), "owed": owed}


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_url_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True  # enrolment is tested on its own
    if role:
        client.force_login(role_user(role))
    check_matrix(client, role, MATRIX, ctx)


POSTS = [
    (lambda ctx: "/api/v1/organisations/RR8/appointments", {}),
    (
        lambda ctx: f"/api/v1/appointments/{ctx['appointment'].pk}/start",
        {"start_date": "2026-12-01"},
    ),
    (lambda ctx: f"/api/v1/appointments/{ctx['appointment'].pk}/reference-requests", {}),
    (lambda ctx: f"/api/v1/reference-requests/{ctx['owed'].pk}/reference", {}),
]


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_api_write_for_every_role(client, settings, role_user, ctx, role):
    """Writes: allowed roles get past the permission check (their answer is about the
    request itself: 201, 409 or 422); others get 403, anonymous callers 401."""
    settings.DEMO_SKIP_MFA = True
    if role:
        client.force_login(role_user(role))
    failures = []
    for url_of, body in POSTS:
        url = url_of(ctx)
        response = client.post(url, data=json.dumps(body), content_type="application/json")
        if role is None:
            expected = {401}
        elif role in REFERENCE_ROLES:
            expected = {200, 201, 409, 422}
        else:
            expected = {403, 422}
        if response.status_code not in expected:
            failures.append(f"{url}: {response.status_code}, expected {sorted(expected)}")
    assert not failures, f"role {role}: " + "; ".join(failures)


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r not in REFERENCE_ROLES])
def test_other_roles_are_refused_writes_with_valid_bodies(client, settings, role_user, ctx, role):
    """With a body that passes validation, everyone outside the organisation's chair,
    chief executive and HR lead is refused with 403 (never a change)."""
    from steward.references.tests.factories import all_no

    settings.DEMO_SKIP_MFA = True
    client.force_login(role_user(role))
    number = ctx["appointment"].registrant.registration_number
    bodies = [
        (
            "/api/v1/organisations/RR8/appointments",
            {
                "registration_number": number,
                "role_title": "Chair",
                "role_category": "chair",
                "proposed_start_date": "2026-12-01",
            },
        ),
        (f"/api/v1/appointments/{ctx['appointment'].pk}/start", {"start_date": "2026-12-01"}),
        (f"/api/v1/appointments/{ctx['appointment'].pk}/reference-requests", {}),
        (
            f"/api/v1/reference-requests/{ctx['owed'].pk}/reference",
            {**all_no(), "referee_name": "X", "referee_job_title": "Y"},
        ),
    ]
    for url, body in bodies:
        response = client.post(url, data=json.dumps(body), content_type="application/json")
        assert response.status_code == 403, (url, response.status_code)
