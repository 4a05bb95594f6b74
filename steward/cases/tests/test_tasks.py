"""The daily jobs exist on every database, do their work and say what they did."""

import datetime as dt

import pytest
from django_q.models import Schedule

from steward.cases import tasks
from steward.cases.models import SanctionStatus
from steward.cases.tests.test_sanctions import (
    TODAY,
    decide,
    make_case,
    make_registrant,
    months_later,
)

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
