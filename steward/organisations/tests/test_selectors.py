import datetime as dt

import pytest

from steward.organisations.models import Organisation
from steward.organisations.search import search_text
from steward.organisations.selectors import (
    InvalidFilter,
    organisation_get,
    organisation_search,
    region_resolve,
)
from steward.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def codes(queryset):
    return [org.ods_code for org in queryset]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Guy's and St Thomas' NHS Foundation Trust", "guys and st thomas nhs foundation trust"),
        ("GUY’S  and   ST. THOMAS’", "guys and st thomas"),
        ("Stoke-on-Trent", "stoke on trent"),
        ("Lancashire & South Cumbria", "lancashire south cumbria"),
        ("Hôpital Saint-Étienne", "hopital saint etienne"),
        ("  ", ""),
        ("%_\\\x00", ""),
    ],
)
def test_search_text(text, expected):
    assert search_text(text) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("guys thomas", "RJ1"),
        ("Guy's and St Thomas'", "RJ1"),
        ("GUYS & ST. THOMAS", "RJ1"),
        ("thom guy", "RJ1"),  # parts of words, any order
        ("st georges university", "RJ7"),
        ("St George’s University", "RJ7"),
        ("kings college", "RJZ"),
    ],
)
def test_search_by_name_finds_it_however_it_is_typed(reference_data, q, expected):
    assert codes(organisation_search(q=q)) == [expected]


def test_search_needs_every_word(reference_data):
    results = organisation_search(q="london ambulance")
    assert codes(results) == ["RRU"]
    assert not organisation_search(q="london ambulance zebra").exists()


def test_st_georges_finds_both_st_georges(reference_data):
    assert set(codes(organisation_search(q="st georges"))) == {"RJ7", "RQY"}


def test_search_by_ods_code_in_any_case(reference_data):
    assert codes(organisation_search(q="rj1")) == ["RJ1"]
    assert codes(organisation_search(q=" Z9B2Z ")) == ["Z9B2Z"]


def test_an_exact_ods_code_ranks_first(reference_data):
    # "RAL" is Royal Free London's code and also part of words such as "general".
    results = codes(organisation_search(q="ral"))
    assert results[0] == "RAL"
    assert len(results) > 1


def test_icb_abbreviation_matches_integrated_care_board(reference_data):
    assert codes(organisation_search(q="north central london icb")) == ["QMJ"]


@pytest.mark.parametrize("region", ["Y56", "y56", "london", "London", "LONDON"])
def test_region_by_code_slug_or_name(reference_data, region):
    results = organisation_search(region=region)
    assert results.count() == 32 + 5 + 1  # trusts, the 42-era ICBs and Z9B2Z
    assert {org.region.code for org in results} == {"Y56"}


@pytest.mark.parametrize(
    ("org_type", "count"),
    [("foundation_trust", 141), ("nhs_trust", 61), ("icb", 48), ("national_body", 1), ("ICB", 48)],
)
def test_type_filter(reference_data, org_type, count):
    assert organisation_search(org_type=org_type).count() == count


def test_combined_filters(reference_data):
    results = organisation_search(q="hospital", region="east-of-england", org_type="nhs_trust")
    assert results.exists()
    for org in results:
        assert org.region.code == "Y61"
        assert org.org_type == "nhs_trust"
        assert "hospital" in org.search_name


def test_include_closed(reference_data):
    assert organisation_search().count() == 251
    open_only = organisation_search(include_closed=False)
    assert open_only.count() == 251 - 12
    assert not open_only.filter(ods_code="QMJ").exists()


def test_no_query_lists_everything_by_name(reference_data):
    names = [org.name for org in organisation_search()[:3]]
    assert names == sorted(names)


@pytest.mark.parametrize("bad", ["Y99", "Atlantis", "\x00"])
def test_unknown_region_is_refused(reference_data, bad):
    with pytest.raises(InvalidFilter) as caught:
        organisation_search(region=bad)
    assert caught.value.field == "region"


def test_unknown_type_is_refused(reference_data):
    with pytest.raises(InvalidFilter, match="Unknown type 'hospital'"):
        organisation_search(org_type="hospital")


@pytest.mark.parametrize(
    "q", ["%", "_", "'", "\\", "\x00", "' OR 1=1 --", "a" * 10_000, "x " * 500]
)
def test_hostile_queries_are_harmless(reference_data, q):
    # Runs on SQLite and PostgreSQL alike: none of these may raise or match everything.
    assert organisation_search(q=q).count() < 251


def test_region_resolve_uses_the_regions_given(django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(InvalidFilter):
        region_resolve(value="london", regions=[])


def test_organisation_get_has_everything_in_four_queries(reference_data, django_assert_num_queries):
    with django_assert_num_queries(4):
        icb = organisation_get(ods_code="qm7")
        members = list(icb.member_organisations.all())
        successors = [s.successor.ods_code for s in icb.successions_out.all()]
        predecessors = list(icb.successions_in.all())
        region = icb.region.code
    assert icb.ods_code == "QM7"
    assert region == "Y61"
    assert {m.ods_code for m in members} >= {"RWH", "RQW"}
    assert successors == ["S1Y5D", "D7T5G"]
    assert predecessors == []


def test_organisation_get_new_icb_has_predecessors(reference_data):
    icb = organisation_get(ods_code="S9B9J")
    assert [s.predecessor.ods_code for s in icb.successions_in.all()] == ["QNQ", "QXU", "QNX"]


@pytest.mark.parametrize("code", ["NOPE", "", "\x00", "R J 1", "a" * 50])
def test_organisation_get_unknown(reference_data, code):
    with pytest.raises(Organisation.DoesNotExist):
        organisation_get(ods_code=code)


def test_an_organisation_closing_later_counts_as_open(db):
    closing = OrganisationFactory(closed_on=dt.date(2027, 3, 31))
    closed = OrganisationFactory(closed_on=dt.date(2026, 3, 31))
    open_now = set(organisation_search(include_closed=False))
    assert closing in open_now
    assert closed not in open_now
