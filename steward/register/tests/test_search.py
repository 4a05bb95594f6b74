"""Search of the register: matching, ranking, filters and previous names.

Runs on SQLite (FTS5 index) and PostgreSQL (trigram index): both must give
the same people in the same order.
"""

import datetime as dt

import pytest

from steward.organisations.models import Organisation, OrganisationType, Region
from steward.register import search
from steward.register.models import RegisterStatus, Registrant
from steward.register.services import (
    career_role_add,
    register_status_change,
    registrant_create,
    registrant_update,
)

pytestmark = pytest.mark.django_db

ACTOR = "test-suite"


def person(forenames, surname, *, known_as="", previous=(), **extra):
    return registrant_create(
        legal_forenames=forenames,
        legal_surname=surname,
        known_as=known_as,
        previous_names=previous,
        actor=ACTOR,
        reason="test",
        **extra,
    )


def names(q="", **kwargs):
    page = search.registrant_search(q=q, **kwargs)
    by_id = {r.pk: r for r in Registrant.objects.filter(pk__in=page.ids)}
    return [by_id[pk].legal_name for pk in page.ids]


@pytest.fixture
def people(db):
    return {
        "siobhan": person("Siobhán", "O'Connor"),
        "sean": person("Seán", "Clarke-Bennett"),
        "zoe": person("Zoë", "Ó Súilleabháin"),
        "jane": person("Jane", "Smith"),
        "john": person("John", "Smith"),
        "smithson": person("Anna", "Smithson"),
        "forename_smith": person("Smith", "Jones"),
        "bob": person("Robert", "Walker", known_as="Bob"),
    }


def test_accents_case_and_punctuation_are_ignored(people):
    assert names("siobhan") == ["Siobhán O'Connor"]
    assert names("SIOBHÁN") == ["Siobhán O'Connor"]
    assert names("oconnor") == ["Siobhán O'Connor"]
    assert names("O'Connor") == ["Siobhán O'Connor"]
    assert names("o’connor") == ["Siobhán O'Connor"]
    assert names("zoe o suilleabhain") == ["Zoë Ó Súilleabháin"]


def test_hyphenated_surnames_match_whole_or_in_parts(people):
    assert names("Clarke-Bennett") == ["Seán Clarke-Bennett"]
    assert names("clarke bennett") == ["Seán Clarke-Bennett"]
    assert names("bennett") == ["Seán Clarke-Bennett"]
    assert names("sean clarke-ben") == ["Seán Clarke-Bennett"]


def test_partial_words_match_the_start_of_a_name(people):
    assert names("siob o'con") == ["Siobhán O'Connor"]
    assert names("conn") == []  # the middle of a word is not a match
    assert names("rob walk") == ["Robert Walker"]


def test_forename_and_surname_in_either_order(people):
    assert names("jane smith") == ["Jane Smith"]
    assert names("smith jane") == ["Jane Smith"]
    assert names("O'Connor Siobhán") == ["Siobhán O'Connor"]


def test_every_word_must_match(people):
    assert names("jane walker") == []
    assert names("jane smith extra") == []


def test_known_as_name_is_searched(people):
    assert names("bob walker") == ["Robert Walker"]
    assert names("robert walker") == ["Robert Walker"]


def test_exact_surname_before_surname_prefix_before_other_matches(people):
    # Exact surname Smith (by forenames), then Smithson, then a forename Smith.
    assert names("smith") == ["Jane Smith", "John Smith", "Anna Smithson", "Smith Jones"]
    assert names("smi") == ["Jane Smith", "John Smith", "Anna Smithson", "Smith Jones"]


def test_registration_number_any_case_and_spaces(people):
    number = people["jane"].registration_number
    assert names(number) == ["Jane Smith"]
    assert names(number.lower()) == ["Jane Smith"]
    assert names(f" {number[:4]} {number[4:]} ".lower()) == ["Jane Smith"]


def test_wrong_check_digit_finds_no_one(people):
    number = people["jane"].registration_number
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert names(wrong) == []


def test_empty_query_lists_everyone_in_surname_order(people):
    page = search.registrant_search(q="")
    assert page.count == 8 and page.count_is_exact
    # By surname key: "o suilleabhain" sorts before "oconnor".
    assert names()[:4] == [
        "Seán Clarke-Bennett",
        "Smith Jones",
        "Zoë Ó Súilleabháin",
        "Siobhán O'Connor",
    ]


def test_hostile_queries_find_nothing_and_never_fail(people):
    for q in ['"', "AND", "OR NOT", "*", "smith*", "NEAR(a b)", "%", "_", "\\", "' OR 1=1 --"]:
        search.registrant_search(q=q)
    assert names("OR") == []
    assert names("smith*") == ["Jane Smith", "John Smith", "Anna Smithson", "Smith Jones"]


def test_renamed_person_is_found_by_new_name_only(people):
    jane = people["jane"]
    registrant_update(
        registrant=jane,
        expected_version=jane.version,
        changes={"legal_surname": "Okafor"},
        actor=ACTOR,
        reason="married",
    )
    assert "Jane Okafor" in names("okafor")
    assert "Jane Okafor" not in names("smith")


def test_merged_records_are_not_listed_and_their_number_finds_the_survivor(people):
    duplicate = person("Jane", "Smith")
    Registrant.objects.filter(pk=duplicate.pk).update(merged_into=people["jane"])
    assert names("jane smith") == ["Jane Smith"]
    assert names(duplicate.registration_number) == ["Jane Smith"]
    page = search.registrant_search(q=duplicate.registration_number)
    assert page.ids == [people["jane"].pk]


