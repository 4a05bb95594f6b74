import pytest

from steward.organisations.tests.factories import IcbFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations"

SUMMARY_FIELDS = {
    "ods_code", "name", "type", "type_label", "region", "parent_icb", "opened_on", "closed_on",
    "url",
}  # fmt: skip


def test_list_shape_and_first_page(client, reference_data):
    response = client.get(LIST)

    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "results", "next", "previous"}
    assert data["count"] == 251
    assert len(data["results"]) == 50
    assert data["previous"] is None
    assert data["next"] == "http://testserver/api/v1/organisations?page=2"
    for result in data["results"]:
        assert set(result) == SUMMARY_FIELDS


def test_list_result_fields(client, reference_data):
    data = client.get(LIST, {"q": "guys thomas"}).json()

    assert data["count"] == 1
    assert data["results"] == [
        {
            "ods_code": "RJ1",
            "name": "Guy's and St Thomas' NHS Foundation Trust",
            "type": "foundation_trust",
            "type_label": "NHS foundation trust",
            "region": {"code": "Y56", "name": "London"},
            "parent_icb": {
                "ods_code": "QKK",
                "name": "NHS South East London Integrated Care Board",
            },
            "opened_on": None,
            "closed_on": None,
            "url": "http://testserver/api/v1/organisations/RJ1",
        }
    ]


def test_pagination_keeps_the_filters(client, reference_data):
    first = client.get(LIST, {"region": "y61"}).json()
    assert first["count"] == 21 + 6 + 3  # trusts, the 42-era ICBs, the new ICBs
    assert first["next"] is None

    page_two = client.get(LIST, {"q": "nhs", "page": 2}).json()
    assert page_two["previous"] == "http://testserver/api/v1/organisations?page=1&q=nhs"
    assert page_two["next"] == "http://testserver/api/v1/organisations?page=3&q=nhs"
    codes_one = {r["ods_code"] for r in client.get(LIST, {"q": "nhs"}).json()["results"]}
    codes_two = {r["ods_code"] for r in page_two["results"]}
    assert not codes_one & codes_two


def test_last_page(client, reference_data):
    data = client.get(LIST, {"page": 6}).json()
    assert len(data["results"]) == 1
    assert data["next"] is None
    assert data["previous"] == "http://testserver/api/v1/organisations?page=5"


def test_page_out_of_range_is_404(client, reference_data):
    response = client.get(LIST, {"page": 7})
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no page 7: there are 6 pages of results."}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"region": "atlantis"}, "region", "Unknown region 'atlantis'"),
        ({"type": "hospital"}, "type", "Unknown type 'hospital': use nhs_trust, foundation_trust"),
        ({"q": "guy\x00s"}, "q", "Search must not include a null character"),
        ({"region": "lon\x00don"}, "region", "Region must not include a null character"),
    ],
)
def test_invalid_filters_are_422_with_a_clear_message(
    client, reference_data, params, field, message
):
    response = client.get(LIST, params)

    assert response.status_code == 422
    data = response.json()
    assert message in data["detail"]
    assert data["errors"][0]["loc"] == ["query", field]
    assert message in data["errors"][0]["msg"]


@pytest.mark.parametrize(
    "params", [{"page": "two"}, {"page": "0"}, {"page": "-3"}, {"q": "a" * 10_000}]
)
def test_malformed_parameters_are_422(client, reference_data, params):
    response = client.get(LIST, params)
    assert response.status_code == 422
    assert "detail" in response.json()


@pytest.mark.parametrize("q", ["%", "_", "'", "\\", "' OR 1=1 --", "%25%00"])
def test_hostile_queries_never_fail(client, reference_data, q):
    response = client.get(LIST, {"q": q})
    assert response.status_code in (200, 422)


def test_detail_of_a_closed_icb(client, reference_data):
    response = client.get(f"{LIST}/qmj")

    assert response.status_code == 200
    data = response.json()
    assert set(data) == SUMMARY_FIELDS | {"successors", "predecessors", "member_organisations"}
    assert data["ods_code"] == "QMJ"
    assert data["closed_on"] == "2026-03-31"
    assert data["successors"] == [
        {
            "ods_code": "Z9B2Z",
            "name": "NHS West and North London Integrated Care Board",
            "kind": "merger",
            "effective_on": "2026-04-01",
            "url": "http://testserver/api/v1/organisations/Z9B2Z",
        }
    ]
    assert data["predecessors"] == []
    members = {m["ods_code"] for m in data["member_organisations"]}
    assert len(members) == 7
    assert "RAL" in members


def test_detail_of_a_new_icb(client, reference_data):
    data = client.get(f"{LIST}/D7T5G").json()
    assert data["opened_on"] == "2026-04-01"
    assert [(p["ods_code"], p["kind"]) for p in data["predecessors"]] == [
        ("QM7", "part_transfer"),
        ("QH8", "merger"),
        ("QJG", "part_transfer"),
    ]
    assert data["successors"] == []
    assert data["member_organisations"] == []


def test_detail_of_a_trust(client, reference_data):
    data = client.get(f"{LIST}/RJ1").json()
    assert data["parent_icb"] == {
        "ods_code": "QKK",
        "name": "NHS South East London Integrated Care Board",
    }
    assert data["member_organisations"] == []


@pytest.mark.parametrize("code", ["XYZ", "R%20J1", "a" * 300])
def test_unknown_code_is_404_json(client, reference_data, code):
    response = client.get(f"{LIST}/{code}")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No organisation with ODS code '")


def test_a_null_character_in_the_code_is_404_json(client, reference_data):
    response = client.get(f"{LIST}/R%00")
    assert response.status_code == 404
    assert "null character" in response.json()["detail"]


def test_unknown_code_message(client, reference_data):
    assert client.get(f"{LIST}/XYZ").json() == {"detail": "No organisation with ODS code 'XYZ'."}


def test_list_queries_are_bounded(client, django_assert_max_num_queries):
    region = RegionFactory(code="Y56", name="London", slug="london")
    icb = IcbFactory(region=region)
    OrganisationFactory.create_batch(120, region=region, parent_icb=icb)

    with django_assert_max_num_queries(3):
        data = client.get(LIST, {"region": "Y56", "page": 2}).json()
    assert data["count"] == 121
    assert len(data["results"]) == 50
    assert all(r["parent_icb"]["ods_code"] == icb.ods_code for r in data["results"])


def test_detail_queries_are_bounded(client, django_assert_max_num_queries):
    icb = IcbFactory()
    OrganisationFactory.create_batch(40, parent_icb=icb, region=icb.region)
    with django_assert_max_num_queries(4):
        data = client.get(f"{LIST}/{icb.ods_code}").json()
    assert len(data["member_organisations"]) == 40


def test_openapi_documents_the_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "/api/v1/organisations" in paths
    assert "/api/v1/organisations/{ods_code}" in paths
    parameters = {p["name"] for p in paths["/api/v1/organisations"]["get"]["parameters"]}
    assert parameters == {"q", "region", "type", "page"}
    components = schema["components"]["schemas"]
    assert set(components["OrganisationOut"]["properties"]) == SUMMARY_FIELDS
    assert {"successors", "predecessors", "member_organisations"} <= set(
        components["OrganisationDetailOut"]["properties"]
    )
    assert set(components["OrganisationPageOut"]["properties"]) == {
        "count",
        "next",
        "previous",
        "results",
    }
