"""The daily jobs exist on every database, do their work and say what they did."""

import datetime as dt

import pytest
from django_q.models import Schedule

from steward.cases import tasks
from steward.cases.models import SanctionStatus
from steward.cases.tests.factories import decide, make_case, make_registrant, months_later
from steward.cases.tests.test_sanctions import TODAY

pytestmark = pytest.mark.django_db


def test_the_daily_schedules_exist_after_migrating():
    funcs = set(Schedule.objects.values_list("func", flat=True))
    assert "steward.cases.tasks.daily_sanctions_lapse" in funcs
    assert "steward.cases.tasks.daily_appeal_windows_close" in funcs


def test_the_jobs_report_what_they_did_when_there_is_nothing_to_do():
    assert tasks.daily_sanctions_lapse() == "0 sanctions ended."
    assert tasks.daily_appeal_windows_close() == "Closed 0 cases after the appeal window."


def test_the_lapse_job_ends_a_sanction_whose_time_is_up(travel, make_user):
    travel(TODAY)
    case = make_case(make_registrant(), make_user("caseworker"))
    ends = months_later(2)
    sanction = decide(case, make_user("hearings_officer"), "suspension", ends_on=ends)
    travel(ends + dt.timedelta(days=1))
    assert tasks.daily_sanctions_lapse() == "1 sanction ended."
    sanction.refresh_from_db()
    assert sanction.status == SanctionStatus.ENDED


def test_the_reviews_job_is_scheduled_and_says_what_it_did():
    assert Schedule.objects.filter(func="steward.cases.tasks.daily_reviews_remind").exists()
    assert tasks.daily_reviews_remind() == "Reminded hearings officers of 0 reviews."


def test_hearings_officers_are_reminded_twice_of_a_review_to_arrange(travel, make_user):
    from django.conf import settings

    from steward.notifications.models import Notification

    travel(TODAY)
    officer = make_user("hearings_officer")
    case = make_case(make_registrant(), make_user("caseworker"))
    sanction = decide(case, officer, "suspension", ends_on=months_later(10))
    review_by = sanction.review_by
    notice = dt.timedelta(days=settings.CASES_HEARING_NOTICE_DAYS)

    def reminders() -> list[str]:
        return list(
            Notification.objects.filter(user=officer, subject__contains="to arrange")
            .order_by("pk")
            .values_list("body", flat=True)
        )

    travel(review_by - notice - dt.timedelta(days=1))
    assert tasks.daily_reviews_remind() == "Reminded hearings officers of 0 reviews."
    travel(review_by - notice)
    assert tasks.daily_reviews_remind() == "Reminded hearings officers of 1 review."
    assert f"Case {case.reference}: review by" in reminders()[0]
    travel(review_by - notice + dt.timedelta(days=1))  # no daily stream
    assert tasks.daily_reviews_remind() == "Reminded hearings officers of 0 reviews."
    travel(review_by)
    assert tasks.daily_reviews_remind() == "Reminded hearings officers of 1 review."
    assert reminders()[-1].endswith("(today)")
    assert len(reminders()) == 2
