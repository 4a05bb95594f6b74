"""``steward fitness open-year YEAR [--on YYYY-MM-DD]``."""

import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from steward.audit.models import AuditEvent
from steward.core import clock
from steward.fitness.models import FitnessAssessment
from steward.fitness.tests.factories_assessments import board_member

pytestmark = pytest.mark.django_db

YEAR = clock.today().year
STEWARD = Path(sys.executable).parent / "steward"


def run(*args) -> str:
    out = StringIO()
    call_command("fitness", *args, stdout=out)
    return out.getvalue()


def test_open_year_opens_and_prints_the_counts(organisation):
    for _ in range(3):
        board_member(organisation)

    output = run("open-year", str(YEAR))

    assert f"Opened 3 assessments for {YEAR}" in output
    assert "at 1 organisations" in output
    assert f"0 board members already had an assessment for {YEAR}" in output
    assert FitnessAssessment.objects.filter(year=YEAR).count() == 3
    event = AuditEvent.objects.get(action="fitness.year.opened")
    assert event.actor_label == "system: steward fitness open-year"

    again = run("open-year", str(YEAR))
    assert f"Opened 0 assessments for {YEAR}" in again
    assert "3 board members already had an assessment" in again


def test_open_year_on_a_date(organisation):
    last_year = YEAR - 1
    board_member(organisation, start_date=dt.date(2020, 1, 1), end_date=dt.date(last_year, 5, 1))
    board_member(organisation, start_date=dt.date(2020, 1, 1))

    output = run("open-year", str(last_year), "--on", f"{last_year}-04-01")

    assert f"board members in post on 1 April {last_year}" in output
    assert FitnessAssessment.objects.filter(year=last_year).count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("open-year", "1999"), "Enter a year from 2023"),
        (("open-year", str(YEAR), "--on", f"{YEAR - 1}-06-01"), "must be in"),
        (("open-year", "20x6"), "is not a year"),
        (("open-year", str(YEAR), "--on", "1 April"), "is not a date"),
    ],
)
def test_bad_input_is_refused_clearly(organisation, args, message):
    board_member(organisation)
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not FitnessAssessment.objects.exists()


@pytest.mark.parametrize(("year", "code"), [("1999", 1), ("soon", 2)])
def test_a_bad_year_exits_non_zero(tmp_path, year, code):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"DEBUG": "1", "STEWARD_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [str(STEWARD), "fitness", "open-year", year],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == code
    assert "year" in result.stderr
