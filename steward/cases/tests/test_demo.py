"""The demo cases: every stage a case can rest at, built through the services, each
consistent with the rules, and loaded once."""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from steward.accounts.models import User
from steward.audit.models import AuditEvent
from steward.audit.verification import verify
from steward.cases import selectors
from steward.cases.alerts import ALERT_TOPIC
from steward.cases.appeals import appeal_windows_close
from steward.cases.conflicts import conflicts_for
from steward.cases.demo import cases_demo_load
from steward.cases.models import (
    Appeal,
    AppealStatus,
    Case,
    CaseSource,
    Determination,
    ExaminerDecision,
    Hearing,
    HearingKind,
    HearingStatus,
    Sanction,
    SanctionKind,
    SanctionStatus,
    Stage,
    StageChange,
    UndertakingsResponse,
)
from steward.cases.sanctions import sanctions_lapse
from steward.core import clock
from steward.core.demo import DEMO_DOMAIN, demo_load
from steward.notifications.models import Notification
from steward.register.models import RegisterStatus
from steward.register.public import barred_list

pytestmark = pytest.mark.django_db

# "Outcome accepted without a hearing" is passed through, never rested at: the
# examiners' warning (or accepted undertakings) is issued at once, opening the
# appeal window.
PASSED_THROUGH = {Stage.ACCEPTED_OUTCOME}
TODAY = dt.date(2026, 11, 22)


