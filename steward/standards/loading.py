"""Loading a version of the standards from its JSON file.

Version 1 ships with Steward (``data/version-1.json``) and is loaded by a data
migration, so the loader takes the app registry it is given: the migration
passes its historical models, everything else passes ``django.apps.apps``. It
only sets fields that existed when the migration was written, so later fields
take their defaults.

The file is the content of a published version: once released it is never
edited. Changes to the standards are made as a new version through the
services (``steward.standards.services``).
"""

import datetime as dt
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
VERSION_1_FILE = DATA_DIR / "version-1.json"
VERSION_1_EFFECTIVE_FROM = dt.date(2025, 4, 1)
VERSION_1_SUMMARY = (
    "The first version: a code of conduct for NHS managers, the competency framework "
    "for board members, the never events and sanctions guidance."
)


class StandardsDataError(ValueError):
    """The data file does not describe a complete, consistent version."""


def version_data_read(path: Path = VERSION_1_FILE) -> dict:
    """The file's content, checked: every never event breaches known standards, and
    every standard and never event has guidance."""
    data = json.loads(path.read_text(encoding="utf-8"))
    standard_refs = [item["ref"] for item in data["standards"]]
    event_refs = [item["ref"] for item in data["never_events"]]
    domain_refs = [item["ref"] for item in data["competency_domains"]]
    for refs in (standard_refs, event_refs, domain_refs):
        if len(refs) != len(set(refs)):
            raise StandardsDataError(f"{path.name}: references repeat in {refs}.")
    for event in data["never_events"]:
        unknown = set(event["standards"]) - set(standard_refs)
        if not event["standards"] or unknown:
            raise StandardsDataError(
                f"{path.name}: {event['ref']} must breach standards of this version."
            )
    guided = [item["ref"] for item in data["sanctions_guidance"]]
    if sorted(guided) != sorted(standard_refs + event_refs):
        raise StandardsDataError(
            f"{path.name}: every standard and never event needs guidance, once."
        )
    return data


def standards_version_load(
    *,
    apps,
    data: dict,
    number: int,
    effective_from: dt.date,
    published_at: dt.datetime,
    summary: str,
    using: str = "default",
):
    """Create a published version from ``data``; returns the version.

    ``apps`` is an app registry (historical models in a migration). The caller
    decides whether loading is wanted (for example, only when no version exists).
    """
    version_model = apps.get_model("standards", "StandardsVersion")
    standard_model = apps.get_model("standards", "Standard")
    domain_model = apps.get_model("standards", "CompetencyDomain")
    event_model = apps.get_model("standards", "NeverEvent")
    guidance_model = apps.get_model("standards", "SanctionsGuidance")

    version = version_model.objects.using(using).create(
        number=number,
        status="published",
        effective_from=effective_from,
        summary=summary,
        created_at=published_at,
        published_at=published_at,
    )
    standards = {}
    for position, item in enumerate(data["standards"], start=1):
        standards[item["ref"]] = standard_model.objects.using(using).create(
            version=version,
            ref=item["ref"],
            title=item["title"],
            text=item["text"],
            position=position,
        )
    for position, item in enumerate(data["competency_domains"], start=1):
        domain_model.objects.using(using).create(
            version=version,
            ref=item["ref"],
            name=item["name"],
            description=item["description"],
            what_good_looks_like="\n".join(item["what_good_looks_like"]),
            position=position,
        )
    events = {}
    for position, item in enumerate(data["never_events"], start=1):
        event = event_model.objects.using(using).create(
            version=version,
            ref=item["ref"],
            title=item["title"],
            description=item.get("description", ""),
            position=position,
        )
        event.standards.set([standards[ref] for ref in item["standards"]])
        events[item["ref"]] = event
    for item in data["sanctions_guidance"]:
        guidance_model.objects.using(using).create(
            version=version,
            standard=standards.get(item["ref"]),
            never_event=events.get(item["ref"]),
            least_severe=item["least_severe"],
            most_severe=item["most_severe"],
            guidance=item["guidance"],
            aggravating_factors="\n".join(item["aggravating_factors"]),
            mitigating_factors="\n".join(item["mitigating_factors"]),
        )
    return version


def version_1_load(*, apps, using: str = "default"):
    """Load version 1, published and in force from 1 April 2025, when there is no
    version at all; returns it, or None when versions already exist."""
    from steward.core import clock

    version_model = apps.get_model("standards", "StandardsVersion")
    if version_model.objects.using(using).exists():
        return None
    return standards_version_load(
        apps=apps,
        data=version_data_read(VERSION_1_FILE),
        number=1,
        effective_from=VERSION_1_EFFECTIVE_FROM,
        published_at=clock.now(),
        summary=VERSION_1_SUMMARY,
        using=using,
    )
