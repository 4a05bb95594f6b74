"""Sanctions on the public register entry: what shows, for how long, and what never
does (the allegations, evidence and the panel's reasons)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from steward.cases.models import DeterminationKind, Hearing, HearingKind, HearingStatus
from steward.cases.sanctions import (
    interim_order_make,
    interim_order_review,
    sanction_from_determination,
    sanctions_lapse,
)
from steward.cases.tests.factories import (
    RESTRICTED,
    SUMMARY,
    decide,
    make_case,
    make_determination,
    months_later,
)
from steward.cases.tests.test_sanctions import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def case(registrant, caseworker):
    return make_case(registrant, caseworker, restricted=True)


def entry(client, registrant) -> str:
    cache.clear()
    response = client.get(
        reverse("register:entry", kwargs={"registration_number": registrant.registration_number})
    )
    assert response.status_code == 200
    return response.content.decode()


def api_entry(client, registrant) -> str:
    response = client.get(f"/api/v1/register/{registrant.registration_number}")
    assert response.status_code == 200
    return response.content.decode()


def assert_nothing_restricted(text: str) -> None:
    for label, value in RESTRICTED.items():
        assert value not in text, f"the {label} appeared publicly"


def test_conditions_show_their_dates_text_and_the_published_summary(
    client, case, registrant, officer
):
    sanction = decide(
        case,
        officer,
        "conditions",
        ends_on=dt.date(2027, 11, 1),
        conditions="Work under a mentor approved by the regulator.\nReport to the chair monthly.",
    )
    page = entry(client, registrant)
    assert f'id="sanction-{sanction.pk}"' in page
    assert "Fitness to practise decisions" in page
    assert "Conditions on practice" in page and "In force" in page
    assert "2 November 2026" in page and "1 November 2027" in page
    assert "<p>Work under a mentor approved by the regulator.</p>" in page
    assert "<p>Report to the chair monthly.</p>" in page
    assert SUMMARY in page
    assert "Shown on the register until" in page and "1 November 2037" in page
    assert_nothing_restricted(page)
    assert_nothing_restricted(api_entry(client, registrant))


@pytest.mark.parametrize(
    ("kind", "heading", "values"),
    [
        ("warning", "Warning", {}),
        ("undertakings", "Agreed undertakings", {"conditions": "Secret undertaking text"}),
        ("suspension", "Suspension", {"ends_on": dt.date(2027, 5, 1)}),
        ("barring", "Barred from NHS management", {}),
    ],
)
def test_each_published_sanction_appears_with_the_summary(
    client, case, registrant, officer, kind, heading, values
):
    decide(case, officer, kind, **values)
    page = entry(client, registrant)
    assert f">{heading}</h3>" in page
    assert SUMMARY in page
    assert "Secret undertaking text" not in page
    assert_nothing_restricted(page)


def test_barring_says_it_lasts_until_lifted(client, case, registrant, officer):
    decide(case, officer, "barring")
    page = entry(client, registrant)
    assert "Barred from NHS management in force" in page  # the status callout
    assert "When the regulator lifts it" in page


def test_advice_and_health_related_matters_never_appear(
    client, registrant, case, caseworker, officer
):
    decide(case, officer, "advice")
    health = make_case(registrant, caseworker, health_related=True)
    decide(health, officer, "suspension", ends_on=months_later(6), published_summary="Health")
    page = entry(client, registrant)
    assert "Fitness to practise decisions" not in page
    assert "Advice" not in page and "Health" not in page
    assert "Suspension in force" in page  # the register status is public


def test_an_interim_order_shows_as_such_only_while_in_force(
    client, case, registrant, officer, travel
):
    hearing = Hearing.objects.create(
        case=case,
        kind=HearingKind.INTERIM_ORDER,
        starts_on=TODAY,
        status=HearingStatus.HELD,
        scheduled_by=officer,
    )
    order = interim_order_make(
        case=case,
        kind="conditions",
        months=6,
        conditions="No finance roles.",
        hearing=hearing,
        actor=officer,
    )
    page = entry(client, registrant)
    assert "Interim order: conditions on practice in force" in page
    assert "Interim order: conditions on practice</h3>" in page
    assert "No finance roles." in page
    assert "not a finding that the allegations are proved" in page
    assert_nothing_restricted(page)
    interim_order_review(sanction=order, outcome="revoke", reasons="x", actor=officer)
    page = entry(client, registrant)
    assert "Interim order" not in page and "No finance roles." not in page


def test_a_lapsed_interim_order_leaves_the_entry(client, case, registrant, officer, travel):
    hearing = Hearing.objects.create(
        case=case, kind=HearingKind.INTERIM_ORDER, starts_on=TODAY, scheduled_by=officer
    )
    order = interim_order_make(
        case=case, kind="suspension", months=2, conditions="", hearing=hearing, actor=officer
    )
    travel(order.ends_on + dt.timedelta(days=1))
    sanctions_lapse()
    page = entry(client, registrant)
    assert "Interim order" not in page
    assert "Registered since" in page


def test_a_warning_leaves_the_entry_after_five_years(client, case, registrant, officer, travel):
    decide(case, officer, "warning")
    travel(dt.date(2031, 11, 2))
    assert ">Warning</h3>" in entry(client, registrant)
    travel(dt.date(2031, 11, 3))
    assert ">Warning</h3>" not in entry(client, registrant)


def test_a_suspension_stays_ten_years_after_it_ends_then_leaves(
    client, case, registrant, officer, travel
):
    ends = dt.date(2027, 5, 1)
    decide(case, officer, "suspension", ends_on=ends)
    travel(dt.date(2027, 5, 2))
    sanctions_lapse()
    page = entry(client, registrant)
    assert ">Suspension</h3>" in page and "Ended on 1 May 2027" in page
    assert "Registered since 2 May 2027" in page
    travel(dt.date(2037, 5, 1))
    assert ">Suspension</h3>" in entry(client, registrant)
    travel(dt.date(2037, 5, 2))
    assert ">Suspension</h3>" not in entry(client, registrant)


def test_a_bar_stays_for_as_long_as_it_lasts(client, case, registrant, officer, travel):
    decide(case, officer, "barring")
    travel(dt.date(2060, 1, 1))
    sanctions_lapse()
    page = entry(client, registrant)
    assert "Barred from NHS management</h3>" in page and "In force" in page


def test_a_sanction_replaced_on_appeal_leaves_the_entry(client, case, registrant, officer):
    earlier = make_determination(case, "suspension", ends_on=months_later(6))
    sanction_from_determination(determination=earlier, actor=officer)
    appeal = make_determination(
        case,
        "warning",
        kind=DeterminationKind.APPEAL,
        supersedes=earlier,
        published_summary="On appeal, a warning.",
    )
    sanction_from_determination(determination=appeal, actor=officer)
    page = entry(client, registrant)
    assert ">Suspension</h3>" not in page
    assert ">Warning</h3>" in page and "On appeal, a warning." in page


def test_a_sanction_ended_by_review_stays_as_ended(client, case, registrant, officer):
    earlier = make_determination(case, "suspension", ends_on=months_later(6))
    sanction_from_determination(determination=earlier, actor=officer)
    review = make_determination(case, "", kind=DeterminationKind.REVIEW, supersedes=earlier)
    sanction_from_determination(determination=review, actor=officer)
    page = entry(client, registrant)
    assert ">Suspension</h3>" in page and "Ended on 2 November 2026" in page


def test_the_entry_reads_sanctions_in_one_query(
    client, registrant, caseworker, officer, django_assert_max_num_queries
):
    for _ in range(4):
        decide(make_case(registrant, caseworker), officer, "warning")
    decide(
        make_case(registrant, caseworker),
        officer,
        "conditions",
        ends_on=months_later(6),
        conditions="Mentor",
    )
    cache.clear()
    url = reverse("register:entry", kwargs={"registration_number": registrant.registration_number})
    with django_assert_max_num_queries(6):
        page = client.get(url).content.decode()
    assert page.count(">Warning</h3>") == 4