def demo_user(local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@{DEMO_DOMAIN}")


def the_case(stage: str, **filters) -> Case:
    return Case.objects.filter(stage=stage, **filters).select_related("registrant").get()


@pytest.fixture
def loaded(travel, settings):
    settings.DEMO_SKIP_MFA = True
    travel(TODAY)
    demo_load()
    started = time.perf_counter()
    cases_demo_load(actor="steward demo")
    print(f"cases demo: {time.perf_counter() - started:.2f}s")  # noqa: T201
    cache.clear()
    yield
    cache.clear()


def test_the_demo_cases(loaded, client):
    check_every_stage_a_case_rests_at(client)
    check_the_clock_is_back()
    check_the_people_on_each_case()
    check_the_triage_case_came_from_the_recommended_concern()
    check_the_examiners_and_undertakings()
    check_the_scheduled_hearings()
    check_the_determination_waits_for_its_sanction()
    check_the_suspension_is_public_and_the_employer_alerted(client)
    check_someone_is_barred(client)
    check_the_health_case_is_never_published(client)
    check_the_demo_registrant_sees_her_cases(client)
    check_nothing_is_left_for_the_daily_jobs()
    check_loading_again_creates_nothing()


def check_every_stage_a_case_rests_at(client):
    stages = set(Case.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values) - PASSED_THROUGH
    assert StageChange.objects.filter(to_stage=Stage.ACCEPTED_OUTCOME).exists()
    # Every case page opens for the regulator's staff who work on cases.
    for staff in ("caseworker", "case-examiner", "hearings-officer"):
        client.force_login(demo_user(staff))
        assert client.get(reverse("cases:list"), {"filter": "all"}).status_code == 200
        for case in Case.objects.all():
            response = client.get(reverse("cases:detail", kwargs={"reference": case.reference}))
            assert response.status_code == 200, (staff, case.reference)
        client.logout()


def check_the_clock_is_back():
    assert clock.today() == TODAY
    assert not Case.objects.filter(opened_on__gt=TODAY).exists()
    assert Case.objects.filter(opened_on=TODAY).exists()
    # The audit trail reads in date order.
    times = list(
        AuditEvent.objects.filter(action__startswith="cases.")
        .order_by("seq")
        .values_list("occurred_at", flat=True)
    )
    assert times == sorted(times)


def check_the_people_on_each_case():
    """Cases are about people on the register, never the demo examiners or panel
    members, and nobody who decided or sat has a conflict."""
    deciders = {
        demo_user(name)
        for name in (
            "case-examiner",
            "case-examiner-lay",
            "panel-lay",
            "panel-lay-2",
            "panel-manager",
        )
    }
    assert not Case.objects.filter(registrant__user__in=deciders).exists()
    for decision in ExaminerDecision.objects.select_related("case__registrant"):
        for person in (decision.lay_examiner, decision.manager_examiner):
            assert conflicts_for(user=person, case=decision.case) == []
    for hearing in Hearing.objects.prefetch_related("panel__member"):
        seats = list(hearing.panel.all())
        assert len(seats) == 3
        assert [s.category for s in seats if s.is_chair] == ["lay"]
        assert {s.category for s in seats} == {"lay", "manager"}
        for seat in seats:
            assert conflicts_for(user=seat.member, case=hearing.case) == []
    for case in Case.objects.all():
        assert case.summary and case.allegations.exists(), case.reference
        assert case.caseworker == demo_user("caseworker")


def check_the_triage_case_came_from_the_recommended_concern():
    case = the_case(Stage.TRIAGE)
    assert case.source == CaseSource.CONCERN
    assert case.concern_decision.outcome == "open_case"
    assert not selectors.concern_recommendations().exists()
    # The not fit and proper referral is left for the caseworker to open.
    assert selectors.not_fit_referrals_open().exists()
    investigation = Case.objects.filter(stage=Stage.INVESTIGATION, source=CaseSource.EMPLOYER)
    assert any(c.evidence.count() >= 3 for c in investigation)


def check_the_examiners_and_undertakings():
    waiting = Case.objects.filter(stage=Stage.CASE_EXAMINERS)
    assert waiting.count() == 2
    assert not ExaminerDecision.objects.filter(case__in=waiting).exists()
    offered = the_case(Stage.UNDERTAKINGS_OFFERED)
    assert offered.registrant.user == demo_user("registrant")
    decision = offered.examiner_decisions.get()
    assert decision.undertakings_response == UndertakingsResponse.PENDING
    assert decision.undertakings
    warning = Sanction.objects.get(kind=SanctionKind.WARNING, case__stage=Stage.CLOSED)
    assert warning.published and warning.published_summary
    advice = Sanction.objects.get(kind=SanctionKind.ADVICE)
    assert not advice.published and advice.case.stage == Stage.CLOSED


def check_the_scheduled_hearings():
    today = clock.today()
    panel = the_case(Stage.PANEL_HEARING)
    hearing = panel.hearings.get()
    assert hearing.kind == HearingKind.SUBSTANTIVE
    assert hearing.status == HearingStatus.SCHEDULED
    assert hearing.starts_on >= today + dt.timedelta(days=28)
    assert hearing.starts_on - hearing.notice_served_on >= dt.timedelta(days=28)
    assert hearing.starts_on.weekday() < 5
    review = the_case(Stage.REVIEW)
    review_hearing = review.hearings.get(kind=HearingKind.REVIEW)
    assert review_hearing.status == HearingStatus.SCHEDULED
    conditions = review.sanctions.get(status=SanctionStatus.IN_FORCE)
    assert today < review_hearing.starts_on <= conditions.ends_on
    for held in Hearing.objects.filter(status=HearingStatus.HELD):
        assert held.starts_on <= today
        assert held.starts_on - held.notice_served_on >= dt.timedelta(days=28)
        assert held.starts_on.weekday() < 5
    interim = Sanction.objects.get(interim=True, kind=SanctionKind.SUSPENSION)
    assert interim.status == SanctionStatus.IN_FORCE
    assert interim.case.stage == Stage.INVESTIGATION
    assert interim.review_by <= interim.effective_from + dt.timedelta(days=184)
    assert interim.registrant.status == RegisterStatus.SUSPENDED
    assert interim.registrant.career_roles.filter(organisation__ods_code="RR8").exists()
    assert Notification.objects.filter(
        user=demo_user("hr-lead"),
        topic=ALERT_TOPIC,
        subject__contains=interim.registrant.registration_number,
    ).exists()


def check_the_determination_waits_for_its_sanction():
    case = the_case(Stage.DETERMINATION)
    determination = case.determinations.get()
    assert determination.issued_at is None
    assert determination.impaired is True
    assert set(determination.facts) == {"1", "2", "3"}
    assert [f["proved"] for _, f in sorted(determination.facts.items())] == [True, True, False]
    assert determination.sanction == ""


def check_the_suspension_is_public_and_the_employer_alerted(client):
    case = the_case(Stage.APPEAL_WINDOW)
    registrant = case.registrant
    assert registrant.status == RegisterStatus.SUSPENDED
    determination = Determination.objects.get(case=case, issued_at__isnull=False)
    assert determination.sanction == SanctionKind.SUSPENSION
    assert determination.appeal_by > clock.today()
    assert determination.pdf_sha256
    page = client.get(
        reverse("register:entry", kwargs={"registration_number": registrant.registration_number})
    ).content.decode()
    assert "Suspended" in page
    assert "suspended their registration for 9 months" in page
    hr_lead = demo_user("hr-lead")
    assert Notification.objects.filter(
        user=hr_lead, topic=ALERT_TOPIC, subject__contains=registrant.registration_number
    ).exists()


def check_someone_is_barred(client):
    case = Case.objects.get(sanctions__kind=SanctionKind.BARRING)
    assert case.stage == Stage.CLOSED
    barred = [e for e in barred_list().entries if e.registrant.pk == case.registrant_id]
    assert barred and barred[0].sanction_id is not None
    page = client.get(reverse("register:barred")).content.decode()
    assert case.registrant.registration_number in page
    conditions = Sanction.objects.get(
        kind=SanctionKind.CONDITIONS, interim=False, case__stage=Stage.CLOSED
    )
    assert conditions.status == SanctionStatus.IN_FORCE
    assert conditions.registrant.status == RegisterStatus.CONDITIONS


def check_the_health_case_is_never_published(client):
    case = Case.objects.get(health_related=True)
    order = case.sanctions.get()
    assert order.interim and not order.published and order.status == SanctionStatus.IN_FORCE
    number = case.registrant.registration_number
    pages = [
        client.get(reverse("register:entry", kwargs={"registration_number": number})),
        client.get(reverse("register:search"), {"q": case.registrant.legal_surname}),
        client.get(reverse("register:barred")),
        client.get(f"/api/v1/register/{number}"),
    ]
    for response in pages:
        assert response.status_code == 200
        text = response.content.decode().lower()
        for secret in (
            case.reference,
            order.conditions[:40],
            "occupational",
            "unwell",
            "interim order",
        ):
            assert secret.lower() not in text, secret


def check_the_demo_registrant_sees_her_cases(client):
    user = demo_user("registrant")
    cases = list(selectors.own_cases(user=user))
    assert {c.stage for c in cases} == {Stage.UNDERTAKINGS_OFFERED, Stage.APPEAL}
    appeal = Appeal.objects.get()
    assert appeal.status == AppealStatus.LODGED
    assert appeal.determination.case.registrant.user == user
    assert appeal.determination.case.hearings.get().kind == HearingKind.APPEAL
    assert Notification.objects.filter(user=user, subject="Undertakings offered on your case")
    client.force_login(user)
    for case in cases:
        response = client.get(reverse("cases:mine_detail", kwargs={"reference": case.reference}))
        assert response.status_code == 200
    client.logout()


def check_nothing_is_left_for_the_daily_jobs():
    assert sanctions_lapse() == 0
    assert appeal_windows_close() == 0


def check_loading_again_creates_nothing():
    counts = (
        Case.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        Hearing.objects.count(),
    )
    cases_demo_load(actor="steward demo")
    demo_load()
    assert counts == (
        Case.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        Hearing.objects.count(),
    )
    assert AuditEvent.objects.filter(action="cases.demo.loaded").count() == 1
    assert verify().ok
