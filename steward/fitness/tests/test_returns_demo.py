"""The demo's annual returns: a full year, most submitted, some late, one returned, some overdue."""

import datetime as dt

import pytest

from steward.audit.models import AuditEvent
from steward.fitness import returns
from steward.fitness.demo_returns import fitness_returns_demo_load
from steward.fitness.models import AnnualReturn, ReturnStatus
from steward.fitness.tests import factories_returns as f
from steward.organisations.models import Region

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def demo_year(region, organisation, make_user):
    director = make_user(
        "regional_director", region=region, email="regional-director@demo.steward.example"
    )
    chair = make_user("chair", organisation=organisation, full_name="Adebayo Okonkwo-Hughes")
    london = Region.objects.create(code="Y56", name="London", slug="london")
    complete = [organisation]
    for number in range(12):
        complete.append(f.organisation(region, name=f"North {number} NHS Trust"))
    for number in range(12):
        complete.append(f.organisation(london, name=f"London {number} NHS Trust"))
    for item in complete:
        f.assessment(item, year=YEAR)
        f.assessment(item, year=YEAR, category="chair", title="Chair")
        f.assessment(item, year=YEAR + 1, outcome="")  # 2026 is open
    unfinished = f.organisation(region, name="Unfinished NHS Trust")
    f.assessment(unfinished, year=YEAR, outcome="")
    return {"director": director, "chair": chair, "complete": complete, "unfinished": unfinished}


def test_the_demo_loads_a_full_year_and_is_idempotent(region, organisation, demo_year, travel):
    travel(dt.date(2026, 11, 20))

    fitness_returns_demo_load(actor="steward demo")
    fitness_returns_demo_load(actor="steward demo")

    loaded = list(AnnualReturn.objects.filter(year=YEAR))
    complete = len(demo_year["complete"])
    assert complete * 0.6 <= len(loaded) < complete  # most, not all
    assert not AnnualReturn.objects.filter(organisation=demo_year["unfinished"]).exists()
    assert AuditEvent.objects.filter(action="fitness.return.demo_loaded").count() == 1

    late = [r for r in loaded if r.submitted_late]
    on_time = [r for r in loaded if r.status == ReturnStatus.SUBMITTED and not r.submitted_late]
    assert late and len(on_time) > len(late)
    assert all(r.deadline == dt.date(2026, 6, 30) for r in loaded)
    assert all(r.events.exists() for r in loaded)

    # Leeds' return was returned by the region's director, with comments.
    leeds = AnnualReturn.objects.get(organisation=organisation, year=YEAR)
    assert leeds.status == ReturnStatus.RETURNED
    assert leeds.returned_by == demo_year["director"]
    assert "evidence reference" in leeds.return_comments
    assert leeds.submitted_by == demo_year["chair"]
    assert [e.action for e in leeds.events.all()] == ["submitted", "returned"]
    assert leeds.summary["board_members"] == 2

    # The demo region shows every status.
    overview = returns.region_overview(region=region, year=YEAR)
    assert all(overview.states[s] for s in ("submitted_on_time", "submitted_late", "returned"))
    assert overview.states["overdue"] >= 2  # never submitted, and the unfinished trust
    assert overview.states["not_submitted"] == 0


def test_the_chair_can_resubmit_the_returned_demo_return(organisation, demo_year, travel):
    fitness_returns_demo_load(actor="steward demo")
    leeds = AnnualReturn.objects.get(organisation=organisation, year=YEAR)

    again = returns.annual_return_submit(
        organisation=organisation,
        year=YEAR,
        chair_statement="Evidence references added.",
        actor=demo_year["chair"],
        expected_version=leeds.version,
    )

    assert again.status == ReturnStatus.SUBMITTED
    assert not again.submitted_late  # first submitted in May 2026


def test_without_assessments_the_demo_does_nothing(organisation):
    fitness_returns_demo_load(actor="steward demo")
    assert not AnnualReturn.objects.exists()