def test_previous_names_are_not_searched_publicly(db):
    person("Jane", "Smith", previous=[("", "Hargreaves")])
    assert names("hargreaves") == []
    assert names("jane hargreaves") == []


def test_previous_names_are_searched_when_asked(db):
    person("Jane", "Smith", previous=[("", "Hargreaves")])
    person("Alex", "Morgan", previous=[("Alexandra", "Morgan-Price")])
    assert names("hargreaves", include_previous_names=True) == ["Jane Smith"]
    assert names("jane hargreaves", include_previous_names=True) == ["Jane Smith"]
    assert names("alexandra morgan-price", include_previous_names=True) == ["Alex Morgan"]
    assert names("smith", include_previous_names=True) == ["Jane Smith"]
    assert names("jane hargreaves extra", include_previous_names=True) == []


@pytest.fixture
def places(organisation, region):
    london = Region.objects.create(code="Y56", name="London", slug="london")
    guys = Organisation.objects.create(
        ods_code="RJ1",
        name="Guy's and St Thomas' NHS Foundation Trust",
        org_type=OrganisationType.FOUNDATION_TRUST,
        region=london,
    )
    return {"leeds": organisation, "guys": guys, "yorkshire": region, "london": london}


def add_role(registrant, organisation, *, start, end=None, title="Director of Finance"):
    return career_role_add(
        registrant=registrant,
        organisation=organisation,
        title=title,
        category="executive_director",
        start_date=start,
        end_date=end,
        actor=ACTOR,
        reason="test",
    )


def test_filters_by_current_role_at_organisation_and_region(people, places):
    today = dt.date.today()
    add_role(people["jane"], places["leeds"], start=today - dt.timedelta(days=400))
    add_role(people["john"], places["guys"], start=today - dt.timedelta(days=400))
    # A past role and a future one do not count.
    add_role(
        people["siobhan"],
        places["leeds"],
        start=today - dt.timedelta(days=900),
        end=today - dt.timedelta(days=10),
    )
    add_role(people["bob"], places["leeds"], start=today + dt.timedelta(days=10))
    assert names(organisation_id=places["leeds"].pk) == ["Jane Smith"]
    assert names("smith", organisation_id=places["guys"].pk) == ["John Smith"]
    assert names(region_id=places["london"].pk) == ["John Smith"]
    assert names(region_id=places["yorkshire"].pk) == ["Jane Smith"]
    assert names("jane", region_id=places["london"].pk) == []


def test_filters_by_status(people):
    register_status_change(
        registrant=people["john"], to_status=RegisterStatus.SUSPENDED, reason="panel", actor=ACTOR
    )
    assert names("smith", status="suspended") == ["John Smith"]
    assert names(status="registered")[:2] == ["Seán Clarke-Bennett", "Smith Jones"]
    assert "John Smith" not in names(status="registered")


def test_counts_stop_at_the_limit_and_pages_follow_the_ranking(people):
    page = search.registrant_search(q="s", count_limit=3)
    assert page.count == 3 and not page.count_is_exact
    first = search.registrant_search(q="smith", limit=2)
    second = search.registrant_search(q="smith", limit=2, offset=2)
    assert first.count == 4 and first.count_is_exact
    assert first.ids + second.ids == search.registrant_search(q="smith").ids


def test_search_index_follows_every_write_path(db):
    # Written straight to the table, as an import or bench-data would: the
    # index is kept by database triggers, not by Python code.
    created = Registrant.objects.create(
        registration_number="M9999990", legal_forenames="Tomasz", legal_surname="Wiśniewski"
    )
    assert names("wisniewski") == ["Tomasz Wiśniewski"]
    Registrant.objects.filter(pk=created.pk).update(
        legal_surname="Nowak", surname_key="nowak", names_key="tomasz nowak"
    )
    assert names("wisniewski") == []
    assert names("nowak") == ["Tomasz Nowak"]
    Registrant.objects.filter(pk=created.pk).delete()
    assert names("nowak") == []


def test_parse_query_and_spans():
    assert search.parse_query(" m123 4567 ").number == "M1234567"
    assert search.parse_query("Siobhán O'Connor-Hughes").words == (
        "siobhan",
        "oconnor",
        "hughes",
    )
    assert search.parse_query("a a b").words == ("a", "b")
    assert search.surname_spans(("anne", "clarke", "bennett")) == [
        "anne",
        "clarke",
        "bennett",
        "anne clarke",
        "clarke bennett",
        "anne clarke bennett",
    ]


def test_pages_of_one_word_searches_join_up_across_kinds_of_match(db):
    for forenames, surname in [
        ("Ann", "Hart"),
        ("Bea", "Hart"),
        ("Cal", "Hartley"),
        ("Dee", "Hartwell"),
        ("Hartley", "Adams"),
        ("Eve", "Hart"),
        ("Hart", "Zed"),
    ]:
        person(forenames, surname)
    everyone = search.registrant_search(q="hart").ids
    assert len(everyone) == 7
    for size in (1, 2, 3, 5):
        pages = [
            search.registrant_search(q="hart", offset=start, limit=size).ids
            for start in range(0, 7, size)
        ]
        assert [pk for page in pages for pk in page] == everyone
    assert names("hart") == [
        "Ann Hart",
        "Bea Hart",
        "Eve Hart",
        "Cal Hartley",
        "Dee Hartwell",
        "Hartley Adams",
        "Hart Zed",
    ]
