"""GET /api/v1/standards and /api/v1/standards/versions/{number}."""

import datetime as dt

import pytest

from steward.standards.demo import standards_demo_load
from steward.standards.models import StandardsVersion

pytestmark = pytest.mark.django_db

TOP_KEYS = {"version", "effective_from", "standards", "competency_domains", "never_events"}


def test_the_current_standards_have_exactly_the_documented_shape(client, today, version_1):
    response = client.get("/api/v1/standards")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == TOP_KEYS
    assert body["version"] == 1
    assert body["effective_from"] == "2025-04-01"
    assert len(body["standards"]) == 12
    assert all(set(s) == {"ref", "title", "text"} for s in body["standards"])
    assert body["standards"][2]["ref"] == "CC3"
    assert [d["ref"] for d in body["competency_domains"]] == [f"D{n}" for n in range(1, 7)]
    assert all(set(d) == {"ref", "name", "description"} for d in body["competency_domains"])
    assert all(set(e) == {"ref", "title", "standards"} for e in body["never_events"])
    assert body["never_events"][0] == {
        "ref": "NE1",
        "title": "Victimising someone who raised a concern",
        "standards": ["CC3", "CC4"],
    }


def test_on_gives_the_version_in_force_that_day(client, today):
    standards_demo_load(actor="tests")
    assert client.get("/api/v1/standards").json()["version"] == 2
    assert client.get("/api/v1/standards?on=2026-03-31").json()["version"] == 1
    on_the_day = client.get("/api/v1/standards?on=2026-04-01").json()
    assert on_the_day["version"] == 2
    assert on_the_day["effective_from"] == "2026-04-01"
    assert "NE9" in [e["ref"] for e in on_the_day["never_events"]]
    assert client.get("/api/v1/standards?on=2019-01-01").json()["version"] == 1


@pytest.mark.parametrize("value", ["yesterday", "2026-02-30", "22/11/2026"])
def test_a_bad_date_is_refused_with_422(client, version_1, value):
    response = client.get("/api/v1/standards", {"on": value})
    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."


def test_nothing_published_is_404(client, db):
    StandardsVersion.objects.all().delete()
    response = client.get("/api/v1/standards")
    assert response.status_code == 404
    assert response.json() == {"detail": "No version of the standards has been published yet."}


def test_one_published_version_by_number(client, today):
    standards_demo_load(actor="tests")
    body = client.get("/api/v1/standards/versions/1").json()
    assert set(body) == TOP_KEYS
    assert body["version"] == 1
    assert "NE9" not in [e["ref"] for e in body["never_events"]]
    assert client.get("/api/v1/standards/versions/2").json()["version"] == 2


@pytest.mark.parametrize("number", ["3", "0", "-1", str(2**40), str(10**30)])
def test_an_unknown_version_is_404(client, version_1, number):
    response = client.get(f"/api/v1/standards/versions/{number}")
    assert response.status_code == 404
    assert "There is no published version" in response.json()["detail"]


def test_a_draft_is_not_in_the_api(client, draft):
    assert client.get(f"/api/v1/standards/versions/{draft.number}").status_code == 404
    assert client.get("/api/v1/standards?on=2099-01-01").json()["version"] == 1


def test_the_api_runs_a_fixed_number_of_queries(client, today, django_assert_max_num_queries):
    standards_demo_load(actor="tests")
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/standards").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/standards/versions/1").status_code == 200


def test_the_api_is_documented(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    current = schema["paths"]["/api/v1/standards"]["get"]
    assert {"200", "404", "422"} <= set(current["responses"])
    assert any(p["name"] == "on" for p in current["parameters"])
    assert "/api/v1/standards/versions/{number}" in schema["paths"]


def test_the_api_needs_no_sign_in(client, version_1):
    response = client.get("/api/v1/standards", HTTP_AUTHORIZATION="")
    assert response.status_code == 200
    assert dt.date.fromisoformat(response.json()["effective_from"]) == dt.date(2025, 4, 1)


@pytest.mark.parametrize("value", ["0", "1700000000", "2026-4-1"])
def test_only_iso_dates_are_read(client, version_1, value):
    assert client.get("/api/v1/standards", {"on": value}).status_code == 422
