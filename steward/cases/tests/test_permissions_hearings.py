"""Deny by default: every hearing, panel and interim order page, for every role and for
anonymous visitors, and for the panel members who sit on a hearing.

A panel member sees the hearings they sit on only: the matrix's panel member sits on
none, so is refused every hearing but sees their (empty) list. The registrant's
response page answers 404 for a hearing that is not theirs (tested in
test_pages_hearings)."""

import datetime as dt

import pytest
from django.urls import reverse

from steward.cases.models import (
    Hearing,
    HearingKind,
    PanelSeat,
    Sanction,
    SanctionKind,
    Stage,
)
from steward.cases.sanctions import interim_order_make
from steward.cases.services import evidence_add
from steward.cases.tests.factories import (
    case_make,
    hearing_make,
    matrix_sign_in,
    person_make,
    registrant_make,
)
from steward.cases.tests.test_permissions import check_posts
from steward.core.tests.matrix import ALL_ROLES, check_matrix
from steward.register.models import Registrant

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 2)
OFFICERS = {"hearings_officer"}
HEARINGS_STAFF = {"hearings_officer", "panel_member"}
REGISTRANTS = {"registrant"}


def ref(ctx):
    return {"reference": ctx["case"].reference}


def hearing_kwargs(ctx, key="hearing"):
    return {**ref(ctx), "hearing_id": ctx[key].pk}


def order_kwargs(ctx):
    return {**ref(ctx), "order_id": ctx["order"].pk}


def bundle_kwargs(ctx):
    return {**hearing_kwargs(ctx), "number": ctx["evidence"].number}


MATRIX = [
    ("cases:hearings", None, HEARINGS_STAFF, "page"),
    ("cases:hearing_schedule", ref, OFFICERS, "page"),
    ("cases:hearing", hearing_kwargs, OFFICERS, "page"),
    ("cases:hearing_reschedule", hearing_kwargs, OFFICERS, "page"),
    ("cases:hearing_panel", hearing_kwargs, OFFICERS, "page"),
    ("cases:hearing_held", hearing_kwargs, OFFICERS, "page"),
    ("cases:hearing_bundle", bundle_kwargs, OFFICERS, "page"),
    ("cases:interim_order_make", ref, OFFICERS, "page"),
    ("cases:interim_order_review", order_kwargs, OFFICERS, "page"),
    ("cases:mine_hearing_respond", hearing_kwargs, REGISTRANTS, "page"),
]


@pytest.fixture
def ctx(travel):
    travel(TODAY)
    officer = person_make("hearings_officer")
    caseworker = person_make("caseworker")
    case = case_make(
        registrant=registrant_make(forenames="Rhiannon", surname="Matrix"),
        stage=Stage.PANEL_HEARING,
        caseworker=caseworker,
    )
    evidence = evidence_add(
        case=case,
        title="Board minutes",
        file_name="minutes.txt",
        media_type="text/plain",
        content=b"minutes",
        actor=caseworker,
        disclosed=True,
    )
    hearing = hearing_make(case=case, officer=officer)
    interim = hearing_make(
        case=case, kind=HearingKind.INTERIM_ORDER, starts_on=TODAY, officer=officer
    )
    order = interim_order_make(
        case=case,
        kind=SanctionKind.CONDITIONS,
        months=6,
        conditions="Work under supervision.",
        hearing=interim,
        actor=officer,
    )
    return {
        "case": case,
        "hearing": hearing,
        "interim": interim,
        "order": order,
        "evidence": evidence,
    }


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_page_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True  # enrolment is tested on its own
    matrix_sign_in(client, role_user, role, ctx["case"])
    check_matrix(client, role, MATRIX, ctx)


def _posts(ctx):
    return [
        (reverse("cases:hearing_schedule", kwargs=ref(ctx)), OFFICERS),
        (reverse("cases:hearing_reschedule", kwargs=hearing_kwargs(ctx)), OFFICERS),
        (reverse("cases:hearing_panel", kwargs=hearing_kwargs(ctx)), OFFICERS),
        (reverse("cases:hearing_held", kwargs=hearing_kwargs(ctx)), OFFICERS),
        (reverse("cases:interim_order_make", kwargs=ref(ctx)), OFFICERS),
        (reverse("cases:interim_order_review", kwargs=order_kwargs(ctx)), OFFICERS),
        (reverse("cases:mine_hearing_respond", kwargs=hearing_kwargs(ctx)), REGISTRANTS),
    ]


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_change_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True
    matrix_sign_in(client, role_user, role, ctx["case"])
    check_posts(client, role, _posts(ctx))
    # Empty forms change nothing, whoever sends them.
    assert Hearing.objects.count() == 2
    assert PanelSeat.objects.count() == 6
    assert Sanction.objects.get().status == "in_force"
    assert Hearing.objects.get(pk=ctx["hearing"].pk).version == 1


