"""View-models for the standards pages: each version's place in time, and outcome
ranges in words."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from steward.core.formatting import uk_date
from steward.standards.models import Outcome, SanctionsGuidance, StandardsVersion
from steward.standards.selectors import guidance_of

CURRENT = "current"
EARLIER = "earlier"
SCHEDULED = "scheduled"
DRAFT = "draft"

STATUS_TAGS = {
    CURRENT: {"text": "In force", "colour": "green"},
    EARLIER: {"text": "Earlier version", "colour": "grey"},
    SCHEDULED: {"text": "Scheduled", "colour": "blue"},
    DRAFT: {"text": "Draft", "colour": "orange"},
}


@dataclass
class VersionEntry:
    """A published version and when it is, was or will be in force."""

    version: StandardsVersion
    status: str
    # The last day it was in force, for an earlier version; None otherwise.
    until: dt.date | None = None

    @property
    def number(self) -> int:
        return self.version.number

    @property
    def tag(self) -> dict:
        return STATUS_TAGS[self.status]

    @property
    def heading(self) -> str:
        """'Version 2, in force from 1 April 2026'."""
        return f"Version {self.number}, {self.when}"

    @property
    def when(self) -> str:
        start = uk_date(self.version.effective_from)
        if self.status == SCHEDULED:
            return f"takes effect on {start}"
        if self.until is not None:
            return f"in force from {start} to {uk_date(self.until)}"
        return f"in force from {start}"


def version_timeline(*, versions: list[StandardsVersion], today: dt.date) -> list[VersionEntry]:
    """Published versions, newest first, each marked current, earlier or scheduled."""
    ordered = sorted(versions, key=lambda v: v.effective_from)
    entries = []
    current_found = False
    for index in range(len(ordered) - 1, -1, -1):
        version = ordered[index]
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if version.effective_from > today:
            entries.append(VersionEntry(version, SCHEDULED))
        elif not current_found:
            current_found = True
            entries.append(VersionEntry(version, CURRENT))
        else:
            until = following.effective_from - dt.timedelta(days=1) if following else None
            entries.append(VersionEntry(version, EARLIER, until))
    return entries


def entry_in_force(entries: list[VersionEntry]) -> VersionEntry | None:
    """The version in force today; before the first takes effect, the first (the same
    rule as ``selectors.version_in_force``)."""
    for entry in entries:
        if entry.status == CURRENT:
            return entry
    return entries[-1] if entries else None


def outcome_label(value: str) -> str:
    return Outcome(value).label if value in Outcome.values else value


def outcome_range(guidance: SanctionsGuidance | None) -> str:
    """'Advice to barring', or one outcome when the range is a single one."""
    if guidance is None:
        return ""
    least = outcome_label(guidance.least_severe)
    most = outcome_label(guidance.most_severe)
    if guidance.least_severe == guidance.most_severe:
        return least
    return f"{least} to {most.lower()}"


def outcome_scale() -> list[str]:
    """The outcomes, least severe first."""
    return [label for _, label in Outcome.choices]


# --- The draft page ------------------------------------------------------------


def _action(href: str, text: str, hidden: str) -> dict:
    return {"href": href, "text": text, "visuallyHiddenText": hidden}


def _guidance_html(guidance: SanctionsGuidance | None):
    if guidance is None:
        return mark_safe(  # noqa: S308 - a fixed string
            '<p class="nhsuk-body-s"><strong class="nhsuk-tag nhsuk-tag--red">'
            "No sanctions guidance</strong></p>"
        )
    return format_html('<p class="nhsuk-body-s">Outcomes: {}</p>', outcome_range(guidance))


def _item_row(item, *, kind: str, summary) -> dict:
    """A summary list row for a standard or never event of the draft (``kind``), with its
    sanctions guidance under ``summary`` and Change, guidance and Remove links."""
    hidden = f" {item.ref}"
    return {
        "key": {"text": f"{item.ref}: {item.title}"},
        "value": {"html": format_html("{}{}", summary, _guidance_html(guidance_of(item)))},
        "actions": {
            "items": [
                _action(
                    reverse(f"standards:{kind}_change", kwargs={"pk": item.pk}), "Change", hidden
                ),
                _action(
                    reverse(f"standards:{kind}_guidance", kwargs={"pk": item.pk}),
                    "Sanctions guidance",
                    f" for {item.ref}",
                ),
                _action(
                    reverse(f"standards:{kind}_remove", kwargs={"pk": item.pk}), "Remove", hidden
                ),
            ]
        },
    }


def draft_standard_rows(contents: StandardsVersion) -> list[dict]:
    """Summary list rows for the draft's standards, with Change, guidance and Remove links."""
    return [
        _item_row(standard, kind="standard", summary=format_html("<p>{}</p>", standard.text))
        for standard in contents.standards.all()
    ]


def draft_domain_rows(contents: StandardsVersion) -> list[dict]:
    rows = []
    for domain in contents.competency_domains.all():
        count = len(domain.good_practice)
        rows.append(
            {
                "key": {"text": f"{domain.ref}: {domain.name}"},
                "value": {
                    "html": format_html(
                        '<p>{}</p><p class="nhsuk-body-s">{} statement{} of what good looks '
                        "like</p>",
                        domain.description,
                        count,
                        "" if count == 1 else "s",
                    )
                },
                "actions": {
                    "items": [
                        _action(
                            reverse("standards:domain_change", kwargs={"pk": domain.pk}),
                            "Change",
                            f" {domain.ref}",
                        )
                    ]
                },
            }
        )
    return rows


def draft_never_event_rows(contents: StandardsVersion) -> list[dict]:
    """Summary list rows for the draft's never events, with the standards each breaches."""
    return [
        _item_row(
            event,
            kind="never_event",
            summary=format_html(
                "<p>Breaches {}</p>",
                ", ".join(s.ref for s in event.standards.all()) or "no standards yet",
            ),
        )
        for event in contents.never_events.all()
    ]
