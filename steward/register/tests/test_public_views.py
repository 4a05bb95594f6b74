"""The public register's pages and CSV: what they show, and what they never show."""

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from steward.register.models import RegisterStatus, Registrant
from steward.register.services import (
    career_role_add,
    qualification_add,
    qualification_decide,
    register_status_change,
    registrant_create,
    staff_number_set,
)

pytestmark = pytest.mark.django_db
ACTOR = "test-suite"
TODAY = dt.date.today()

# Distinctive restricted values: none may appear anywhere public.
RESTRICTED = {
    "previous surname": "Fotheringay-Phipps",
    "previous forename": "Wilhelmina",
    "email": "jane.restricted@private.example",
    "phone": "07700 900123",
    "date of birth": "1971-02-03",
    "date of birth (UK)": "3 February 1971",
    "reason for leaving": "Dismissed after gross misconduct hearing",
    "staff number": "ESR-55501234",
    "status reason": "Panel found dishonesty proved on 4 counts",
    "unverified qualification": "Diploma in Unverified Claims",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def jane(organisation):
    return make_jane(organisation)


def make_jane(organisation):
    """Someone with distinctive restricted values in every restricted field."""
    registrant = registrant_create(
        legal_forenames="Jane",
        legal_surname="Smith",
        known_as="Janey",
        previous_names=[(RESTRICTED["previous forename"], RESTRICTED["previous surname"])],
        date_of_birth=dt.date(1971, 2, 3),
        email=RESTRICTED["email"],
        phone=RESTRICTED["phone"],
        actor=ACTOR,
        reason="test",
    )
    career_role_add(
        registrant=registrant,
        organisation=organisation,
        title="Chief Finance Officer",
        category="executive_director",
        start_date=TODAY - dt.timedelta(days=300),
        is_interim=True,
        actor=ACTOR,
        reason="test",
    )
    career_role_add(
        registrant=registrant,
        organisation=organisation,
        title="Deputy Director of Finance",
        category="senior_manager",
        start_date=dt.date(2015, 4, 1),
        end_date=dt.date(2019, 3, 31),
        reason_for_leaving=RESTRICTED["reason for leaving"],
        settlement_agreement=True,
        settlement_confidentiality_terms=True,
        actor=ACTOR,
        reason="test",
    )
    staff_number_set(
        registrant=registrant,
        organisation=organisation,
        employee_number=RESTRICTED["staff number"],
        actor=ACTOR,
    )
    verified = qualification_add(
        registrant=registrant,
        title="MSc Healthcare Leadership",
        awarding_body="University of Leeds",
        awarded_on=dt.date(2012, 7, 1),
        actor=ACTOR,
    )
    qualification_decide(qualification=verified, verified=True, note="", actor=ACTOR)
    qualification_add(
        registrant=registrant,
        title=RESTRICTED["unverified qualification"],
        awarding_body="Nowhere",
        actor=ACTOR,
    )
    register_status_change(
        registrant=registrant,
        to_status=RegisterStatus.CONDITIONS,
        reason=RESTRICTED["status reason"],
        effective_on=dt.date(2026, 3, 3),
        actor=ACTOR,
    )
    registrant.refresh_from_db()
    return registrant


def entry_url(registrant):
    return reverse("register:entry", kwargs={"registration_number": registrant.registration_number})


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def assert_nothing_restricted(text: str) -> None:
    for label, value in RESTRICTED.items():
        assert value not in text, f"the {label} appeared publicly"


def test_search_page_lists_people_with_status_and_current_roles(client, jane):
    response = client.get(reverse("register:search"), {"q": "jane smith"})
    assert response.status_code == 200
    page = body(response)
    assert "Janey Smith" in page
    assert jane.registration_number in page
    assert "nhsuk-tag--yellow" in page and "Registered with conditions" in page
    assert "Chief Finance Officer (interim), Leeds Teaching Hospitals NHS Trust" in page
    assert "Deputy Director of Finance" not in page  # past roles are on the entry page
    assert "1 person" in page
    assert_nothing_restricted(page)


def test_search_page_empty_state(client, jane):
    page = body(client.get(reverse("register:search"), {"q": "nobody-by-this-name"}))
    assert "No one on the register matches your search." in page


def test_search_page_explains_an_impossible_registration_number(client, jane):
    number = jane.registration_number
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    page = body(client.get(reverse("register:search"), {"q": wrong}))
    assert "is not a real registration number" in page


def test_search_by_previous_name_finds_nothing(client, jane):
    page = body(client.get(reverse("register:search"), {"q": RESTRICTED["previous surname"]}))
    assert "No one on the register matches your search." in page


@pytest.mark.parametrize(
    "params, message",
    [
        ({"organisation": "ZZZ99"}, "Enter the ODS code of an NHS organisation, like RR8"),
        ({"organisation": "<script>"}, "Enter the ODS code of an NHS organisation, like RR8"),
        ({"region": "atlantis"}, "Choose a region from the list"),
        ({"status": "struck off"}, "Choose a register status from the list"),
        ({"page": "two"}, "Page must be a whole number, like 2"),
        ({"page": "0"}, "Page must be a whole number, like 2"),
        ({"page": "99999999"}, "Only the first 200 pages of results can be shown"),
        ({"page": "5"}, "There is no page 5: there is 1 page of results"),
        ({"q": "x" * 201}, "Search must be 200 characters or fewer"),
        ({"q": "jane\x00"}, "Search must not include a null character"),
    ],
)
def test_bad_filters_give_an_nhs_error_message(client, jane, params, message):
    response = client.get(reverse("register:search"), params)
    assert response.status_code == 400
    page = body(response)
    assert "There is a problem" in page and "nhsuk-error-summary" in page
    assert message in page


def test_filters_by_organisation_region_and_status(client, jane, organisation):
    for params in (
        {"organisation": "rr8"},
        {"region": "north-east-and-yorkshire"},
        {"region": "Y63"},
        {"status": "conditions"},
        {"status": "Registered with conditions"},
    ):
        page = body(client.get(reverse("register:search"), params))
        assert "Janey Smith" in page, params
    page = body(client.get(reverse("register:search"), {"status": "barred"}))
    assert "Janey Smith" not in page


def test_entry_page_shows_public_record(client, jane):
    response = client.get(entry_url(jane))
    assert response.status_code == 200
    page = body(response)
    assert "Janey Smith" in page and "Jane Smith" in page
    assert jane.registration_number in page
    assert "Registered with conditions since 3 March 2026" in page
    assert "Conditions on practice in force" in page
    assert "In force since 3 March 2026" in page
    assert "Chief Finance Officer (interim)" in page
    assert "Deputy Director of Finance" in page
    assert "1 April 2015 to 31 March 2019" in page
    assert "MSc Healthcare Leadership" in page
    assert_nothing_restricted(page)


def test_entry_for_a_number_in_lower_case_redirects_to_its_address(client, jane):
    url = reverse(
        "register:entry", kwargs={"registration_number": jane.registration_number.lower()}
    )
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == entry_url(jane)


def test_merged_record_redirects_to_the_surviving_record(client, jane):
    duplicate = registrant_create(
        legal_forenames="Jane", legal_surname="Smith", actor=ACTOR, reason="test"
    )
    Registrant.objects.filter(pk=duplicate.pk).update(merged_into=jane)
    response = client.get(entry_url(duplicate))
    assert response.status_code == 302
    assert response["Location"] == entry_url(jane)


def test_unknown_and_malformed_numbers_get_an_nhs_not_found_page(client, jane):
    response = client.get(reverse("register:entry", kwargs={"registration_number": "M0000000"}))
    assert response.status_code == 404
    assert "No one on the register has the registration number M0000000" in body(response)
    number = jane.registration_number
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    response = client.get(reverse("register:entry", kwargs={"registration_number": wrong}))
    assert response.status_code == 404
    assert "is not a real registration number" in body(response)
    response = client.get(reverse("register:entry", kwargs={"registration_number": "bad<b>"}))
    assert response.status_code == 404
    assert "<b>" not in body(response)


def test_csv_has_one_row_per_person_with_public_fields_only(client, jane, organisation):
    other = registrant_create(
        legal_forenames="=HYPERLINK(1)", legal_surname="O'Connor", actor=ACTOR, reason="test"
    )
    merged = registrant_create(
        legal_forenames="Jane", legal_surname="Duplicate", actor=ACTOR, reason="test"
    )
    Registrant.objects.filter(pk=merged.pk).update(merged_into=jane)
    response = client.get(reverse("register:download"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    text = body(response)
    assert_nothing_restricted(text)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["registration_number"] for r in rows] == sorted(
        [jane.registration_number, other.registration_number]
    )
    row = next(r for r in rows if r["registration_number"] == jane.registration_number)
    assert row["name"] == "Janey Smith"
    assert row["status"] == "conditions"
    assert row["status_since"] == "2026-03-03"
    assert row["current_organisation_codes"] == "RR8"
    assert (
        "Chief Finance Officer (interim), Leeds Teaching Hospitals NHS Trust (RR8)"
        in (row["current_roles"])
    )
    assert "Deputy Director" not in row["current_roles"]
    formula = next(r for r in rows if r["registration_number"] == other.registration_number)
    assert formula["legal_forenames"] == "'=HYPERLINK(1)"


def _many(organisation, count):
    for i in range(count):
        person = registrant_create(
            legal_forenames=f"Person{i}", legal_surname="Smith", actor=ACTOR, reason="test"
        )
        career_role_add(
            registrant=person,
            organisation=organisation,
            title="Non-executive Director",
            category="non_executive_director",
            start_date=dt.date(2020, 1, 1),
            actor=ACTOR,
            reason="test",
        )


def test_search_page_query_count_does_not_grow(client, organisation, django_assert_max_num_queries):
    _many(organisation, 30)
    # Session-free anonymous page: regions, count, ids, registrants, roles.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("register:search"), {"q": "smith"})
    assert body(response).count("Non-executive Director, Leeds") == 30
    with django_assert_max_num_queries(9):
        client.get(reverse("register:search"), {"organisation": "RR8", "region": "london"})


def test_csv_query_count_is_bounded(client, organisation, django_assert_max_num_queries):
    _many(organisation, 30)
    with django_assert_max_num_queries(4):
        text = body(client.get(reverse("register:download")))
    assert text.count("Non-executive Director") == 30


def test_entry_query_count(client, jane, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(entry_url(jane))


@override_settings(REGISTER_PUBLIC_RATE="3/m")
def test_too_many_requests_get_an_nhs_429_page(client, jane):
    for _ in range(3):
        assert client.get(reverse("register:search")).status_code == 200
    response = client.get(reverse("register:search"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    page = body(response)
    assert "Too many requests" in page and "Wait" in page
    assert client.get(entry_url(jane)).status_code == 429
    assert client.get(reverse("register:download")).status_code == 429
    # Another client has its own allowance.
    assert client.get(reverse("register:search"), REMOTE_ADDR="192.0.2.9").status_code == 200


@override_settings(REGISTER_PUBLIC_RATE="off")
def test_rate_limit_can_be_turned_off(client):
    for _ in range(5):
        assert client.get(reverse("register:search")).status_code == 200


def test_rate_setting_is_parsed():
    from steward.register.ratelimit import Rate, parse_rate

    assert parse_rate("120/m") == Rate(requests=120, seconds=60)
    assert parse_rate("600/5m") == Rate(requests=600, seconds=300)
    assert parse_rate("10/s") == Rate(requests=10, seconds=1)
    assert parse_rate("off") is None and parse_rate(None) is None and parse_rate("") is None
    with pytest.raises(ValueError, match="REGISTER_PUBLIC_RATE"):
        parse_rate("lots")
