"""The annual return through the API: the region's overview and the chair's submission."""

import datetime as dt

import pytest

from steward.accounts.services import token_create
from steward.fitness import returns
from steward.fitness.models import AnnualReturn
from steward.fitness.tests import factories_returns as f

pytestmark = pytest.mark.django_db

YEAR = 2025
REGION_API = "/api/v1/regions/Y63/fitness-returns"
SUBMIT_API = f"/api/v1/organisations/RR8/fitness-returns/{YEAR}"


@pytest.fixture
def chair(make_user, organisation):
    return make_user("chair", organisation=organisation)


@pytest.fixture
def director(make_user, region):
    return make_user("regional_director", region=region)


def bearer(user) -> dict:
    issued = token_create(user=user, name="tests", actor=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.secret}"}


@pytest.fixture
def concluded_year(organisation):
    return [f.assessment(organisation, year=YEAR), f.assessment(organisation, year=YEAR)]


def test_the_chair_submits_the_return_and_gets_201(
    client, chair, concluded_year, travel, django_capture_on_commit_callbacks
):
    travel(dt.date(2026, 6, 1))

    response = client.post(
        SUBMIT_API,
        {"chair_statement": "Every director was assessed."},
        content_type="application/json",
        **bearer(chair),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ods_code"] == "RR8"
    assert body["status"] == "submitted_on_time"
    assert body["deadline"] == "2026-06-30"
    assert body["submitted_late"] is False
    assert body["summary"]["board_members"] == 2
    assert body["version"] == 1
    assert body["url"].endswith("/fitness/RR8/2025/return/")
    assert AnnualReturn.objects.get().chair_statement == "Every director was assessed."


def test_submitting_with_assessments_not_concluded_gives_409_with_reasons(
    client, chair, organisation, concluded_year
):
    f.assessment(organisation, year=YEAR, outcome="", names=("Zoë", "Clarke-Bennett"))

    response = client.post(
        SUBMIT_API, {"chair_statement": "Done."}, content_type="application/json", **bearer(chair)
    )

    assert response.status_code == 409
    body = response.json()
    assert body["reasons"][0].startswith("1 assessment for 2025 is not concluded: Zoë")
    assert not AnnualReturn.objects.exists()


def test_submitting_twice_gives_409(client, chair, concluded_year):
    headers = bearer(chair)
    client.post(
        SUBMIT_API, {"chair_statement": "Done."}, content_type="application/json", **headers
    )

    response = client.post(
        SUBMIT_API, {"chair_statement": "Again."}, content_type="application/json", **headers
    )

    assert response.status_code == 409
    assert "is with the regional director" in response.json()["detail"]


def test_an_empty_statement_gives_422(client, chair, concluded_year):
    response = client.post(
        SUBMIT_API, {"chair_statement": "  "}, content_type="application/json", **bearer(chair)
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == "Enter your statement as chair"


def test_only_the_chair_may_submit_through_the_api(client, role_user, concluded_year):
    response = client.post(
        SUBMIT_API,
        {"chair_statement": "Done."},
        content_type="application/json",
        **bearer(role_user("chief_executive")),
    )

    assert response.status_code == 403
    assert not AnnualReturn.objects.exists()


def test_submitting_needs_authentication(client, concluded_year):
    response = client.post(SUBMIT_API, {"chair_statement": "x"}, content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/NOPE/fitness-returns/2025",
        "/api/v1/organisations/RR8/fitness-returns/3000",
    ],
)
def test_unknown_organisations_and_years_give_404(client, chair, url):
    response = client.post(
        url, {"chair_statement": "x"}, content_type="application/json", **bearer(chair)
    )
    assert response.status_code == 404


def test_the_regional_director_reads_the_region(
    client, director, chair, region, organisation, concluded_year, travel
):
    travel(dt.date(2026, 5, 1))
    returns.annual_return_submit(
        organisation=organisation, year=YEAR, chair_statement="Done.", actor=chair
    )
    f.assessment(f.organisation(region, name="Slow Hospitals NHS Trust"), year=YEAR, outcome="")
    travel(dt.date(2026, 7, 1))

    response = client.get(f"{REGION_API}?year=2025", **bearer(director))

    assert response.status_code == 200
    body = response.json()
    assert (body["region_code"], body["year"], body["deadline"]) == ("Y63", 2025, "2026-06-30")
    rows = {row["ods_code"]: row for row in body["organisations"]}
    assert rows["RR8"]["status"] == "submitted_on_time"
    assert rows["RR8"]["assessments"]["concluded"] == 2
    assert rows["QWO"]["status"] == "overdue"
    slow = next(row for row in body["organisations"] if row["name"] == "Slow Hospitals NHS Trust")
    assert slow["assessments"]["not_concluded"] == 1
    assert body["totals"]["board_members"] == 3
    assert body["statuses"]["overdue"] == 2
    assert body["overrides"] == []


def test_the_region_year_defaults_to_the_latest_with_assessments(client, director, concluded_year):
    response = client.get(REGION_API, **bearer(director))
    assert response.json()["year"] == YEAR


def test_another_region_is_forbidden_and_an_unknown_one_not_found(
    client, make_user, role_user, region
):
    from steward.organisations.models import Region

    london = Region.objects.create(code="Y56", name="London", slug="london")
    other = make_user("regional_director", region=london)
    assert client.get(REGION_API, **bearer(other)).status_code == 403
    assert client.get(REGION_API, **bearer(role_user("chair"))).status_code == 403
    assert client.get("/api/v1/regions/Y99/fitness-returns", **bearer(other)).status_code == 404
    assert client.get(REGION_API).status_code == 401


def test_a_bad_year_is_refused_with_422(client, director):
    response = client.get(f"{REGION_API}?year=soon", **bearer(director))
    assert response.status_code == 422


def test_every_response_code_is_declared():
    from steward.api import api

    schema = api.get_openapi_schema()
    region = schema["paths"]["/api/v1/regions/{region_code}/fitness-returns"]["get"]
    submit = schema["paths"]["/api/v1/organisations/{ods_code}/fitness-returns/{year}"]["post"]
    assert {str(code) for code in region["responses"]} == {"200", "401", "403", "404", "422"}
    assert {str(code) for code in submit["responses"]} == {
        "201",
        "401",
        "403",
        "404",
        "409",
        "422",
    }
