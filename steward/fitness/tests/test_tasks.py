"""Reminders of the annual return, sent by the daily background task, with the clock moved."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from steward.audit.models import AuditEvent
from steward.fitness import returns, tasks
from steward.fitness.models import ReturnReminder
from steward.fitness.tests import factories_returns as f
from steward.notifications.models import Notification

pytestmark = pytest.mark.django_db

YEAR = 2025
DEADLINE = dt.date(2026, 6, 30)


@pytest.fixture
def chair(make_user, organisation):
    return make_user("chair", organisation=organisation)


@pytest.fixture
def assessed(organisation):
    return f.assessment(organisation, year=YEAR, outcome="")


def run_on(travel, day: dt.date, capture) -> int:
    travel(day)
    with capture(execute=True):
        return int(tasks.daily_return_reminders().split()[1])


def kinds(organisation) -> list[str]:
    return list(
        ReturnReminder.objects.filter(organisation=organisation, year=YEAR)
        .order_by("sent_at", "pk")
        .values_list("kind", flat=True)
    )


def test_a_reminder_at_each_threshold_and_once_overdue_by_email_and_in_steward(
    organisation, chair, assessed, travel, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    # Before the first threshold nothing is due.
    assert run_on(travel, DEADLINE - dt.timedelta(days=29), capture) == 0
    for days, kind in ((28, "28-days"), (14, "14-days"), (7, "7-days"), (1, "1-day")):
        assert run_on(travel, DEADLINE - dt.timedelta(days=days), capture) == 1, kind
        assert kinds(organisation)[-1] == kind
        # Every day between thresholds: nothing new.
        assert run_on(travel, DEADLINE - dt.timedelta(days=days - 1), capture) == 0
    assert run_on(travel, DEADLINE + dt.timedelta(days=1), capture) == 1
    assert run_on(travel, DEADLINE + dt.timedelta(days=30), capture) == 0

    assert kinds(organisation) == ["28-days", "14-days", "7-days", "1-day", "overdue"]
    notes = list(Notification.objects.filter(user=chair).order_by("created_at", "pk"))
    assert [n.subject for n in notes] == [
        "Fit and proper annual return 2025 due in 28 days",
        "Fit and proper annual return 2025 due in 14 days",
        "Fit and proper annual return 2025 due in 7 days",
        "Fit and proper annual return 2025 due tomorrow",
        "Fit and proper annual return 2025 is overdue",
    ]
    assert all(n.url == "/fitness/RR8/2025/return/" for n in notes)
    assert all(n.topic == "fitness.return.reminder" for n in notes)
    assert len(mail.outbox) == 5
    assert all(m.to == [chair.email] for m in mail.outbox)
    assert "was due on 30 June 2026" in mail.outbox[-1].body
    assert AuditEvent.objects.filter(action="fitness.return.reminder_sent").count() == 5


def test_running_twice_a_day_sends_nothing_new(
    organisation, chair, assessed, travel, django_capture_on_commit_callbacks
):
    day = DEADLINE - dt.timedelta(days=14)
    assert run_on(travel, day, django_capture_on_commit_callbacks) == 1
    travel(dt.datetime.combine(day, dt.time(18, 0), tzinfo=dt.UTC))
    assert returns.send_return_reminders() == 0
    assert len(mail.outbox) == 1


def test_a_worker_that_missed_days_sends_only_the_latest_reminder_due(
    organisation, chair, assessed, travel, django_capture_on_commit_callbacks
):
    # The worker was down from before the 28-day reminder until 5 days before.
    assert run_on(travel, DEADLINE - dt.timedelta(days=5), django_capture_on_commit_callbacks) == 1

    assert kinds(organisation) == ["7-days"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Fit and proper annual return 2025 due in 5 days"


def test_down_until_after_the_deadline_sends_only_the_overdue_reminder(
    organisation, chair, assessed, travel, django_capture_on_commit_callbacks
):
    assert run_on(travel, dt.date(2026, 8, 1), django_capture_on_commit_callbacks) == 1
    assert kinds(organisation) == ["overdue"]


def test_no_reminders_once_the_return_is_submitted(
    organisation, chair, assessed, travel, django_capture_on_commit_callbacks
):
    f.conclude(assessed)
    travel(DEADLINE - dt.timedelta(days=20))
    returns.annual_return_submit(
        organisation=organisation, year=YEAR, chair_statement="Done.", actor=chair
    )
    assert run_on(travel, DEADLINE - dt.timedelta(days=14), django_capture_on_commit_callbacks) == 0
    assert run_on(travel, DEADLINE + dt.timedelta(days=1), django_capture_on_commit_callbacks) == 0


def test_a_returned_return_not_resubmitted_is_reminded_again(
    organisation, region, chair, make_user, assessed, travel, django_capture_on_commit_callbacks
):
    f.conclude(assessed)
    director = make_user("regional_director", region=region)
    travel(DEADLINE - dt.timedelta(days=20))
    submitted = returns.annual_return_submit(
        organisation=organisation, year=YEAR, chair_statement="Done.", actor=chair
    )
    returns.annual_return_send_back(
        annual_return=submitted, comments="Fix it.", actor=director, expected_version=1
    )

    assert run_on(travel, DEADLINE - dt.timedelta(days=7), django_capture_on_commit_callbacks) == 1
    assert kinds(organisation) == ["7-days"]


def test_closed_organisations_and_organisations_without_a_chair_are_not_reminded(
    region, travel, django_capture_on_commit_callbacks, make_user
):
    closed = f.organisation(region, closed_on=dt.date(2026, 3, 31))
    make_user("chair", organisation=closed)
    f.assessment(closed, year=YEAR, outcome="")
    no_chair = f.organisation(region)
    f.assessment(no_chair, year=YEAR, outcome="")

    assert run_on(travel, DEADLINE - dt.timedelta(days=7), django_capture_on_commit_callbacks) == 0
    assert not ReturnReminder.objects.exists()

    # A chair appointed later gets the latest reminder, not the ones missed.
    make_user("chair", organisation=no_chair)
    assert run_on(travel, DEADLINE - dt.timedelta(days=1), django_capture_on_commit_callbacks) == 1
    assert kinds(no_chair) == ["1-day"]


def test_reminder_days_follow_the_setting(
    settings, organisation, chair, assessed, travel, django_capture_on_commit_callbacks
):
    settings.FITNESS_REMINDER_DAYS = (60, 3)
    assert run_on(travel, DEADLINE - dt.timedelta(days=60), django_capture_on_commit_callbacks) == 1
    assert run_on(travel, DEADLINE - dt.timedelta(days=14), django_capture_on_commit_callbacks) == 0
    assert run_on(travel, DEADLINE - dt.timedelta(days=3), django_capture_on_commit_callbacks) == 1
    assert kinds(organisation) == ["60-days", "3-days"]


def test_migrate_schedules_the_daily_reminders():
    from django_q.models import Schedule

    Schedule.objects.filter(name="fitness daily return reminders").delete()
    call_command("migrate", verbosity=0)

    schedule = Schedule.objects.get(name="fitness daily return reminders")
    assert schedule.func == "steward.fitness.tasks.daily_return_reminders"
    assert schedule.schedule_type == Schedule.DAILY
    assert schedule.repeats == -1
