"""The register's open data API: results, errors, rate limits and its published schema."""

import json

import pytest
from django.core.cache import cache
from django.test import override_settings

from steward.register.models import Registrant
from steward.register.numbers import registration_number
from steward.register.tests.test_public_views import (
    RESTRICTED,
    _many,
    assert_nothing_restricted,
    make_jane,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/register"

# Names of restricted fields (models.py): none may appear in the public schemas.
RESTRICTED_FIELD_NAMES = {
    "date_of_birth",
    "email",
    "phone",
    "address",
    "previous_names",
    "previous_name",
    "forenames_previous",
    "staff_number",
    "staff_numbers",
    "employee_number",
    "reason_for_leaving",
    "settlement_agreement",
    "settlement_confidentiality_terms",
    "names_key",
    "surname_key",
    "user",
    "reason",
    "evidence_reference",
    "decision_note",
}


@pytest.fixture
def jane(organisation):
    return make_jane(organisation)


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def test_list_returns_public_summaries(client, jane):
    response = client.get(LIST, {"q": "janey smi"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1 and data["count_is_exact"] is True
    assert data["next"] is None and data["previous"] is None
    [result] = data["results"]
    assert result["registration_number"] == jane.registration_number
    assert result["name"] == "Janey Smith"
    assert result["status"] == "conditions"
    assert result["roles"] == [
        {
            "organisation": {"ods_code": "RR8", "name": "Leeds Teaching Hospitals NHS Trust"},
            "title": "Chief Finance Officer",
            "category": "executive_director",
            "start_date": result["roles"][0]["start_date"],
            "end_date": None,
            "is_interim": True,
        }
    ]
    assert_nothing_restricted(response.content.decode())


def test_list_pages_link_to_each_other(client, organisation):
    _many(organisation, 55)
    first = client.get(LIST, {"q": "smith"}).json()
    assert first["count"] == 55 and len(first["results"]) == 50
    assert first["next"].endswith("page=2&q=smith")
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["previous"].endswith("page=1&q=smith")
    assert client.get(LIST, {"q": "smith", "page": 3}).status_code == 404


def test_list_filters_and_bad_input(client, jane):
    assert client.get(LIST, {"organisation": "rr8"}).json()["count"] == 1
    assert client.get(LIST, {"status": "barred"}).json()["count"] == 0
    response = client.get(LIST, {"region": "atlantis", "status": "struck-off"})
    assert response.status_code == 422
    data = response.json()
    assert "Unknown region 'atlantis'" in data["detail"]
    assert {tuple(e["loc"]) for e in data["errors"]} == {("query", "region"), ("query", "status")}
    assert client.get(LIST, {"page": "0"}).status_code == 422
    assert client.get(LIST, {"page": "x"}).status_code == 422
    assert client.get(LIST, {"q": "q" * 500}).status_code == 422


def test_previous_names_are_not_searchable_through_the_api(client, jane):
    data = client.get(LIST, {"q": RESTRICTED["previous surname"]}).json()
    assert data["count"] == 0


def test_detail_returns_the_public_entry(client, jane):
    response = client.get(f"{LIST}/{jane.registration_number.lower()}")
    assert response.status_code == 200
    data = response.json()
    assert data["registration_number"] == jane.registration_number
    assert data["legal_forenames"] == "Jane" and data["known_as"] == "Janey"
    assert data["restriction"] == {
        "status": "conditions",
        "description": "Conditions on practice",
        "since": "2026-03-03",
    }
    assert [r["title"] for r in data["current_roles"]] == ["Chief Finance Officer"]
    assert [r["title"] for r in data["past_roles"]] == ["Deputy Director of Finance"]
    assert [q["title"] for q in data["qualifications"]] == ["MSc Healthcare Leadership"]
    assert_nothing_restricted(response.content.decode())


def test_detail_of_a_merged_record_gives_the_survivor(client, jane):
    number = registration_number(990)
    duplicate = Registrant.objects.create(
        registration_number=number, legal_forenames="Jane", legal_surname="Smith"
    )
    Registrant.objects.filter(pk=duplicate.pk).update(merged_into=jane)
    data = client.get(f"{LIST}/{number}").json()
    assert data["registration_number"] == jane.registration_number


def test_detail_unknown_is_404_and_malformed_is_422(client, jane):
    response = client.get(f"{LIST}/M0000000")
    assert response.status_code == 404
    assert response.json() == {"detail": "No one on the register has the number M0000000."}
    number = jane.registration_number
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    response = client.get(f"{LIST}/{wrong}")
    assert response.status_code == 422
    assert "is not a real registration number" in response.json()["detail"]
    response = client.get(f"{LIST}/12345")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("A registration number is the letter M")


@override_settings(REGISTER_PUBLIC_RATE="2/m")
def test_rate_limit_gives_a_clear_429(client, jane):
    assert client.get(LIST).status_code == 200
    assert client.get(f"{LIST}/{jane.registration_number}").status_code == 200
    response = client.get(LIST)
    assert response.status_code == 429
    assert "too many requests" in response.json()["detail"]
    assert int(response["Retry-After"]) >= 1


def test_api_list_query_count_does_not_grow(client, organisation, django_assert_max_num_queries):
    _many(organisation, 40)
    with django_assert_max_num_queries(6):
        data = client.get(LIST, {"q": "smith", "region": "Y63"}).json()
    assert len(data["results"]) == 40 and all(r["roles"] for r in data["results"])
    with django_assert_max_num_queries(6):
        client.get(LIST)


def _register_operations(schema):
    return {
        path: operations
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v1/register") and "import" not in path
    }


def _schema_names(schema, node, seen=None) -> set[str]:
    """Every property name reachable from ``node``, following $refs."""
    seen = set() if seen is None else seen
    names = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref and ref not in seen:
            seen.add(ref)
            target = schema
            for part in ref.lstrip("#/").split("/"):
                target = target[part]
            names |= _schema_names(schema, target, seen)
        for key, value in node.get("properties", {}).items():
            names.add(key)
            names |= _schema_names(schema, value, seen)
        for value in node.values():
            if isinstance(value, dict | list):
                names |= _schema_names(schema, value, seen)
    elif isinstance(node, list):
        for item in node:
            names |= _schema_names(schema, item, seen)
    return names


def test_openapi_documents_the_register_without_restricted_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = _register_operations(schema)
    assert set(operations) >= {"/api/v1/register", "/api/v1/register/{registration_number}"}
    list_responses = operations["/api/v1/register"]["get"]["responses"]
    assert {"200", "404", "422", "429"} <= set(list_responses)
    names = _schema_names(schema, operations)
    assert {"registration_number", "name", "status", "roles", "organisation", "ods_code"} <= names
    assert {"title", "category", "start_date", "count", "next", "previous"} <= names
    assert not names & RESTRICTED_FIELD_NAMES
    for fragment in ("birth", "mail", "phone", "address", "settlement", "leaving", "staff"):
        assert not [n for n in names if fragment in n], fragment
    text = json.dumps(operations).lower()
    assert "previous_name" not in text and "date of birth" not in text
