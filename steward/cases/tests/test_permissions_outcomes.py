"""Deny by default: every outcome page (the panel's findings, issuing, the PDF, appeals
and the outcome work list), for every role and for anonymous visitors.

Two cases about the same registrant: one with a held hearing whose draft determination
the panel is recording (the ``panel_member`` role sits on it), and one whose
determination was issued and appealed. The registrant's pages answer 404 for a case
that is not theirs (tested in test_pages_outcomes).
"""

import datetime as dt

import pytest
from django.urls import reverse

from steward.cases.appeals import appeal_lodge
from steward.cases.determinations import determination_issue
from steward.cases.hearings import hearing_held
from steward.cases.models import Appeal, Determination, PanelSeat, Stage
from steward.cases.tests.factories import HEARING_DAY, case_make, hearing_make, hearing_world
from steward.cases.tests.test_pages_outcomes import record_all
from steward.cases.tests.test_permissions import check_posts
from steward.core.tests.matrix import ALL_ROLES, check_matrix
from steward.register.models import Registrant

pytestmark = pytest.mark.django_db

CASE_STAFF = {"caseworker", "case_examiner", "hearings_officer", "registrar"}
OFFICERS = {"hearings_officer"}
SEATED = {"panel_member"}
REGISTRANTS = {"registrant"}


@pytest.fixture
def ctx(travel):
    appealed = hearing_world(travel)
    record_all(appealed)
    determination_issue(determination=appealed.draft, actor=appealed.officer)
    appeal = appeal_lodge(determination=appealed.draft, grounds="Unfair.", actor=appealed.account)
    # The second case, about the same registrant, is at its panel's determination.
    travel(HEARING_DAY - dt.timedelta(days=28))
    case = case_make(registrant=appealed.registrant, stage=Stage.PANEL_HEARING, allegations=2)
    hearing = hearing_make(case=case, officer=appealed.officer)
    travel(HEARING_DAY)
    hearing_held(hearing=hearing, actor=appealed.officer)
    return {
        "registrant": appealed.registrant,
        "appealed": appealed.case,
        "issued": appealed.draft,
        "appeal": appeal,
        "case": case,
        "hearing": hearing,
        "draft": hearing.determinations.get(),
    }


def at_hearing(ctx):
    return {"reference": ctx["case"].reference, "hearing_id": ctx["hearing"].pk}


def issued(ctx):
    return {"reference": ctx["appealed"].reference, "determination_id": ctx["issued"].pk}


MATRIX = [
    ("cases:outcomes", None, SEATED | OFFICERS, "page"),
    ("cases:hearing_outcome", at_hearing, SEATED, "page"),
    ("cases:outcome_facts", at_hearing, SEATED, "page"),
    ("cases:outcome_impairment", at_hearing, SEATED, "page"),
    ("cases:outcome_sanction", at_hearing, SEATED, "page"),
    (
        "cases:determination_issue",
        lambda ctx: {"reference": ctx["case"].reference, "determination_id": ctx["draft"].pk},
        OFFICERS,
        "page",
    ),
    ("cases:determination_issue", issued, OFFICERS, "page"),
    ("cases:determination_pdf", issued, CASE_STAFF, "page"),
    (
        "cases:appeal_decide",
        lambda ctx: {"reference": ctx["appealed"].reference, "appeal_id": ctx["appeal"].pk},
        OFFICERS,
        "page",
    ),
    (
        "cases:mine_appeal",
        lambda ctx: {"reference": ctx["appealed"].reference},
        REGISTRANTS,
        "page",
    ),
    ("cases:mine_determination_pdf", issued, REGISTRANTS, "page"),
]


def _sign_in(client, role_user, ctx, role):
    if role:
        user = role_user(role)
        if role == "registrant":  # the manager both cases are about
            Registrant.objects.filter(pk=ctx["registrant"].pk).update(user=user)
        if role == "panel_member":  # sitting on the held hearing's panel
            PanelSeat.objects.filter(hearing=ctx["hearing"], is_chair=True).update(member=user)
        client.force_login(user)


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_page_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True
    _sign_in(client, role_user, ctx, role)
    check_matrix(client, role, MATRIX, ctx)


def _posts(ctx):
    hearing = at_hearing(ctx)
    return [
        (reverse("cases:outcome_facts", kwargs=hearing), SEATED),
        (reverse("cases:outcome_impairment", kwargs=hearing), SEATED),
        (reverse("cases:outcome_sanction", kwargs=hearing), SEATED),
        (reverse("cases:outcome_sanction", kwargs=hearing) + "?sanction=suspension", SEATED),
        (
            reverse(
                "cases:determination_issue",
                kwargs={"reference": ctx["case"].reference, "determination_id": ctx["draft"].pk},
            ),
            OFFICERS,
        ),
        (
            reverse(
                "cases:appeal_decide",
                kwargs={"reference": ctx["appealed"].reference, "appeal_id": ctx["appeal"].pk},
            )
            + "?outcome=allowed",
            OFFICERS,
        ),
        (
            reverse("cases:mine_appeal", kwargs={"reference": ctx["appealed"].reference}),
            REGISTRANTS,
        ),
    ]


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_change_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True
    _sign_in(client, role_user, ctx, role)
    check_posts(client, role, _posts(ctx))
    # Empty forms change nothing, whoever sends them.
    draft = Determination.objects.get(pk=ctx["draft"].pk)
    assert (draft.version, draft.facts, draft.issued_at) == (1, {}, None)
    assert Appeal.objects.get().outcome_id is None
    assert Determination.objects.count() == 2


@pytest.mark.parametrize(
    "name", ["cases:determination_pdf", "cases:mine_determination_pdf", "cases:outcomes"]
)
def test_downloads_and_lists_refuse_a_post(client, settings, make_user, ctx, name):
    settings.DEMO_SKIP_MFA = True
    user = make_user("hearings_officer")
    Registrant.objects.filter(pk=ctx["registrant"].pk).update(user=user)
    client.force_login(user)
    kwargs = issued(ctx) if "pdf" in name else None
    assert client.post(reverse(name, kwargs=kwargs)).status_code == 405


def test_a_panel_member_not_on_the_panel_is_refused(client, settings, make_user, ctx):
    settings.DEMO_SKIP_MFA = True
    client.force_login(make_user("panel_member"))
    for name in (
        "cases:hearing_outcome",
        "cases:outcome_facts",
        "cases:outcome_impairment",
        "cases:outcome_sanction",
    ):
        assert client.get(reverse(name, kwargs=at_hearing(ctx))).status_code == 403, name
    assert client.get(reverse("cases:outcomes")).status_code == 200


def test_staff_never_work_on_or_download_a_case_about_themselves(client, settings, make_user, ctx):
    settings.DEMO_SKIP_MFA = True
    user = make_user("hearings_officer")
    Registrant.objects.filter(pk=ctx["registrant"].pk).update(user=user)
    client.force_login(user)
    assert client.get(reverse("cases:determination_pdf", kwargs=issued(ctx))).status_code == 403
    decide = reverse(
        "cases:appeal_decide",
        kwargs={"reference": ctx["appealed"].reference, "appeal_id": ctx["appeal"].pk},
    )
    assert client.get(decide).status_code == 403
    assert client.post(decide + "?outcome=allowed", {"reasons": "Mine."}).status_code == 403
    assert ctx["appealed"].reference not in client.get(reverse("cases:outcomes")).content.decode()
    # As its registrant, they still read their own decision.
    assert (
        client.get(reverse("cases:mine_determination_pdf", kwargs=issued(ctx))).status_code == 200
    )
