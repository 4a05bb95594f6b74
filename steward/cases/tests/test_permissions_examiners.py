"""Deny by default: every case examiners' page, for every role and for anonymous
visitors, read and changed.

Each row names who may see a page; everyone else signed in gets 403 and anonymous
visitors are sent to sign in. The registrant's page answers 404 for a case that is
not theirs (tested in test_pages_examiners), so nobody learns it exists.
"""

import pytest
from django.urls import reverse

from steward.cases.examiners import examiner_decide
from steward.cases.models import DeclaredInterest, ExaminerDecision, Stage, UndertakingsResponse
from steward.cases.tests.factories import case_make, examiner_make, matrix_sign_in
from steward.cases.tests.test_permissions import check_posts
from steward.core.tests.matrix import ALL_ROLES, check_matrix
from steward.register.models import Registrant

pytestmark = pytest.mark.django_db

EXAMINERS = {"case_examiner"}
DECLARERS = {"case_examiner", "panel_member"}
REGISTRANTS = {"registrant"}


def ref(case):
    return lambda ctx: {"reference": ctx[case].reference}


MATRIX = [
    ("cases:examiners", None, EXAMINERS, "page"),
    ("cases:examiner_decide", ref("waiting"), EXAMINERS, "page"),
    ("cases:interests", None, DECLARERS, "page"),
    ("cases:mine_undertakings", ref("offered"), REGISTRANTS, "page"),
]


@pytest.fixture
def ctx():
    lay, manager = examiner_make("lay"), examiner_make("manager")
    offered = case_make(stage=Stage.CASE_EXAMINERS)
    examiner_decide(
        case=offered,
        outcome="undertakings",
        reasons="Reasons.",
        undertakings="Training within six months.",
        lay_examiner=lay,
        manager_examiner=manager,
        actor=lay,
    )
    return {"waiting": case_make(stage=Stage.CASE_EXAMINERS), "offered": offered}


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_page_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True  # enrolment is tested on its own
    matrix_sign_in(client, role_user, role, ctx["offered"])
    check_matrix(client, role, MATRIX, ctx)


def _posts(ctx):
    return [
        (reverse("cases:examiner_decide", kwargs=ref("waiting")(ctx)), EXAMINERS),
        (reverse("cases:interests"), DECLARERS),
        (reverse("cases:mine_undertakings", kwargs=ref("offered")(ctx)), REGISTRANTS),
    ]


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_change_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True
    matrix_sign_in(client, role_user, role, ctx["offered"])
    check_posts(client, role, _posts(ctx))
    # Empty forms change nothing, whoever sends them.
    assert ExaminerDecision.objects.count() == 1
    assert ExaminerDecision.objects.get().undertakings_response == UndertakingsResponse.PENDING
    assert not DeclaredInterest.objects.exists()
    ctx["waiting"].refresh_from_db()
    assert ctx["waiting"].stage == Stage.CASE_EXAMINERS


def test_the_queue_is_never_changed_by_a_post(client, settings, make_user):
    settings.DEMO_SKIP_MFA = True
    client.force_login(make_user("case_examiner"))
    assert client.post(reverse("cases:examiners"), {}).status_code == 405


def test_a_case_examiner_never_decides_a_case_about_themselves(client, settings, make_user, ctx):
    settings.DEMO_SKIP_MFA = True
    user = make_user("case_examiner")
    Registrant.objects.filter(pk=ctx["waiting"].registrant_id).update(user=user)
    client.force_login(user)
    url = reverse("cases:examiner_decide", kwargs=ref("waiting")(ctx))
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    assert ctx["waiting"].reference not in client.get(reverse("cases:examiners")).content.decode()
