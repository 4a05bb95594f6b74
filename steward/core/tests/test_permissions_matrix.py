"""Deny by default: every URL for every role, anonymous included.

Each row names who may see a page; everyone else signed in gets 403 and
anonymous visitors are sent to sign in (pages) or get 401 (API).
"""

import datetime as dt

import pytest

from steward.accounts.roles import EMPLOYER_ROLES
from steward.core.tests.matrix import ALL_ROLES, EVERYONE, SIGNED_IN, check_matrix

pytestmark = pytest.mark.django_db


# (url name or path, kwargs builder, who may see it, kind)
MATRIX = [
    ("start", None, EVERYONE, "login-page"),
    ("healthz", None, EVERYONE, "page"),
    ("accessibility", None, EVERYONE, "page"),
    ("privacy", None, EVERYONE, "page"),
    ("register:barred", None, EVERYONE, "page"),
    ("/api/v1/barred", None, EVERYONE, "api"),
    ("roles", None, EVERYONE, "page"),
    ("role", lambda ctx: {"slug": "chair"}, EVERYONE, "page"),
    ("organisations:list", None, EVERYONE, "page"),
    ("organisations:detail", lambda ctx: {"ods_code": "RR8"}, EVERYONE, "page"),
    ("/api/v1/organisations", None, EVERYONE, "api"),
    ("/api/v1/organisations/RR8", None, EVERYONE, "api"),
    ("/api/v1/openapi.json", None, EVERYONE, "api"),
    ("account_login", None, EVERYONE, "login-page"),
    ("home", None, SIGNED_IN, "page"),
    ("/api/v1/me", None, SIGNED_IN, "api"),
    ("people", None, {"administrator", *EMPLOYER_ROLES}, "page"),
    ("person", lambda ctx: {"pk": ctx["target"].pk}, {"administrator", *EMPLOYER_ROLES}, "page"),
    (
        "role_revoke",
        lambda ctx: {"pk": ctx["target"].pk, "assignment_pk": ctx["assignment"].pk},
        {"administrator"},
        "page",
    ),
    ("audit:list", None, {"auditor"}, "page"),
    ("register:search", None, EVERYONE, "page"),
    ("register:entry", lambda ctx: {"registration_number": ctx["number"]}, EVERYONE, "page"),
    ("register:download", None, EVERYONE, "page"),
    ("/api/v1/register", None, EVERYONE, "api"),
    (lambda ctx: f"/api/v1/register/{ctx['number']}", None, EVERYONE, "api"),
    ("register_import:template", None, EVERYONE, "page"),
    ("register_import:start", None, EMPLOYER_ROLES, "page-or-redirect"),
    ("register_import:upload", lambda ctx: {"ods_code": "RR8"}, EMPLOYER_ROLES, "page"),
    ("register_manage:my_record", None, {"registrant"}, "page"),
    ("register_manage:registrar_home", None, {"registrar"}, "page"),
    ("register_manage:applications", None, {"registrar"}, "page"),
    ("register_manage:qualifications", None, {"registrar"}, "page"),
    ("register_manage:records", None, {"registrar"}, "page"),
    (
        "register_manage:record",
        lambda ctx: {"registration_number": ctx["number"]},
        {"registrar"},
        "page",
    ),
    ("roster:list", None, EMPLOYER_ROLES, "page"),
    ("roster:add", None, EMPLOYER_ROLES, "page"),
    ("roster:person", lambda ctx: {"registration_number": ctx["number"]}, EMPLOYER_ROLES, "page"),
    ("audit:detail", lambda ctx: {"seq": ctx["event"].seq}, {"auditor"}, "page"),
    ("audit:verify", None, {"auditor"}, "page"),
    ("notifications:list", None, SIGNED_IN, "page"),
]


@pytest.fixture
def ctx(make_user, organisation):
    from steward.accounts import services
    from steward.audit.models import AuditEvent
    from steward.register import services as register_services

    # Someone at the employers' own organisation, so employers may see them.
    target = make_user(full_name="Target Person")
    assignment = services.role_grant(
        user=target,
        role="data_request_responder",
        organisation=organisation,
        actor=None,
        reason="test",
    )
    # Someone on the register holding a current role at the employers' organisation.
    registrant = register_services.registrant_create(
        legal_forenames="Rhiannon", legal_surname="Matrix", actor=None, reason="test"
    )
    register_services.career_role_add(
        registrant=registrant,
        organisation=organisation,
        title="Chief Nurse",
        category="executive_director",
        start_date=dt.date(2024, 1, 1),
        actor=None,
        reason="test",
    )
    return {
        "target": target,
        "assignment": assignment,
        "event": AuditEvent.objects.last(),
        "number": registrant.registration_number,
    }


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_url_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True  # enrolment is tested on its own
    if role:
        client.force_login(role_user(role))
    check_matrix(client, role, MATRIX, ctx)
