import html
import re

import pytest
from django.urls import reverse

from steward.organisations.tests.factories import IcbFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("organisations:list")


def text_of(response) -> str:
    """The page's visible text, tags removed and whitespace collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def html_of(response) -> str:
    """The page's HTML with runs of whitespace collapsed (the NHS macros add plenty)."""
    return re.sub(r"\s+>", ">", " ".join(response.content.decode().split()))


def detail(code: str) -> str:
    return reverse("organisations:detail", kwargs={"ods_code": code})


# --- The list page -------------------------------------------------------------------


def test_list_shows_the_first_page_with_a_count(client, reference_data):
    response = client.get(LIST)

    assert response.status_code == 200
    text = text_of(response)
    assert "Find an NHS organisation" in text
    assert "Showing 1 to 50 of 251 organisations" in text
    assert response.content.decode().count('class="nhsuk-table__row" role="row"') == 50 + 1
    assert 'class="nhsuk-pagination' in response.content.decode()
    assert '<label class="nhsuk-label nhsuk-label--s" for="region">' in html_of(response)


def test_list_pages(client, reference_data):
    response = client.get(LIST, {"page": 6})
    text = text_of(response)
    assert "Showing 251 to 251 of 251 organisations" in text
    assert response.content.decode().count('class="nhsuk-table__row" role="row"') == 1 + 1


def test_search_result_links_to_the_detail_page(client, reference_data):
    response = client.get(LIST, {"q": "guys thomas"})

    body = response.content.decode()
    assert f'href="{detail("RJ1")}"' in body
    text = text_of(response)
    assert "1 organisation" in text
    # Each cell carries its column name for small screens.
    assert (
        "Guy's and St Thomas' NHS Foundation Trust ODS code RJ1 Type NHS foundation trust "
        "Region London" in text
    )
    assert 'value="guys thomas"' in body


def test_closed_organisations_are_tagged(client, reference_data):
    response = client.get(LIST, {"q": "north central london"})
    assert re.search(r"North Central London Integrated Care Board</a>\s*<strong class=\"nhsuk-tag"
                     r"[^>]*>\s*Closed", response.content.decode())  # fmt: skip


def test_filters_by_region_and_type(client, reference_data):
    response = client.get(LIST, {"region": "london", "type": "icb"})

    assert response.status_code == 200
    assert "6 organisations" in text_of(response)
    body = html_of(response)
    assert '<option value="london" selected>' in body
    assert '<option value="icb" selected>' in body


def test_empty_state(client, reference_data):
    response = client.get(LIST, {"q": "no such trust anywhere"})
    assert response.status_code == 200
    text = text_of(response)
    assert "0 organisations" in text
    assert "No organisations match your search." in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "atlantis"}, "Choose a region from the list"),
        ({"type": "hospital"}, "Choose a type of organisation from the list"),
        ({"page": "two"}, "Page must be a whole number, like 2"),
        ({"page": "0"}, "Page must be a whole number, like 2"),
        ({"page": "-1"}, "Page must be a whole number, like 2"),
        ({"page": "99"}, "There is no page 99: there are 6 pages of results"),
        ({"page": "9" * 40}, "Page must be a whole number, like 2"),
        ({"q": "a" * 10_000}, "Search must be 200 characters or fewer"),
        ({"q": "guy\x00s"}, "Search must not include a null character"),
        ({"region": "\x00"}, "Region must not include a null character"),
    ],
)
def test_bad_filters_show_an_nhs_error(client, reference_data, params, message):
    response = client.get(LIST, params)

    assert response.status_code == 400
    body = response.content.decode()
    assert "nhsuk-error-summary" in body
    assert "There is a problem" in body
    assert message in text_of(response)
    assert "nhsuk-table" not in body  # no results beside an error
    assert "<title>Error: Find an NHS organisation" in body


@pytest.mark.parametrize("q", ["%", "_", "'", '"><script>alert(1)</script>', "\\", "' OR 1=1 --"])
def test_hostile_search_text_is_harmless(client, reference_data, q):
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_list_page_queries_are_bounded(client, django_assert_max_num_queries):
    region = RegionFactory(code="Y56", name="London", slug="london")
    icb = IcbFactory(region=region)
    OrganisationFactory.create_batch(120, region=region, parent_icb=icb)

    with django_assert_max_num_queries(4):
        response = client.get(LIST, {"region": "london", "page": 2})
    assert response.status_code == 200
    assert "Showing 51 to 100 of 121 organisations" in text_of(response)


# --- The detail page -----------------------------------------------------------------


def test_trust_detail(client, reference_data):
    response = client.get(detail("rj1"))

    assert response.status_code == 200
    text = text_of(response)
    assert "Guy's and St Thomas' NHS Foundation Trust" in text
    assert "ODS code RJ1" in text
    assert "Type NHS foundation trust" in text
    assert "Region London" in text
    assert "Integrated care board NHS South East London Integrated Care Board" in text
    assert f'href="{detail("QKK")}"' in response.content.decode()
    assert "Closed" not in text


def test_closed_icb_names_its_successor(client, reference_data):
    response = client.get(detail("QMJ"))

    text = text_of(response)
    assert "This organisation closed on 31 March 2026" in text
    assert (
        "On 1 April 2026 NHS North Central London ICB merged into NHS West and North London ICB."
        in text
    )
    assert "Closed 31 March 2026" in text
    assert f'href="{detail("Z9B2Z")}"' in response.content.decode()
    assert "nhsuk-inset-text" in response.content.decode()
    # Its member trusts are still listed.
    assert "Member organisations (7)" in text
    assert "Royal Free London NHS Foundation Trust (RAL)" in text


def test_split_icb_names_every_successor(client, reference_data):
    text = text_of(client.get(detail("QM7")))
    assert (
        "On 1 April 2026 part of NHS Hertfordshire and West Essex ICB transferred to "
        "NHS Central East ICB. The Hertfordshire part." in text
    )
    assert "transferred to NHS Essex ICB. The West Essex part." in text


def test_new_icb_lists_its_predecessors(client, reference_data):
    response = client.get(detail("Z9B2Z"))

    text = text_of(response)
    assert "Opened 1 April 2026" in text
    assert "Predecessors" in text
    assert "On 1 April 2026 NHS West and North London ICB took over from:" in text
    assert "NHS North Central London Integrated Care Board (QMJ): merged in" in text
    assert "NHS North West London Integrated Care Board (QRV): merged in" in text
    assert "Closed" not in text
    body = response.content.decode()
    assert f'href="{detail("QMJ")}"' in body
    assert f'href="{detail("QRV")}"' in body


def test_national_body_detail(client, reference_data):
    text = text_of(client.get(detail("X24")))
    assert "Region None (national body)" in text
    assert "Member organisations" not in text


@pytest.mark.parametrize("code", ["NOPE", "rj1x", "%00", "\x00", "R J1", "a" * 300])
def test_unknown_code_is_404(client, reference_data, code):
    response = client.get(f"/organisations/{code}/")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_detail_page_queries_are_bounded(client, django_assert_max_num_queries):
    icb = IcbFactory()
    OrganisationFactory.create_batch(30, parent_icb=icb, region=icb.region)

    with django_assert_max_num_queries(4):
        response = client.get(detail(icb.ods_code))
    assert "Member organisations (30)" in text_of(response)


def test_pages_need_no_sign_in_and_refuse_post(client, reference_data):
    assert client.get(detail("RJ1")).status_code == 200
    assert client.post(LIST).status_code == 405
