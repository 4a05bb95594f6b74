"""Reads of the standards: what is in force, every published version, the draft,
and citations for findings."""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from steward.core import clock
from steward.core.formatting import uk_date
from steward.standards.models import (
    OUTCOME_SEVERITY,
    NeverEvent,
    Outcome,
    SanctionsGuidance,
    Standard,
    StandardsVersion,
    VersionStatus,
)

# Numbers and ids beyond these cannot be in the database; looking them up would
# overflow the database's integers, so they are simply not found.
MAX_NUMBER = 2**31 - 1
MAX_ID = 2**63 - 1


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
        .select_related("created_by", "published_by")
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


def published_version(*, number: int) -> StandardsVersion | None:
    """A published version by its number; None for a draft or a number never used."""
    if not 1 <= number <= MAX_NUMBER:
        return None
    return published_versions().filter(number=number).first()


def current_draft() -> StandardsVersion | None:
    """The draft being edited, if any (there is at most one)."""
    return (
        StandardsVersion.objects.filter(status=VersionStatus.DRAFT)
        .select_related("created_by")
        .first()
    )


def latest_published() -> StandardsVersion | None:
    """The published version with the latest effective date (a new draft copies it)."""
    return published_versions().first()


def scheduled_versions(*, today: dt.date | None = None) -> list[StandardsVersion]:
    """Published versions that have not taken effect yet, soonest first."""
    today = today or clock.today()
    return list(published_versions().filter(effective_from__gt=today).order_by("effective_from"))


def guidance_of(item: Standard | NeverEvent) -> SanctionsGuidance | None:
    """The sanctions guidance for a standard or never event, None if it has none yet."""
    try:
        return item.guidance
    except SanctionsGuidance.DoesNotExist:
        return None


def item_get(model, *, pk: int):
    """A standard, domain or never event of any version, with its version; None if none."""
    if not 1 <= pk <= MAX_ID:
        return None
    return model.objects.select_related("version").filter(pk=pk).first()


# --- What stops a draft being published ----------------------------------------


def draft_problems(*, version: StandardsVersion) -> list[str]:
    """What must be put right in the content before the version can be published
    (dates and summary aside), in the order the draft page lists things."""
    return contents_problems(contents=version_contents(version=version))


def contents_problems(*, contents: StandardsVersion) -> list[str]:
    """As ``draft_problems``, for a version already loaded by ``version_contents``."""
    standards = list(contents.standards.all())
    events = list(contents.never_events.all())
    problems = []
    if not standards:
        problems.append("Add at least one standard to the code of conduct.")
    seen: dict[str, int] = {}
    for item in [*standards, *events]:
        seen[item.ref.upper()] = seen.get(item.ref.upper(), 0) + 1
    for ref, count in seen.items():
        if count > 1:
            problems.append(
                f"The reference {ref} is used more than once. Give each standard and never "
                "event its own reference."
            )
    for event in events:
        if not event.standards.all():
            problems.append(
                f"Choose at least one standard that {event.ref} {event.title} breaches."
            )
    for item in [*standards, *events]:
        guidance = guidance_of(item)
        if guidance is None:
            problems.append(f"Add sanctions guidance for {item.ref} {item.title}.")
            continue
        problem = outcome_range_problem(
            least=guidance.least_severe,
            most=guidance.most_severe,
            never_event=isinstance(item, NeverEvent),
        )
        if problem:
            problems.append(f"Sanctions guidance for {item.ref}: {problem}")
    return problems


def outcome_range_problem(*, least: str, most: str, never_event: bool) -> str | None:
    """Why a range of outcomes is not allowed, or None when it is."""
    if least not in OUTCOME_SEVERITY or most not in OUTCOME_SEVERITY:
        return "choose the outcomes from the lists."
    if OUTCOME_SEVERITY[least] > OUTCOME_SEVERITY[most]:
        return (
            f"the least severe outcome ({Outcome(least).label.lower()}) is more severe than "
            f"the most severe outcome ({Outcome(most).label.lower()}). Choose a least severe "
            "outcome that is the same as, or less severe than, the most severe one."
        )
    if never_event and OUTCOME_SEVERITY[least] < OUTCOME_SEVERITY[Outcome.WARNING]:
        return (
            "a never event should always lead to a sanction, so the least severe outcome "
            "must be a warning or a more severe outcome."
        )
    return None


# --- Citations -----------------------------------------------------------------


@dataclass(frozen=True)
class CitedItem:
    ref: str
    kind: str  # "standard" or "never_event"
    title: str


@dataclass(frozen=True)
class Citation:
    """The standards a finding cites, in the version in force on the date of the conduct."""

    version_id: int
    version_number: int
    effective_from: dt.date
    conduct_on: dt.date
    items: tuple[CitedItem, ...]

    @property
    def refs(self) -> list[str]:
        return [item.ref for item in self.items]

    def __str__(self) -> str:
        cited = "; ".join(f"{item.ref} {item.title}" for item in self.items)
        return (
            f"Standards for NHS managers, version {self.version_number} "
            f"(in force from {uk_date(self.effective_from)}): {cited}"
        )


def clean_ref(value: str) -> str:
    """A reference as written in the standards: capitals, no spaces ("cc 3" → "CC3")."""
    return re.sub(r"\s+", "", str(value or "")).upper()


def citation_for(*, refs: list[str], conduct_on: dt.date) -> Citation:
    """Cite standards (``CC3``) and never events (``NE1``) in the version in force on
    the date of the conduct. Raises ValidationError naming any reference that version
    does not have, or when nothing is published."""
    wanted = list(dict.fromkeys(clean_ref(ref) for ref in refs if clean_ref(ref)))
    if not wanted:
        raise ValidationError("Choose at least one standard or never event to cite.")
    version = version_in_force(on=conduct_on)
    if version is None:
        raise ValidationError(
            "No version of the standards has been published, so nothing can be cited yet."
        )
    found: dict[str, CitedItem] = {}
    for ref, title in Standard.objects.filter(version=version, ref__in=wanted).values_list(
        "ref", "title"
    ):
        found[ref] = CitedItem(ref=ref, kind="standard", title=title)
    for ref, title in NeverEvent.objects.filter(version=version, ref__in=wanted).values_list(
        "ref", "title"
    ):
        found[ref] = CitedItem(ref=ref, kind="never_event", title=title)
    unknown = [ref for ref in wanted if ref not in found]
    if unknown:
        names = ", ".join(unknown[:-1]) + " and " + unknown[-1] if len(unknown) > 1 else unknown[0]
        verb = "are" if len(unknown) > 1 else "is"
        raise ValidationError(
            f"{names} {verb} not in version {version.number} of the standards, the version "
            f"in force on {uk_date(conduct_on)}. Cite standards (like CC3) and never events "
            "(like NE1) of that version."
        )
    return Citation(
        version_id=version.pk,
        version_number=version.number,
        effective_from=version.effective_from,
        conduct_on=conduct_on,
        items=tuple(found[ref] for ref in wanted),
    )
