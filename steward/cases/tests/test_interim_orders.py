"""Interim orders: made at an interim order hearing while a case is open, for at most
18 months, reviewed at least every 6 months, shown while in force, ended by lapse,
revocation or the case's substantive determination."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.cases.models import Hearing, HearingKind, HearingStatus, Sanction, SanctionStatus
from steward.cases.sanctions import (
    interim_order_make,
    interim_order_review,
    reviews_due,
    sanction_from_determination,
    sanctions_lapse,
)
from steward.cases.stages import stage_move
from steward.cases.tests.factories import (
    decide,
    make_case,
    make_determination,
    months_later,
    status_of,
)
from steward.cases.tests.test_sanctions import TODAY
from steward.register.models import RegisterStatus, StatusChange

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def hearing(case, officer):
    return Hearing.objects.create(
        case=case,
        kind=HearingKind.INTERIM_ORDER,
        starts_on=TODAY,
        status=HearingStatus.HELD,
        scheduled_by=officer,
    )


@pytest.fixture
def employers(make_user, organisation):
    return [
        make_user("chair", organisation=organisation),
        make_user("hr_lead", organisation=organisation),
    ]


def make_order(case, hearing, actor, kind="suspension", months=9, conditions=""):
    return interim_order_make(
        case=case, kind=kind, months=months, conditions=conditions, hearing=hearing, actor=actor
    )


def test_an_interim_suspension_suspends_is_reviewed_within_six_months_and_alerts(
    client, case, hearing, registrant, officer, employers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order(case, hearing, officer, months=9)
    assert order.interim and order.kind == "suspension"
    assert order.effective_from == TODAY and order.ends_on == dt.date(2027, 8, 2)
    assert order.review_by == dt.date(2027, 5, 2)
    assert order.published and order.publish_until is None
    assert status_of(registrant) == RegisterStatus.SUSPENDED
    assert case.reference in registrant.status_changes.order_by("-pk").first().reason
    event = AuditEvent.objects.get(action="cases.interim_order.made")
    assert event.payload_data["months"] == 9 and event.payload_data["alerted"] == ["RR8"]
    assert len(mail.outbox) == 2
    assert "interim order suspending their registration" in mail.outbox[0].body
    page = client.get(
        reverse("register:entry", kwargs={"registration_number": registrant.registration_number})
    ).content.decode()
    assert "Interim order: suspension in force" in page
    assert "Interim order: suspension" in page


def test_a_short_order_is_reviewed_by_its_end(case, hearing, officer):
    order = make_order(case, hearing, officer, months=3)
    assert order.review_by == order.ends_on == dt.date(2027, 2, 2)


def test_interim_conditions_need_their_text(case, hearing, registrant, officer):
    with pytest.raises(ValidationError, match="Enter the conditions"):
        make_order(case, hearing, officer, kind="conditions", conditions="  ")
    order = make_order(case, hearing, officer, kind="conditions", conditions="No board roles.")
    assert order.conditions == "No board roles."
    assert status_of(registrant) == RegisterStatus.CONDITIONS


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"months": 19}, "at most 18 months"),
        ({"months": 0}, "how many months"),
        ({"months": "six"}, "how many months"),
        ({"kind": "barring"}, "interim conditions or an interim suspension"),
    ],
)
def test_impossible_orders_are_refused(case, hearing, registrant, officer, values, message):
    with pytest.raises(ValidationError, match=message):
        make_order(case, hearing, officer, **values)
    assert not Sanction.objects.exists()
    assert status_of(registrant) == RegisterStatus.REGISTERED


def test_an_order_is_made_at_an_interim_order_hearing_that_has_happened(case, officer):
    substantive = Hearing.objects.create(
        case=case, kind=HearingKind.SUBSTANTIVE, starts_on=TODAY, scheduled_by=officer
    )
    with pytest.raises(ValidationError, match="interim order hearing"):
        make_order(case, substantive, officer)
    later = Hearing.objects.create(
        case=case,
        kind=HearingKind.INTERIM_ORDER,
        starts_on=TODAY + dt.timedelta(days=3),
        scheduled_by=officer,
    )
    with pytest.raises(ValidationError, match="make the order then"):
        make_order(case, later, officer)
    cancelled = Hearing.objects.create(
        case=case,
        kind=HearingKind.INTERIM_ORDER,
        starts_on=TODAY,
        status=HearingStatus.CANCELLED,
        scheduled_by=officer,
    )
    with pytest.raises(ValidationError, match="cancelled"):
        make_order(case, cancelled, officer)
    with pytest.raises(ValidationError, match="Choose the interim order hearing"):
        make_order(case, None, officer)
    assert not Sanction.objects.exists()


def test_no_order_on_a_closed_case_and_one_at_a_time(case, hearing, caseworker, officer):
    make_order(case, hearing, officer)
    with pytest.raises(ValidationError, match="already in force"):
        make_order(case, hearing, officer)
    other = make_case(case.registrant, caseworker)
    stage_move(case=other, move="close_at_triage", actor=caseworker, reason="No case")
    other_hearing = Hearing.objects.create(
        case=other, kind=HearingKind.INTERIM_ORDER, starts_on=TODAY, scheduled_by=officer
    )
    with pytest.raises(ValidationError, match="closed"):
        make_order(other, other_hearing, officer)
    assert Sanction.objects.count() == 1


def test_panel_members_sitting_on_the_hearing_may_make_the_order_others_may_not(
    case, hearing, make_user
):
    for role in ("caseworker", "registrar", "panel_member"):
        with pytest.raises(PermissionDenied):
            make_order(case, hearing, make_user(role))
    member = make_user("panel_member", panel_category="lay")
    hearing.panel.create(member=member, category="lay", is_chair=True)
    assert make_order(case, hearing, member).status == SanctionStatus.IN_FORCE


# --- Reviews -----------------------------------------------------------------------


def test_continuing_sets_the_next_review(case, hearing, officer, travel):
    order = make_order(case, hearing, officer, months=18)
    assert order.review_by == dt.date(2027, 5, 2)
    travel(dt.date(2027, 4, 20))
    assert reviews_due() == [order]
    reviewed = interim_order_review(
        sanction=order, outcome="continue", reasons="Risk remains.", actor=officer
    )
    assert reviewed.pk == order.pk and reviewed.review_by == dt.date(2027, 10, 20)
    event = AuditEvent.objects.get(action="cases.interim_order.reviewed")
    assert event.payload_data["outcome"] == "continue"
    assert reviews_due() == []


def test_varying_replaces_the_order_with_new_terms_to_the_same_end(
    case, hearing, registrant, officer, employers, django_capture_on_commit_callbacks
):
    order = make_order(case, hearing, officer, months=12)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        varied = interim_order_review(
            sanction=order,
            outcome="vary",
            reasons="Conditions now enough.",
            kind="conditions",
            conditions="No finance roles.",
            actor=officer,
        )
    order.refresh_from_db()
    assert order.status == SanctionStatus.SUPERSEDED
    assert varied.interim and varied.kind == "conditions" and varied.ends_on == order.ends_on
    assert varied.review_by == dt.date(2027, 5, 2)
    assert status_of(registrant) == RegisterStatus.CONDITIONS
    body = mail.outbox[0].body
    assert "An interim order suspending their registration ended on 2 November 2026" in body
    assert "An interim order placing conditions on their practice took effect" in body
    assert "No finance roles" not in body


def test_revoking_restores_the_registration(case, hearing, registrant, officer, employers):
    order = make_order(case, hearing, officer)
    mail.outbox.clear()
    revoked = interim_order_review(
        sanction=order, outcome="revoke", reasons="Risk has gone.", actor=officer
    )
    assert revoked.status == SanctionStatus.REVOKED and revoked.ended_on == TODAY
    assert status_of(registrant) == RegisterStatus.REGISTERED
    with pytest.raises(ValidationError, match="no longer in force"):
        interim_order_review(sanction=order, outcome="continue", reasons="x", actor=officer)


def test_revoking_leaves_another_sanction_in_force(case, hearing, registrant, caseworker, officer):
    other = make_case(registrant, caseworker)
    decide(other, officer, "conditions", ends_on=months_later(12), conditions="Mentor")
    order = make_order(case, hearing, officer)
    assert status_of(registrant) == RegisterStatus.SUSPENDED
    interim_order_review(sanction=order, outcome="revoke", reasons="Gone.", actor=officer)
    assert status_of(registrant) == RegisterStatus.CONDITIONS


def test_a_review_needs_reasons_and_an_outcome(case, hearing, officer, make_user):
    order = make_order(case, hearing, officer)
    with pytest.raises(ValidationError, match="reasons"):
        interim_order_review(sanction=order, outcome="continue", reasons=" ", actor=officer)
    with pytest.raises(ValidationError, match="continue, vary or revoke"):
        interim_order_review(sanction=order, outcome="extend", reasons="x", actor=officer)
    with pytest.raises(PermissionDenied):
        interim_order_review(
            sanction=order, outcome="revoke", reasons="x", actor=make_user("caseworker")
        )
    order.refresh_from_db()
    assert order.status == SanctionStatus.IN_FORCE


# --- Ending --------------------------------------------------------------------------


def test_the_substantive_determination_ends_the_interim_order(
    case, hearing, registrant, officer, employers, django_capture_on_commit_callbacks
):
    order = make_order(case, hearing, officer)
    changes = StatusChange.objects.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        suspension = sanction_from_determination(
            determination=make_determination(case, "suspension", ends_on=months_later(6)),
            actor=officer,
        )
    order.refresh_from_db()
    assert order.status == SanctionStatus.ENDED and order.ended_on == TODAY
    assert suspension.status == SanctionStatus.IN_FORCE and not suspension.interim
    assert status_of(registrant) == RegisterStatus.SUSPENDED
    assert StatusChange.objects.count() == changes  # suspended throughout
    body = mail.outbox[0].body
    assert "interim order suspending their registration ended" in body
    assert "suspension of their registration took effect" in body


def test_a_determination_with_no_sanction_ends_the_order_and_restores(
    case, hearing, registrant, officer
):
    make_order(case, hearing, officer)
    assert sanction_from_determination(determination=make_determination(case), actor=officer) is (
        None
    )
    assert status_of(registrant) == RegisterStatus.REGISTERED


def test_an_order_lapses_at_its_end(case, hearing, registrant, officer, travel):
    order = make_order(case, hearing, officer, months=3)
    travel(order.ends_on + dt.timedelta(days=1))
    assert sanctions_lapse() == 1
    order.refresh_from_db()
    assert order.status == SanctionStatus.ENDED
    assert status_of(registrant) == RegisterStatus.REGISTERED
