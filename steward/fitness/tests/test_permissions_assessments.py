"""Deny by default: every assessment page and API endpoint for every role, and anonymous.

Each row names who may see it; everyone else signed in gets 403 and anonymous
visitors are sent to sign in (pages) or get 401 (API).
"""

import pytest

from steward.accounts.roles import EMPLOYER_ROLES
from steward.core import clock
from steward.core.tests.matrix import ALL_ROLES, check_matrix
from steward.fitness.models import AssessmentOutcome, NotFitReferral
from steward.fitness.tests.factories_assessments import (
    assessment_for,
    board_member,
    complete_checks,
)
from steward.register.models import Registrant, RoleCategory

pytestmark = pytest.mark.django_db

YEAR = clock.today().year
VIEWERS = {*EMPLOYER_ROLES, "regional_director"}
REGULATOR = {"registrar", "caseworker"}

MATRIX = [
    ("fitness:organisation_start", None, EMPLOYER_ROLES, "page-or-redirect"),
    (
        "fitness:organisation_year",
        lambda ctx: {"ods_code": "RR8", "year": YEAR},
        VIEWERS,
        "page",
    ),
    ("fitness:assessment", lambda ctx: {"pk": ctx["executive"].pk}, VIEWERS, "page"),
    (
        "fitness:check",
        lambda ctx: {"pk": ctx["executive"].pk, "kind": "identity"},
        {"chair", "hr_lead"},
        "page",
    ),
    ("fitness:conclude", lambda ctx: {"pk": ctx["executive"].pk}, {"chair"}, "page"),
    (
        "fitness:conclude",
        lambda ctx: {"pk": ctx["chair"].pk},
        {"senior_independent_director"},
        "page",
    ),
    ("fitness:mine", None, {"registrant"}, "page"),
    ("fitness:competency", lambda ctx: {"pk": ctx["own"].pk}, {"registrant"}, "page"),
    ("fitness:attestation", lambda ctx: {"pk": ctx["own"].pk}, {"registrant"}, "page"),
    ("fitness:referrals", None, REGULATOR, "page"),
    ("fitness:referral", lambda ctx: {"pk": ctx["referral"].pk}, REGULATOR, "page"),
    ("fitness:open_year", None, {"administrator"}, "page"),
    (
        lambda ctx: f"/api/v1/organisations/RR8/fitness-assessments?year={YEAR}",
        None,
        VIEWERS,
        "api",
    ),
]


@pytest.fixture
def ctx(organisation):
    executive = assessment_for(board_member(organisation))
    chair = complete_checks(
        assessment_for(board_member(organisation, category=RoleCategory.CHAIR, title="Chair"))
    )
    own = assessment_for(board_member(organisation, names=("Dana", "Director")))
    referred = complete_checks(assessment_for(board_member(organisation)))
    referred.outcome = AssessmentOutcome.NOT_FIT
    referred.conclusion_reasons = "Undeclared conviction."
    referred.concluded_at = clock.now()
    referred.save()
    referral = NotFitReferral.objects.create(assessment=referred, reference=f"FPR-{YEAR}-0001")
    return {"executive": executive, "chair": chair, "own": own, "referral": referral}


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_url_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True  # enrolment is tested on its own
    if role:
        user = role_user(role)
        if role == "registrant":  # the director whose own assessment it is
            Registrant.objects.filter(pk=ctx["own"].registrant_id).update(user=user)
        client.force_login(user)
    check_matrix(client, role, MATRIX, ctx)
