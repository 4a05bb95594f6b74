"""A determination's sanction: its dates, publication, its effect on the register
status, supersession, lapses and reviews. Determinations are built directly here."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from steward.audit.models import AuditEvent
from steward.cases.models import (
    DeterminationKind,
    Hearing,
    HearingKind,
    Sanction,
    SanctionStatus,
)
from steward.cases.sanctions import reviews_due, sanction_from_determination, sanctions_lapse
from steward.cases.tests.factories import (
    SUMMARY,
    decide,
    make_case,
    make_determination,
    months_later,
    status_of,
)
from steward.register.models import RegisterStatus, StatusChange
from steward.register.services import register_status_change

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

TODAY = dt.date(2026, 11, 2)


# --- Fixtures ----------------------------------------------------------------------


@pytest.fixture
def employers(make_user, organisation):
    return [
        make_user("chair", organisation=organisation, email="chair@rr8.example"),
        make_user("chief_executive", organisation=organisation, email="ceo@rr8.example"),
        make_user("hr_lead", organisation=organisation, email="hr@rr8.example"),
    ]


# --- Each sanction's effect ------------------------------------------------------


def test_conditions_put_conditions_on_the_registration_with_a_review_before_they_end(
    case, registrant, officer, employers, django_capture_on_commit_callbacks
):
    ends = months_later(12)
    with django_capture_on_commit_callbacks(execute=True):
        sanction = decide(
            case, officer, "conditions", ends_on=ends, conditions="Work under a mentor."
        )
    assert sanction.kind == "conditions" and sanction.status == SanctionStatus.IN_FORCE
    assert (sanction.effective_from, sanction.ends_on) == (TODAY, ends)
    assert sanction.review_by == ends - dt.timedelta(days=56)
    assert sanction.published and sanction.publish_until == dt.date(2037, 11, 2)
    assert sanction.conditions == "Work under a mentor."
    assert sanction.published_summary == SUMMARY
    assert status_of(registrant) == RegisterStatus.CONDITIONS
    change = registrant.status_changes.order_by("-pk").first()
    assert case.reference in change.reason and change.effective_on == TODAY
    event = AuditEvent.objects.get(action="cases.sanction.imposed")
    assert event.payload_data["kind"] == "conditions"
    assert event.payload_data["alerted"] == ["RR8"]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ceo@rr8.example",
        "chair@rr8.example",
        "hr@rr8.example",
    ]


def test_a_suspension_suspends_and_is_published_for_ten_years_after_it_ends(
    case, registrant, officer
):
    ends = months_later(6)
    sanction = decide(case, officer, "suspension", ends_on=ends)
    assert status_of(registrant) == RegisterStatus.SUSPENDED
    assert sanction.review_by == ends - dt.timedelta(days=56)
    assert sanction.publish_until == ends.replace(year=ends.year + 10)


def test_barring_bars_with_no_end_and_is_published_while_it_lasts(case, registrant, officer):
    sanction = decide(case, officer, "barring", ends_on=None)
    assert status_of(registrant) == RegisterStatus.BARRED
    assert sanction.ends_on is None and sanction.publish_until is None
    assert sanction.review_by is None and sanction.published


def test_a_warning_changes_no_status_and_is_published_for_five_years(
    case, registrant, officer, employers
):
    sanction = decide(case, officer, "warning")
    assert status_of(registrant) == RegisterStatus.REGISTERED
    assert sanction.publish_until == dt.date(2031, 11, 2)
    assert sanction.ends_on is None and sanction.review_by is None
    assert not mail.outbox  # employers are told of restrictions only


def test_undertakings_are_published_for_five_years_without_their_text(case, registrant, officer):
    sanction = decide(
        case, officer, "undertakings", conditions="Private undertaking about treatment"
    )
    assert status_of(registrant) == RegisterStatus.REGISTERED
    assert sanction.publish_until == dt.date(2031, 11, 2)
    assert sanction.conditions == ""


def test_advice_is_never_published(case, registrant, officer, employers):
    sanction = decide(case, officer, "advice")
    assert not sanction.published and sanction.publish_until is None
    assert status_of(registrant) == RegisterStatus.REGISTERED
    assert not mail.outbox


def test_a_health_related_case_is_never_published_but_the_status_still_changes(
    registrant, caseworker, officer
):
    case = make_case(registrant, caseworker, health_related=True)
    sanction = decide(case, officer, "suspension", ends_on=months_later(3))
    assert not sanction.published and sanction.publish_until is None
    assert sanction.published_summary == ""
    assert status_of(registrant) == RegisterStatus.SUSPENDED


def test_no_sanction_creates_nothing(case, registrant, officer, employers):
    assert decide(case, officer, "") is None
    assert not Sanction.objects.exists()
    assert status_of(registrant) == RegisterStatus.REGISTERED
    assert not mail.outbox


def test_applying_the_same_determination_again_changes_nothing(
    case, registrant, officer, employers, django_capture_on_commit_callbacks
):
    determination = make_determination(case, "suspension", ends_on=months_later(6))
    with django_capture_on_commit_callbacks(execute=True):
        first = sanction_from_determination(determination=determination, actor=officer)
        again = sanction_from_determination(determination=determination, actor=officer)
    assert first.pk == again.pk
    assert Sanction.objects.count() == 1
    assert StatusChange.objects.filter(registrant=registrant, to_status="suspended").count() == 1
    assert AuditEvent.objects.filter(action="cases.sanction.imposed").count() == 1
    assert len(mail.outbox) == 3


def test_a_status_already_in_place_is_not_an_error(case, registrant, officer):
    register_status_change(
        registrant=registrant, to_status="conditions", reason="Registrar", actor="tests"
    )
    before = StatusChange.objects.count()
    sanction = decide(case, officer, "conditions", ends_on=months_later(6), conditions="Mentor")
    assert sanction.status == SanctionStatus.IN_FORCE
    assert status_of(registrant) == RegisterStatus.CONDITIONS
    assert StatusChange.objects.count() == before


def test_a_bar_recorded_before_cases_existed_is_not_lifted_by_a_lesser_sanction(
    case, registrant, officer
):
    register_status_change(
        registrant=registrant, to_status="barred", reason="Legacy bar", actor="tests"
    )
    decide(case, officer, "conditions", ends_on=months_later(6), conditions="Mentor")
    assert status_of(registrant) == RegisterStatus.BARRED


@pytest.mark.parametrize(
    ("sanction", "values", "message"),
    [
        ("suspension", {"ends_on": None}, "Enter the date the suspension end"),
        ("suspension", {"ends_on": dt.date(2028, 1, 1)}, "at most 12 months"),
        ("conditions", {"ends_on": dt.date(2027, 6, 1), "conditions": ""}, "Enter the conditions"),
        ("conditions", {"ends_on": dt.date(2026, 1, 1), "conditions": "x"}, "on or after"),
    ],
)
def test_impossible_terms_are_refused_and_change_nothing(
    case, registrant, officer, sanction, values, message
):
    with pytest.raises(ValidationError, match=message):
        decide(case, officer, sanction, **values)
    assert not Sanction.objects.exists()
    assert status_of(registrant) == RegisterStatus.REGISTERED


@pytest.mark.parametrize("role", ["registrar", "chair", "registrant", "auditor"])
def test_only_case_staff_apply_a_decision(case, registrant, make_user, organisation, role):
    actor = make_user(role, organisation=organisation if role == "chair" else None)
    with pytest.raises(PermissionDenied):
        decide(case, actor, "suspension", ends_on=months_later(3))
    assert status_of(registrant) == RegisterStatus.REGISTERED


def test_the_registrant_accepting_undertakings_applies_them(case, registrant, make_user):
    user = make_user("registrant")
    registrant.user = user
    registrant.save(update_fields=["user"])
    sanction = decide(
        case, user, "undertakings", kind=DeterminationKind.EXAMINERS, conditions="Training"
    )
    assert sanction.kind == "undertakings"


# --- Supersession --------------------------------------------------------------------


def test_an_appeal_replaces_the_earlier_sanction_and_its_status(case, registrant, officer):
    earlier = make_determination(case, "suspension", ends_on=months_later(6))
    suspension = sanction_from_determination(determination=earlier, actor=officer)
    appeal = make_determination(
        case,
        "conditions",
        kind=DeterminationKind.APPEAL,
        supersedes=earlier,
        ends_on=months_later(6),
        conditions="Report monthly to the chair.",
    )
    conditions = sanction_from_determination(determination=appeal, actor=officer)
    suspension.refresh_from_db()
    assert suspension.status == SanctionStatus.SUPERSEDED and suspension.ended_on == TODAY
    assert not suspension.published  # the appeal replaced it: it leaves the public entry
    assert conditions.status == SanctionStatus.IN_FORCE
    assert status_of(registrant) == RegisterStatus.CONDITIONS
    # The superseded decision cannot be applied again as a fresh one.
    fresh = make_determination(case, "warning")
    make_determination(case, "", kind=DeterminationKind.APPEAL, supersedes=fresh)
    with pytest.raises(ValidationError, match="later decision has replaced"):
        sanction_from_determination(determination=fresh, actor=officer)


def test_an_appeal_with_no_sanction_restores_the_registration(case, registrant, officer):
    earlier = make_determination(case, "barring")
    sanction_from_determination(determination=earlier, actor=officer)
    assert status_of(registrant) == RegisterStatus.BARRED
    appeal = make_determination(case, "", kind=DeterminationKind.APPEAL, supersedes=earlier)
    assert sanction_from_determination(determination=appeal, actor=officer) is None
    assert status_of(registrant) == RegisterStatus.REGISTERED
    barring = Sanction.objects.get()
    assert barring.status == SanctionStatus.SUPERSEDED
    event = AuditEvent.objects.get(action="cases.sanction.lifted")
    assert event.payload_data["superseded"] == [barring.pk]


def test_a_review_ends_the_earlier_sanction_which_stays_published_for_its_period(
    case, registrant, officer
):
    earlier = make_determination(case, "suspension", ends_on=months_later(6))
    suspension = sanction_from_determination(determination=earlier, actor=officer)
    review = make_determination(
        case,
        "conditions",
        kind=DeterminationKind.REVIEW,
        supersedes=earlier,
        ends_on=months_later(12),
        conditions="Mentor",
    )
    sanction_from_determination(determination=review, actor=officer)
    suspension.refresh_from_db()
    assert suspension.status == SanctionStatus.SUPERSEDED and suspension.published
    assert suspension.publish_until == dt.date(2036, 11, 2)
    assert status_of(registrant) == RegisterStatus.CONDITIONS


# --- Lapses --------------------------------------------------------------------------


def test_a_suspension_lapses_after_its_end_date_and_the_registration_returns(
    case, registrant, officer, employers, travel, django_capture_on_commit_callbacks
):
    ends = months_later(3)
    sanction = decide(case, officer, "suspension", ends_on=ends)
    mail.outbox.clear()
    travel(ends)
    assert sanctions_lapse() == 0  # still in force on its last day
    travel(ends + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sanctions_lapse() == 1
    sanction.refresh_from_db()
    assert sanction.status == SanctionStatus.ENDED and sanction.ended_on == ends
    assert status_of(registrant) == RegisterStatus.REGISTERED
    change = registrant.status_changes.order_by("-pk").first()
    assert case.reference in change.reason
    assert AuditEvent.objects.filter(action="cases.sanction.lapsed").count() == 1
    assert len(mail.outbox) == 3 and "ended on" in mail.outbox[0].body
    assert sanctions_lapse() == 0  # nothing more to do


def test_when_one_sanction_lapses_the_status_follows_the_one_still_in_force(
    registrant, caseworker, officer, travel
):
    first = make_case(registrant, caseworker)
    second = make_case(registrant, caseworker)
    decide(first, officer, "conditions", ends_on=months_later(12), conditions="Mentor")
    decide(second, officer, "suspension", ends_on=months_later(2))
    assert status_of(registrant) == RegisterStatus.SUSPENDED
    travel(months_later(3))
    assert sanctions_lapse() == 1
    assert status_of(registrant) == RegisterStatus.CONDITIONS


def test_a_sanction_starting_later_applies_on_its_day(case, registrant, officer, travel):
    starts = TODAY + dt.timedelta(days=28)
    decide(
        case, officer, "suspension", effective_from=starts, ends_on=starts + dt.timedelta(days=90)
    )
    assert status_of(registrant) == RegisterStatus.REGISTERED
    travel(starts - dt.timedelta(days=1))
    sanctions_lapse()
    assert status_of(registrant) == RegisterStatus.REGISTERED
    travel(starts)
    sanctions_lapse()
    assert status_of(registrant) == RegisterStatus.SUSPENDED
    assert registrant.status_since == starts


# --- Reviews due -----------------------------------------------------------------------


def test_reviews_due_lists_sanctions_whose_review_is_near_and_not_yet_arranged(
    case, registrant, officer, travel
):
    sanction = decide(case, officer, "conditions", ends_on=months_later(6), conditions="Mentor")
    decide(make_case(registrant, case.caseworker), officer, "warning")
    assert reviews_due() == []
    travel(sanction.review_by - dt.timedelta(days=10))
    assert reviews_due() == [sanction]
    Hearing.objects.create(
        case=case,
        kind=HearingKind.REVIEW,
        starts_on=sanction.review_by,
        scheduled_by=officer,
    )
    assert reviews_due() == []
