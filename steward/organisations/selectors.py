"""Reads of organisations and regions. All public: organisations are open data."""

from __future__ import annotations

import re

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from steward.core import clock
from steward.organisations.models import (
    Organisation,
    OrganisationType,
    Region,
    Succession,
)
from steward.organisations.search import ABBREVIATIONS, query_words

# What an ODS code can look like; anything else cannot match one, so it is
# never sent to the database as a code (a NUL byte, for one, breaks PostgreSQL).
ODS_CODE_SHAPE = re.compile(r"^[A-Za-z0-9]{1,10}$")


class InvalidFilter(ValueError):
    """A filter value names no region or organisation type."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(message)


def _shown(value: str) -> str:
    """A value to quote back in a message: printable and short."""
    printable = "".join(ch if ch.isprintable() else "?" for ch in value.strip())
    return printable if len(printable) <= 20 else f"{printable[:20]}…"


def region_list() -> list[Region]:
    return list(Region.objects.order_by("name"))


def region_resolve(
    *, value: str | Region | None, regions: list[Region] | None = None
) -> Region | None:
    """The region a code (Y56), slug (london) or name (London) names, any case.

    ``None`` or blank means no region. Pass ``regions`` (from :func:`region_list`)
    to avoid a query. Raises :class:`InvalidFilter` for anything else.
    """
    if value is None or isinstance(value, Region):
        return value
    wanted = value.strip().casefold()
    if not wanted:
        return None
    for region in region_list() if regions is None else regions:
        if wanted in (region.code.casefold(), region.slug.casefold(), region.name.casefold()):
            return region
    raise InvalidFilter(
        "region",
        f"Unknown region '{_shown(value)}': use a region's code (like Y56), "
        "short name (like london) or name (like London)",
    )


def org_type_resolve(*, value: str | None) -> str | None:
    """The organisation type a value names (any case); ``None`` or blank means any type."""
    if value is None:
        return None
    wanted = value.strip().casefold()
    if not wanted:
        return None
    for choice in OrganisationType:
        if wanted in (choice.value, choice.label.casefold()):
            return choice.value
    values = [choice.value for choice in OrganisationType]
    raise InvalidFilter(
        "type",
        f"Unknown type '{_shown(value)}': use {', '.join(values[:-1])} or {values[-1]}",
    )


def _word_matches(word: str) -> Q:
    match = Q(search_name__contains=word)
    if word in ABBREVIATIONS:
        match |= Q(search_name__contains=ABBREVIATIONS[word])
    return match


def organisation_search(
    *,
    q: str = "",
    region: str | Region | None = None,
    org_type: str | None = None,
    include_closed: bool = True,
) -> QuerySet[Organisation]:
    """Organisations matching a name or ODS code, optionally in a region and of a type.

    ``q`` matches an ODS code exactly (any case) or a name containing every
    word of the query (parts of words too), ignoring case, accents and
    punctuation: "guys thomas" finds Guy's and St Thomas'. An exact ODS code
    comes first, then names starting with the query, then the rest by name.
    ``region`` is a :class:`Region` or its code, slug or name; ``org_type`` an
    :class:`OrganisationType` value. Unknown values raise :class:`InvalidFilter`.
    """
    queryset = Organisation.objects.select_related("region", "parent_icb")
    region_obj = region_resolve(value=region)
    if region_obj is not None:
        queryset = queryset.filter(region=region_obj)
    type_value = org_type_resolve(value=org_type)
    if type_value is not None:
        queryset = queryset.filter(org_type=type_value)
    if not include_closed:
        # Open today: not closed, or closing on a date still to come.
        queryset = queryset.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=clock.today()))

    q = (q or "").strip()
    if not q:
        return queryset.order_by("name", "ods_code")

    words = query_words(q)
    code = q.upper() if ODS_CODE_SHAPE.match(q) else None
    if not words and code is None:
        return queryset.none()
    name_match = Q()
    for word in words:
        name_match &= _word_matches(word)
    condition = name_match | Q(ods_code=code) if code else name_match
    ranking = [When(search_name__startswith=" ".join(words), then=Value(1))]
    if code:
        ranking.insert(0, When(ods_code=code, then=Value(0)))
    return (
        queryset.filter(condition)
        .annotate(match_rank=Case(*ranking, default=Value(2), output_field=IntegerField()))
        .order_by("match_rank", "name", "ods_code")
    )


def organisation_get(*, ods_code: str) -> Organisation:
    """One organisation by ODS code (any case), with everything its page shows.

    Region and parent ICB come with it; ``member_organisations`` (for an ICB),
    ``successions_out`` (with successors) and ``successions_in`` (with
    predecessors) are prefetched: four queries whatever their number. Raises
    ``Organisation.DoesNotExist``.
    """
    code = (ods_code or "").strip()
    if not ODS_CODE_SHAPE.match(code):
        raise Organisation.DoesNotExist(f"No organisation with ODS code '{code}'.")
    members = Organisation.objects.select_related("region").order_by("name")
    return (
        Organisation.objects.select_related("region", "parent_icb")
        .prefetch_related(
            Prefetch("member_organisations", queryset=members),
            Prefetch(
                "successions_out",
                queryset=Succession.objects.select_related("successor").order_by(
                    "effective_on", "successor__name"
                ),
            ),
            Prefetch(
                "successions_in",
                queryset=Succession.objects.select_related("predecessor").order_by(
                    "effective_on", "predecessor__name"
                ),
            ),
        )
        .get(ods_code=code.upper())
    )
