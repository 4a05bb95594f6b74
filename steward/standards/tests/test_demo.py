"""The demo's version 2, made through the services."""

import datetime as dt

import pytest

from steward.audit.models import AuditEvent
from steward.standards import selectors
from steward.standards.demo import standards_demo_load
from steward.standards.models import NeverEvent, Standard, StandardsVersion

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_version_2_from_1_april_2026(today, version_1):
    standards_demo_load(actor="steward demo")
    version_2 = StandardsVersion.objects.get(number=2)
    assert version_2.status == "published"
    assert version_2.effective_from == dt.date(2026, 4, 1)
    assert "NE9" in version_2.summary
    assert "settlement" in Standard.objects.get(version=version_2, ref="CC3").text
    assert "settlement" not in Standard.objects.get(version=version_1, ref="CC3").text
    ne9 = NeverEvent.objects.get(version=version_2, ref="NE9")
    assert sorted(s.ref for s in ne9.standards.all()) == ["CC1", "CC3"]
    assert ne9.guidance.least_severe == "suspension"
    assert selectors.version_in_force(on=dt.date(2026, 3, 31)).number == 1
    assert selectors.version_in_force(on=dt.date(2026, 4, 1)).number == 2
    published = AuditEvent.objects.get(action="standards.version.published")
    assert published.actor_label == "system: steward demo"


def test_the_demo_is_idempotent(today, version_1):
    standards_demo_load(actor="steward demo")
    count = AuditEvent.objects.count()
    standards_demo_load(actor="steward demo")
    assert StandardsVersion.objects.count() == 2
    assert AuditEvent.objects.count() == count


def test_the_demo_loads_version_1_first_when_the_database_was_emptied(today):
    StandardsVersion.objects.all().delete()
    standards_demo_load(actor="steward demo")
    assert list(StandardsVersion.objects.order_by("number").values_list("number", flat=True)) == [
        1,
        2,
    ]
