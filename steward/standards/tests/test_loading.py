"""Version 1, loaded by the data migration: complete, consistent and published."""

import datetime as dt

import pytest
from django.apps import apps

from steward.standards import loading
from steward.standards.models import (
    OUTCOME_SEVERITY,
    CompetencyDomain,
    NeverEvent,
    Outcome,
    SanctionsGuidance,
    Standard,
    StandardsVersion,
)

pytestmark = pytest.mark.django_db

DOMAIN_NAMES = [
    "Driving high-quality and sustainable outcomes",
    "Setting strategy and delivering long-term transformation",
    "Promoting equality and inclusion and reducing health and workforce inequalities",
    "Providing robust governance and assurance",
    "Creating a compassionate, just and positive culture",
    "Building a trusted relationship with partners and communities",
]
# Each topic the code of conduct must cover, and words that show where.
TOPICS = {
    "honesty and candour": "honest",
    "patient safety first": "patient safety",
    "speaking up": "speak up",
    "fair and compassionate leadership": "compassion",
    "equality and inclusion": "equality",
    "stewardship of public money": "public money",
    "governance and accountability": "accountable",
    "cooperation with regulators": "regulators",
    "conflicts of interest": "conflicts of interest",
    "personal conduct": "trust",
}


def test_version_1_is_published_from_1_april_2025_with_no_user(version_1):
    assert version_1.status == "published"
    assert version_1.effective_from == dt.date(2025, 4, 1)
    assert version_1.published_at is not None
    assert version_1.published_by is None
    assert version_1.summary


def test_version_1_has_twelve_standards_cc1_to_cc12(version_1):
    standards = list(Standard.objects.filter(version=version_1))
    assert [s.ref for s in standards] == [f"CC{n}" for n in range(1, 13)]
    for standard in standards:
        sentences = [part for part in standard.text.split(". ") if part.strip()]
        assert 2 <= len(sentences) <= 4, standard.ref
    titles = " ".join(s.title.lower() for s in standards)
    for topic, words in TOPICS.items():
        assert words in titles, topic


def test_version_1_has_the_six_domains_named_in_the_framework(version_1):
    domains = list(CompetencyDomain.objects.filter(version=version_1))
    assert [d.ref for d in domains] == [f"D{n}" for n in range(1, 7)]
    assert [d.name for d in domains] == DOMAIN_NAMES
    for domain in domains:
        assert domain.description
        assert 4 <= len(domain.good_practice) <= 6, domain.ref


def test_every_never_event_breaches_one_to_three_standards(version_1):
    events = list(NeverEvent.objects.filter(version=version_1).prefetch_related("standards"))
    assert [e.ref for e in events] == [f"NE{n}" for n in range(1, 9)]
    titles = " ".join(e.title.lower() for e in events)
    for needed in (
        "victimising someone who raised a concern",
        "falsifying records",
        "suppressing a patient safety concern",
        "bullying or harassment",
        "dishonesty to a regulator",
    ):
        assert needed in titles
    for event in events:
        linked = list(event.standards.all())
        assert 1 <= len(linked) <= 3, event.ref
        assert all(s.version_id == version_1.pk for s in linked)


def test_every_standard_and_never_event_has_sanctions_guidance(version_1):
    guidance = list(
        SanctionsGuidance.objects.filter(version=version_1).select_related(
            "standard", "never_event"
        )
    )
    refs = sorted((g.standard or g.never_event).ref for g in guidance)
    expected = sorted([f"CC{n}" for n in range(1, 13)] + [f"NE{n}" for n in range(1, 9)])
    assert refs == expected
    for g in guidance:
        ref = (g.standard or g.never_event).ref
        assert OUTCOME_SEVERITY[g.least_severe] <= OUTCOME_SEVERITY[g.most_severe], ref
        assert g.guidance, ref
        assert 3 <= len(g.aggravating) <= 5, ref
        assert 3 <= len(g.mitigating) <= 5, ref
        if g.never_event:
            assert OUTCOME_SEVERITY[g.least_severe] >= OUTCOME_SEVERITY[Outcome.WARNING], ref
            assert g.most_severe == Outcome.BARRING, ref


def test_loading_again_does_nothing_when_a_version_exists(version_1):
    assert loading.version_1_load(apps=apps) is None
    assert StandardsVersion.objects.count() == 1


def test_loading_into_an_empty_database_creates_version_1():
    StandardsVersion.objects.all().delete()
    version = loading.version_1_load(apps=apps)
    assert version.number == 1
    assert Standard.objects.filter(version=version).count() == 12
    assert NeverEvent.objects.filter(version=version, standards__isnull=True).count() == 0


def test_a_data_file_with_an_unknown_standard_is_refused(tmp_path):
    data = loading.version_data_read()
    data["never_events"][0]["standards"] = ["CC99"]
    broken = tmp_path / "broken.json"
    import json

    broken.write_text(json.dumps(data))
    with pytest.raises(loading.StandardsDataError, match="NE1"):
        loading.version_data_read(broken)
