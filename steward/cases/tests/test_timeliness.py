"""Case timeliness: days per stage (median and 90th percentile of finished stays)
and open cases by age, worked out from a history built on chosen dates."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from steward.cases.models import Stage
from steward.cases.stages import stage_move
from steward.cases.tests.test_pages_staff import open_case, person
from steward.cases.timeliness import case_timeliness, median_days, p90_days

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 1)
TODAY = dt.date(2026, 11, 2)
URL = reverse("cases:timeliness")


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@pytest.fixture
def caseworker(make_user):
    return make_user("caseworker")


@pytest.fixture
def history(travel, caseworker):
    """Ten cases opened on 1 January 2026, each starting its investigation 1 to 10
    days later; three of them reach the case examiners after 30, 60 and 90 days;
    two of those close (after 5 and 7 days) and one of the closed is reopened for
    review 100 days later. Three more cases wait at triage, opened long ago."""
    cases = []
    for index in range(1, 11):
        travel(START)
        case = open_case(person(("Case", f"Number{index}")), caseworker)
        travel(START + days(index))
        stage_move(case=case, move="start_investigation", actor="test", reason="Look into it")
        cases.append(case)
    for case, investigation, examiners in zip(cases[:3], (30, 60, 90), (5, 7, None), strict=True):
        entered = START + days(int(case.registrant.legal_surname.removeprefix("Number")))
        travel(entered + days(investigation))
        stage_move(case=case, move="refer_to_examiners", actor="test", reason="Investigated")
        if examiners is not None:
            travel(entered + days(investigation + examiners))
            stage_move(case=case, move="close_by_examiners", actor="test", reason="Advice")
    travel(dt.date(2026, 2, 6) + days(100))
    stage_move(case=cases[0], move="open_review", actor="test", reason="Review due")
    for opened in (dt.date(2024, 6, 1), dt.date(2025, 10, 1), dt.date(2025, 11, 2)):
        travel(opened)
        open_case(person(("Long", "Waiting")), caseworker)
    travel(TODAY)
    return cases


def _row(report, stage):
    return next(row for row in report.stages if row.stage == stage)


def test_median_and_90th_percentile_of_finished_stays(history):
    report = case_timeliness(today=TODAY)
    triage = _row(report, Stage.TRIAGE)
    assert (triage.stays, triage.median_days, triage.p90_days) == (
        10,
        Decimal("5.5"),
        Decimal("9.1"),
    )
    investigation = _row(report, Stage.INVESTIGATION)
    assert (investigation.stays, investigation.median_days, investigation.p90_days) == (
        3,
        Decimal("60.0"),
        Decimal("84.0"),
    )
    examiners = _row(report, Stage.CASE_EXAMINERS)
    assert (examiners.stays, examiners.median_days, examiners.p90_days) == (
        2,
        Decimal("6.0"),
        Decimal("6.8"),
    )
    review = _row(report, Stage.REVIEW)
    assert (review.stays, review.median_days, review.open_now) == (0, None, 1)
    # Time spent closed is not a stay at a stage.
    assert Stage.CLOSED not in {row.stage for row in report.stages}


def test_cases_waiting_now_and_open_cases_by_age(history):
    report = case_timeliness(today=TODAY)
    assert _row(report, Stage.TRIAGE).open_now == 3
    assert _row(report, Stage.INVESTIGATION).open_now == 7
    assert _row(report, Stage.CASE_EXAMINERS).open_now == 1
    assert report.open_cases == 12  # one of the ten is closed; the reviewed one is open
    # Opened before 2 November 2025 and 2 November 2024; not the one opened on the day.
    assert (report.over_12_months, report.over_24_months) == (2, 1)
    assert (report.under_12_months, report.between_12_and_24_months) == (10, 1)


def test_percentiles_of_one_stay_and_of_none():
    assert (median_days([4]), p90_days([4])) == (Decimal("4.0"), Decimal("4.0"))
    assert (median_days([]), p90_days([])) == (None, None)
    assert p90_days([1, 2]) == Decimal("1.9")


def test_the_page_shows_a_chart_and_a_table_of_the_same_numbers(
    client, settings, make_user, history
):
    settings.DEMO_SKIP_MFA = True
    client.force_login(make_user("auditor"))
    page = client.get(URL).content.decode()
    assert "Case timeliness" in page
    # The table.
    assert re.search(r"Triage</th>.*?10</td>.*?5\.5</td>.*?9\.1</td>", page, re.S)
    assert re.search(r"Investigation</th>.*?3</td>.*?60</td>.*?84</td>", page, re.S)
    assert "No finished stays" in page
    assert "Open for more than 12 months" in page and "Open for more than 24 months" in page
    # The charts: SVG drawn on the server, safe under the CSP, labelled for screen readers.
    main = page.split("<main", 1)[1]
    assert main.count('role="img"') == 2
    assert "<style" not in main and ' style="' not in main
    assert "triage, median 5.5, 90th percentile 9.1" in page
    assert "more than 24 months, 1" in page


def test_the_page_works_with_no_cases_at_all(client, settings, make_user):
    settings.DEMO_SKIP_MFA = True
    client.force_login(make_user("caseworker"))
    response = client.get(URL)
    assert response.status_code == 200
    main = response.content.decode().split("<main", 1)[1]
    assert main.count("No finished stays") == 2 * (len(Stage) - 1)  # median and p90
    assert main.count('role="img"') == 1  # only the open cases by age: nothing to chart yet


def test_the_view_runs_a_bounded_number_of_queries(
    client, settings, make_user, caseworker, travel, django_assert_max_num_queries
):
    settings.DEMO_SKIP_MFA = True
    client.force_login(make_user("registrar"))
    travel(START)
    case = open_case(person(), caseworker)
    stage_move(case=case, move="start_investigation", actor="test", reason="x")
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for index in range(30):
        case = open_case(person(("More", f"Cases{index}")), caseworker)
        stage_move(case=case, move="start_investigation", actor="test", reason="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).status_code == 200
