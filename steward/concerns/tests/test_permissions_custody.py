"""Deny by default for identity, reveal and detriment pages, and the roster's
disciplinary page: every URL for every role, anonymous included."""

import datetime as dt

import pytest
from django.urls import reverse

from steward.concerns import reveal, services
from steward.concerns.models import DetrimentFlag, IdentityReveal
from steward.core.tests.matrix import ALL_ROLES, check_matrix
from steward.register import services as register_services
from steward.register.disciplinary import disciplinary_action_record

pytestmark = pytest.mark.django_db

TEAM = {"caseworker"}
DISCIPLINARY = {"chair", "chief_executive", "hr_lead"}

# (url name, kwargs builder, who may see it, kind)
MATRIX = [
    ("concerns:identity", lambda ctx: {"reference": ctx["concern"].reference}, TEAM, "page"),
    (
        "concerns:reveal_request",
        lambda ctx: {"reference": ctx["concern"].reference},
        TEAM,
        "page",
    ),
    ("concerns:reveals", None, {"custodian"}, "page"),
    ("concerns:reveal", lambda ctx: {"pk": ctx["reveal"].pk}, {"caseworker", "custodian"}, "page"),
    (
        "concerns:reveal_disclose",
        lambda ctx: {"pk": ctx["reveal"].pk},
        TEAM,
        "page-or-redirect",
    ),
    ("concerns:detriment", None, TEAM, "page"),
    ("concerns:detriment_review", lambda ctx: {"pk": ctx["flag"].pk}, TEAM, "page"),
    (
        "roster:disciplinary",
        lambda ctx: {"registration_number": ctx["registrant"].registration_number},
        DISCIPLINARY,
        "page",
    ),
]

POSTS = [
    ("concerns:identity", lambda ctx: {"reference": ctx["concern"].reference}, TEAM),
    ("concerns:reveal_request", lambda ctx: {"reference": ctx["concern"].reference}, TEAM),
    ("concerns:reveal", lambda ctx: {"pk": ctx["reveal"].pk}, {"caseworker", "custodian"}),
    ("concerns:reveal_disclose", lambda ctx: {"pk": ctx["reveal"].pk}, TEAM),
    ("concerns:detriment_review", lambda ctx: {"pk": ctx["flag"].pk}, TEAM),
    (
        "roster:disciplinary",
        lambda ctx: {"registration_number": ctx["registrant"].registration_number},
        DISCIPLINARY,
    ),
]


@pytest.fixture
def ctx(make_user, organisation):
    registrant = register_services.registrant_create(
        legal_forenames="Rhiannon",
        legal_surname="Matrix",
        email="rhiannon@example.nhs.uk",
        actor=None,
        reason="test",
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
    concern = services.concern_submit(
        anonymity="confidential",
        answers={"what_happened": "Something happened"},
        organisation=organisation,
        reporter_identity={"name": "Rhiannon Matrix", "email": "rhiannon@example.nhs.uk"},
    ).concern
    asker = make_user("caseworker")
    made = reveal.reveal_request(
        concern=concern,
        recipient="The police",
        reason="A statement is needed.",
        reporter_consented=True,
        actor=asker,
    )
    disciplinary_action_record(
        registrant=registrant,
        organisation=organisation,
        kind="warning",
        started_on=dt.date(2026, 1, 5),
        summary="A formal warning.",
        actor=make_user("hr_lead", organisation=organisation),
    )
    return {
        "concern": concern,
        "reveal": made,
        "flag": DetrimentFlag.objects.get(),
        "registrant": registrant,
    }


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_url_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True  # enrolment is tested on its own
    if role:
        client.force_login(role_user(role))
    check_matrix(client, role, MATRIX, ctx)


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_posting_is_refused_to_everyone_else_and_changes_nothing(
    client, settings, role_user, ctx, role
):
    settings.DEMO_SKIP_MFA = True
    if role:
        client.force_login(role_user(role))
    for name, kwargs, allowed in POSTS:
        if role in allowed:
            continue
        response = client.post(reverse(name, kwargs=kwargs(ctx)), {})
        expected = 302 if role is None else 403
        assert response.status_code == expected, f"{name} as {role}: {response.status_code}"
    ctx["reveal"].refresh_from_db()
    assert ctx["reveal"].status == "requested" and ctx["reveal"].disclosed_at is None
    assert IdentityReveal.objects.count() == 1
    assert DetrimentFlag.objects.get().reviewed_at is None