@pytest.mark.parametrize("url_name", ["cases:hearing_bundle", "cases:hearing", "cases:hearings"])
def test_read_only_pages_refuse_a_post(client, settings, ctx, url_name):
    settings.DEMO_SKIP_MFA = True
    client.force_login(person_make("hearings_officer"))
    kwargs = {
        "cases:hearing_bundle": bundle_kwargs(ctx),
        "cases:hearing": hearing_kwargs(ctx),
        "cases:hearings": None,
    }[url_name]
    assert client.post(reverse(url_name, kwargs=kwargs), {}).status_code == 405


def test_a_member_of_the_panel_sees_its_hearing_and_bundle_only(client, settings, ctx):
    settings.DEMO_SKIP_MFA = True
    member = ctx["hearing"].panel.get(category="manager").member
    client.force_login(member)
    allowed = [
        reverse("cases:hearings"),
        reverse("cases:hearing", kwargs=hearing_kwargs(ctx)),
        reverse("cases:hearing_bundle", kwargs=bundle_kwargs(ctx)),
    ]
    for url in allowed:
        assert client.get(url).status_code == 200, url
    refused = [
        reverse("cases:detail", kwargs=ref(ctx)),
        reverse("cases:evidence", kwargs={**ref(ctx), "number": ctx["evidence"].number}),
        reverse("cases:hearing_schedule", kwargs=ref(ctx)),
        reverse("cases:hearing_reschedule", kwargs=hearing_kwargs(ctx)),
        reverse("cases:hearing_panel", kwargs=hearing_kwargs(ctx)),
        reverse("cases:hearing_held", kwargs=hearing_kwargs(ctx)),
        # Not on the interim order hearing's panel: no interim orders, no other hearing.
        reverse("cases:hearing", kwargs=hearing_kwargs(ctx, "interim")),
        reverse("cases:interim_order_make", kwargs=ref(ctx)),
        reverse("cases:interim_order_review", kwargs=order_kwargs(ctx)),
    ]
    for url in refused:
        assert client.get(url).status_code == 403, url


def test_a_member_of_the_interim_order_panel_acts_on_interim_orders(client, settings, ctx):
    settings.DEMO_SKIP_MFA = True
    member = ctx["interim"].panel.get(is_chair=True).member
    client.force_login(member)
    for url in (
        reverse("cases:hearing", kwargs=hearing_kwargs(ctx, "interim")),
        reverse("cases:interim_order_make", kwargs=ref(ctx)),
        reverse("cases:interim_order_review", kwargs=order_kwargs(ctx)),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("cases:hearing", kwargs=hearing_kwargs(ctx))).status_code == 403


def test_a_panel_member_whose_role_ended_loses_the_hearing(client, settings, ctx):
    settings.DEMO_SKIP_MFA = True
    member = ctx["hearing"].panel.get(is_chair=True).member
    member.role_assignments.update(revoked_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    client.force_login(member)
    assert client.get(reverse("cases:hearing", kwargs=hearing_kwargs(ctx))).status_code == 403
    assert client.get(reverse("cases:hearings")).status_code == 403


def test_the_registrant_never_reaches_the_staff_hearing_pages(client, settings, ctx):
    settings.DEMO_SKIP_MFA = True
    user = person_make("registrant")
    Registrant.objects.filter(pk=ctx["case"].registrant_id).update(user=user)
    client.force_login(user)
    assert client.get(reverse("cases:hearing", kwargs=hearing_kwargs(ctx))).status_code == 403
    assert client.get(reverse("cases:hearing_bundle", kwargs=bundle_kwargs(ctx))).status_code == 403
    respond = reverse("cases:mine_hearing_respond", kwargs=hearing_kwargs(ctx))
    assert client.get(respond).status_code == 200
