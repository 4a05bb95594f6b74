"""Reads of the standards: what is in force, and every published version."""

import datetime as dt

from django.db.models import Prefetch, QuerySet

from steward.core import clock
from steward.standards.models import (
    NeverEvent,
    Standard,
    StandardsVersion,
    VersionStatus,
)


def published_versions() -> QuerySet[StandardsVersion]:
    return StandardsVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by(
        "-effective_from"
    )


def version_in_force(*, on: dt.date | None = None) -> StandardsVersion | None:
    """The published version in force on a date (today by default).

    A finding cites the version in force on the date of the conduct. Conduct
    before the first version took effect is judged against the first version
    (the earliest standards there are); None only when nothing is published.
    """
    on = on or clock.today()
    versions = published_versions()
    return versions.filter(effective_from__lte=on).first() or versions.last()


def version_contents(*, version: StandardsVersion) -> StandardsVersion:
    """The version with its standards, domains, never events (with the standards they
    breach) and sanctions guidance loaded in a fixed number of queries."""
    return (
        StandardsVersion.objects.filter(pk=version.pk)
        .prefetch_related(
            Prefetch("standards", queryset=Standard.objects.select_related("guidance")),
            "competency_domains",
            Prefetch(
                "never_events",
                queryset=NeverEvent.objects.select_related("guidance").prefetch_related(
                    "standards"
                ),
            ),
        )
        .get()
    )
