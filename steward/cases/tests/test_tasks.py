"""The daily jobs exist on every database and say what they did."""

import pytest
from django_q.models import Schedule

from steward.cases import tasks

pytestmark = pytest.mark.django_db


def test_the_daily_schedules_exist_after_migrating():
    funcs = set(Schedule.objects.values_list("func", flat=True))
    assert "steward.cases.tasks.daily_sanctions_lapse" in funcs
    assert "steward.cases.tasks.daily_appeal_windows_close" in funcs


def test_the_jobs_report_what_they_did_when_there_is_nothing_to_do():
    assert tasks.daily_sanctions_lapse() == "0 sanctions ended or started."
    assert tasks.daily_appeal_windows_close() == "Closed 0 cases after the appeal window."
