"""Which version is in force on a date, and citations for findings."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from steward.standards import selectors, services
from steward.standards.models import StandardsVersion
from steward.standards.tests.conftest import TODAY, publish

pytestmark = pytest.mark.django_db

V1_FROM = dt.date(2025, 4, 1)
V2_FROM = TODAY + dt.timedelta(days=10)
DAY = dt.timedelta(days=1)


@pytest.fixture
def version_2(draft, admin):
    """Version 2 (a new standard CC13 and never event NE9), taking effect in ten days."""
    services.standard_add(
        version=draft,
        ref="CC13",
        title="Protect whistleblowers' futures",
        text="New.",
        actor=admin,
        reason="t",
    )
    services.never_event_add(
        version=draft,
        ref="NE9",
        title="Using an agreement to silence a concern",
        description="",
        standard_refs=["CC3"],
        actor=admin,
        reason="t",
    )
    for ref, kind, least in (("CC13", "standard", "advice"), ("NE9", "never_event", "warning")):
        item = (draft.standards if kind == "standard" else draft.never_events).get(ref=ref)
        services.sanctions_guidance_update(
            **{kind: item},
            expected_revision=None,
            least_severe=least,
            most_severe="barring",
            guidance="g",
            aggravating_factors=["a"],
            mitigating_factors=["m"],
            actor=admin,
            reason="t",
        )
    return publish(draft, effective_from=V2_FROM)


@pytest.mark.parametrize(
    ("on", "number"),
    [
        (V1_FROM - DAY, 1),  # before the first version: judged against the first
        (V1_FROM, 1),
        (V2_FROM - DAY, 1),
        (V2_FROM, 2),
        (V2_FROM + DAY * 400, 2),
    ],
)
def test_version_in_force_on_a_date(version_2, on, number):
    assert selectors.version_in_force(on=on).number == number


def test_version_in_force_today_by_default(version_2, travel):
    assert selectors.version_in_force().number == 1
    travel(V2_FROM)
    assert selectors.version_in_force().number == 2


def test_a_draft_is_never_in_force(draft):
    assert selectors.version_in_force(on=TODAY + DAY * 1000).number == 1
    assert selectors.published_version(number=draft.number) is None


def test_nothing_in_force_when_nothing_is_published(db):
    StandardsVersion.objects.all().delete()
    assert selectors.version_in_force(on=TODAY) is None


def test_citation_names_the_version_in_force_on_the_date_of_the_conduct(version_2):
    before = selectors.citation_for(refs=["cc3", "NE1"], conduct_on=V2_FROM - DAY)
    assert before.version_number == 1
    assert before.effective_from == V1_FROM
    assert before.conduct_on == V2_FROM - DAY
    assert [(i.ref, i.kind) for i in before.items] == [("CC3", "standard"), ("NE1", "never_event")]
    assert before.items[0].title == "Speak up, and protect those who do"
    assert str(before).startswith("Standards for NHS managers, version 1 (in force from 1 April")

    after = selectors.citation_for(refs=["NE9", "CC13"], conduct_on=V2_FROM)
    assert after.version_number == 2
    assert after.effective_from == V2_FROM
    assert after.refs == ["NE9", "CC13"]
    assert after.version_id == StandardsVersion.objects.get(number=2).pk


def test_citation_before_the_first_version_cites_the_first(version_1):
    assert selectors.citation_for(refs=["CC1"], conduct_on=dt.date(2020, 1, 1)).version_number == 1


def test_citation_refuses_references_the_version_does_not_have(version_2):
    with pytest.raises(ValidationError) as error:
        selectors.citation_for(refs=["CC13", "NE9", "CC1"], conduct_on=V2_FROM - DAY)
    message = error.value.messages[0]
    assert message.startswith("CC13 and NE9 are not in version 1 of the standards")
    assert "in force on" in message
    with pytest.raises(ValidationError, match="CC99 is not in version 2"):
        selectors.citation_for(refs=["CC99"], conduct_on=V2_FROM)


def test_citation_needs_a_reference(version_1):
    with pytest.raises(ValidationError, match="Choose at least one"):
        selectors.citation_for(refs=[" "], conduct_on=TODAY)


def test_citation_when_nothing_is_published(db):
    StandardsVersion.objects.all().delete()
    with pytest.raises(ValidationError, match="No version of the standards has been published"):
        selectors.citation_for(refs=["CC1"], conduct_on=TODAY)


def test_citation_runs_a_fixed_number_of_queries(version_2, django_assert_max_num_queries):
    refs = [f"CC{n}" for n in range(1, 14)] + [f"NE{n}" for n in range(1, 10)]
    with django_assert_max_num_queries(3):
        citation = selectors.citation_for(refs=refs, conduct_on=V2_FROM)
    assert len(citation.items) == 22
