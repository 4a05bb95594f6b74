"""Fixtures for the standards tests: version 1 is loaded by the data migration."""

import datetime as dt

import pytest

from steward.standards import services
from steward.standards.models import StandardsVersion

# The day the tests run on: after version 1 took effect (1 April 2025).
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def today(travel):
    travel(TODAY)
    return TODAY


@pytest.fixture
def version_1(db):
    return StandardsVersion.objects.get(number=1)


@pytest.fixture
def admin(role_user):
    return role_user("administrator")


@pytest.fixture
def draft(db, today, admin, version_1):
    return services.standards_draft_create(actor=admin, reason="test")


def publish(draft, *, effective_from, actor="tests", summary="Test changes"):
    return services.standards_version_publish(
        version=draft, effective_from=effective_from, summary=summary, actor=actor
    )
