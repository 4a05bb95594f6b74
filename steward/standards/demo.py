"""Demo data for the standards: a second published version, so the public pages
have an earlier version to show.

Version 2 is made the way the regulator would make it, through the services: a
draft copied from version 1, a stronger speaking-up standard (CC3) and a new
never event (NE9), published to take effect on 1 April 2026.
"""

import datetime as dt

from django.apps import apps as django_apps
from django.db import transaction

from steward.standards import loading, services
from steward.standards.models import NeverEvent, Standard, StandardsVersion, VersionStatus

VERSION_2_EFFECTIVE_FROM = dt.date(2026, 4, 1)
VERSION_2_SUMMARY = (
    "CC3 (speaking up) now says managers must never use a settlement or confidentiality "
    "agreement to stop anyone raising a concern, and must check that people who spoke up "
    "have not suffered for it. New never event NE9: using an agreement to silence a concern."
)
CC3_TEXT = (
    "You raise concerns yourself when you see something wrong, and you make it safe and easy "
    "for others to do the same. You listen to people who speak up, thank them, act on what "
    "they tell you, tell them what happened and check later that they have not suffered for "
    "it. You never punish, isolate or disadvantage anyone because they raised a concern, and "
    "you never use a settlement or confidentiality agreement to stop anyone raising one."
)
NE9 = {
    "ref": "NE9",
    "title": "Using an agreement to silence a concern",
    "description": (
        "Offering, agreeing or enforcing a settlement, non-disclosure or confidentiality "
        "agreement that stops, or is meant to stop, someone raising a concern about patient "
        "safety or wrongdoing with a regulator or anyone else entitled to hear it."
    ),
    "standard_refs": ["CC1", "CC3"],
}
NE9_GUIDANCE = {
    "least_severe": "suspension",
    "most_severe": "barring",
    "guidance": (
        "Silencing a concern with an agreement hides risks from the people who should act on "
        "them. Barring is likely where the agreement was used to hide harm to patients."
    ),
    "aggravating_factors": [
        "The concern was about patient safety",
        "The person was pressed to sign, or offered money to stay silent",
        "The agreement was used to hide the manager's own failings",
        "The board or regulator was not told about the agreement",
    ],
    "mitigating_factors": [
        "The manager followed legal advice that did not point out the problem",
        "The manager released the person from the term as soon as it was raised",
        "The manager has since reviewed every agreement they were party to",
    ],
}
REASON = "Demo data: version 2 of the standards"


def standards_demo_load(*, actor: str) -> None:
    """Publish version 2 (effective 1 April 2026) unless it, or any draft, exists already."""
    if StandardsVersion.objects.filter(number__gte=2).exists():
        return
    with transaction.atomic():
        if not StandardsVersion.objects.filter(status=VersionStatus.PUBLISHED).exists():
            loading.version_1_load(apps=django_apps)
        draft = services.standards_draft_create(actor=actor, reason=REASON)
        cc3 = Standard.objects.get(version=draft, ref="CC3")
        services.standard_update(
            standard=cc3,
            expected_revision=cc3.revision,
            ref=cc3.ref,
            title=cc3.title,
            text=CC3_TEXT,
            actor=actor,
            reason=REASON,
        )
        services.never_event_add(version=draft, actor=actor, reason=REASON, **NE9)
        services.sanctions_guidance_update(
            never_event=NeverEvent.objects.get(version=draft, ref="NE9"),
            expected_revision=None,
            actor=actor,
            reason=REASON,
            **NE9_GUIDANCE,
        )
        services.standards_version_publish(
            version=draft,
            effective_from=VERSION_2_EFFECTIVE_FROM,
            summary=VERSION_2_SUMMARY,
            actor=actor,
            allow_past_date=True,
        )
