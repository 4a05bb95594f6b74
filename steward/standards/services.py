"""Every write to the standards: drafts, edits to a draft, and publishing.

The regulator changes the standards by starting a draft (a copy of the latest
published version), editing it, and publishing it with the date it takes
effect. A published version never changes: every service here refuses, with a
plain message, to touch anything that is not in the draft. Each write records
an audit event (``standards.*``) in the same transaction. Edits to items use
optimistic locking: the caller passes the ``revision`` it read, and a save
over someone else's newer change is refused with ``StaleEdit``.
"""

import datetime as dt
import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max

from steward.audit.services import audit_record
from steward.core import clock
from steward.core.actors import actor_user
from steward.core.formatting import uk_date
from steward.core.stale import StaleEdit as CoreStaleEdit
from steward.standards import selectors
from steward.standards.models import (
    CompetencyDomain,
    NeverEvent,
    Outcome,
    SanctionsGuidance,
    Standard,
    StandardsVersion,
    VersionStatus,
)

MAX_TITLE = 200
MAX_TEXT = 3000
MAX_LINE = 500
MAX_LINES = 20
MAX_SUMMARY = 3000
REF_PREFIX = {"standard": "CC", "never_event": "NE"}

STALE_MESSAGE = (
    "Someone else changed this after you opened it, so your changes were not saved. "
    "Go back to the draft to see their changes, then make yours again."
)
GONE_MESSAGE = (
    "This draft no longer exists: it has been published or discarded. "
    "Go back to the standards to see the latest version."
)


class StaleEdit(CoreStaleEdit):
    default_message = STALE_MESSAGE


def published_message(number: int) -> str:
    return (
        f"Version {number} is published, and a published version never changes. "
        "To change the standards, start a new draft: it begins as a copy of the latest "
        "published version."
    )


def _require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationError("Give a reason for this change.")


def _locked_draft(version_id: int) -> StandardsVersion:
    """The draft, locked against a concurrent publish or discard; refused otherwise."""
    version = StandardsVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise ValidationError(GONE_MESSAGE, code="gone")
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(published_message(version.number), code="published")
    return version


def draft_required_problem(*, version: StandardsVersion) -> str | None:
    """Why the version cannot be edited (it is published), or None for the draft."""
    if version.status != VersionStatus.DRAFT:
        return published_message(version.number)
    return None


# --- Checking what people typed ----------------------------------------------


def _text(errors: dict, name: str, value: str, *, label: str, limit: int, required=True) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        errors[name] = f"{label} must not include unusual characters: remove them and try again."
    elif required and not value:
        errors[name] = f"Enter the {label.lower()}."
    elif len(value) > limit:
        errors[name] = f"{label} must be {limit:,} characters or fewer."
    return value


def _lines(errors: dict, name: str, values, *, label: str, required_message: str) -> list[str]:
    if isinstance(values, str):
        values = values.splitlines()
    lines = [line.strip() for line in values or [] if line and line.strip()]
    if not lines:
        errors[name] = required_message
    elif len(lines) > MAX_LINES:
        errors[name] = f"Enter {MAX_LINES} {label} or fewer, one on each line."
    elif any(len(line) > MAX_LINE for line in lines):
        errors[name] = f"Each of the {label} must be {MAX_LINE} characters or fewer."
    elif any("\x00" in line for line in lines):
        errors[name] = f"The {label} must not include unusual characters."
    return lines


def _ref(errors: dict, value: str, *, kind: str) -> str:
    prefix = REF_PREFIX[kind]
    ref = selectors.clean_ref(value)
    example = f"{prefix}13" if kind == "standard" else f"{prefix}9"
    if not ref:
        errors["ref"] = f"Enter the reference, like {example}."
    elif not re.fullmatch(rf"{prefix}[1-9][0-9]{{0,2}}", ref):
        errors["ref"] = f"Enter a reference made of {prefix} and a number, like {example}."
    return ref


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _save_revision(model, obj, *, expected_revision: int, values: dict, touched=False) -> None:
    """Save ``values`` if the row is still at ``expected_revision``, moving it on one;
    with nothing to save (and nothing ``touched`` elsewhere), only check it is."""
    rows = model.objects.filter(pk=obj.pk, revision=expected_revision)
    if not values and not touched:
        if not rows.exists():
            raise StaleEdit()
        return
    if not rows.update(**values, revision=F("revision") + 1):
        raise StaleEdit()


def _changed(obj, values: dict) -> dict:
    return {name: value for name, value in values.items() if getattr(obj, name) != value}


# --- Drafts --------------------------------------------------------------------


def _already_draft_message(draft: StandardsVersion) -> str:
    return (
        f"There is already a draft, version {draft.number}. Finish and publish it, or "
        "discard it, before starting another."
    )


def standards_draft_create(*, actor, reason: str) -> StandardsVersion:
    """Start a draft: a copy of the latest published version (its standards, domains,
    never events with the standards they breach, and sanctions guidance). There is
    only one draft at a time."""
    _require_reason(reason)
    with transaction.atomic():
        existing = StandardsVersion.objects.filter(status=VersionStatus.DRAFT).first()
        if existing is not None:
            raise ValidationError(_already_draft_message(existing))
        source = selectors.latest_published()
        if source is None:
            raise ValidationError(
                "There is no published version to start a draft from. Load version 1 first."
            )
        number = (StandardsVersion.objects.aggregate(last=Max("number"))["last"] or 0) + 1
        try:
            with transaction.atomic():
                draft = StandardsVersion.objects.create(
                    number=number,
                    status=VersionStatus.DRAFT,
                    created_at=clock.now(),
                    created_by=actor_user(actor),
                )
        except IntegrityError as exc:  # someone else started one at the same moment
            raise ValidationError(
                "Someone else has just started a draft. Go back to the standards to see it."
            ) from exc
        _copy_contents(source=selectors.version_contents(version=source), draft=draft)
        audit_record(
            actor=actor,
            action="standards.draft.created",
            reason=reason,
            subject=draft,
            payload={"number": draft.number, "copied_from": source.number},
        )
    return draft


def _copy_contents(*, source: StandardsVersion, draft: StandardsVersion) -> None:
    """Copy everything in ``source`` (loaded by version_contents) into ``draft``, in a
    fixed number of queries."""
    old_standards = list(source.standards.all())
    new_standards = Standard.objects.bulk_create(
        Standard(version=draft, ref=s.ref, title=s.title, text=s.text, position=s.position)
        for s in old_standards
    )
    standard_map = {old.pk: new for old, new in zip(old_standards, new_standards, strict=True)}
    CompetencyDomain.objects.bulk_create(
        CompetencyDomain(
            version=draft,
            ref=d.ref,
            name=d.name,
            description=d.description,
            what_good_looks_like=d.what_good_looks_like,
            position=d.position,
        )
        for d in source.competency_domains.all()
    )
    old_events = list(source.never_events.all())
    new_events = NeverEvent.objects.bulk_create(
        NeverEvent(
            version=draft, ref=e.ref, title=e.title, description=e.description, position=e.position
        )
        for e in old_events
    )
    links = NeverEvent.standards.through
    links.objects.bulk_create(
        links(neverevent_id=new.pk, standard_id=standard_map[standard.pk].pk)
        for old, new in zip(old_events, new_events, strict=True)
        for standard in old.standards.all()
    )
    guidance = []
    for old, new in zip(old_standards, new_standards, strict=True):
        if (g := selectors.guidance_of(old)) is not None:
            guidance.append(_guidance_copy(g, draft=draft, standard=new))
    for old, new in zip(old_events, new_events, strict=True):
        if (g := selectors.guidance_of(old)) is not None:
            guidance.append(_guidance_copy(g, draft=draft, never_event=new))
    SanctionsGuidance.objects.bulk_create(guidance)


def _guidance_copy(g, *, draft, standard=None, never_event=None) -> SanctionsGuidance:
    return SanctionsGuidance(
        version=draft,
        standard=standard,
        never_event=never_event,
        least_severe=g.least_severe,
        most_severe=g.most_severe,
        guidance=g.guidance,
        aggravating_factors=g.aggravating_factors,
        mitigating_factors=g.mitigating_factors,
    )


def standards_draft_discard(*, version: StandardsVersion, actor, reason: str) -> None:
    """Throw the draft away, with everything in it. A published version is refused."""
    _require_reason(reason)
    with transaction.atomic():
        draft = _locked_draft(version.pk)
        audit_record(
            actor=actor,
            action="standards.draft.discarded",
            reason=reason,
            subject=draft,
            payload={"number": draft.number},
        )
        draft.delete()


# --- Standards -----------------------------------------------------------------


def _standard_fields(errors: dict, *, ref: str, title: str, text: str) -> dict:
    return {
        "ref": _ref(errors, ref, kind="standard"),
        "title": _text(errors, "title", title, label="Title", limit=MAX_TITLE),
        "text": _text(errors, "text", text, label="Text of the standard", limit=MAX_TEXT),
    }


def _refuse_taken_ref(model, *, draft, ref: str, exclude_pk=None) -> None:
    """Refuse a reference another standard (or never event) of the draft already has."""
    if model.objects.filter(version=draft, ref=ref).exclude(pk=exclude_pk).exists():
        noun = "standard" if model is Standard else "never event"
        raise ValidationError(
            {"ref": f"The draft already has a {noun} {ref}. Enter a different reference."}
        )


def _next_position(model, *, draft) -> int:
    """The position after the last standard (or never event) of the draft."""
    last = model.objects.filter(version=draft).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


def next_ref(*, version: StandardsVersion, kind: str) -> str:
    """The next free reference in the version, like CC13 or NE9 (a suggestion for forms)."""
    prefix = REF_PREFIX[kind]
    model = Standard if kind == "standard" else NeverEvent
    numbers = [
        int(ref[len(prefix) :])
        for ref in model.objects.filter(version=version).values_list("ref", flat=True)
        if ref[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


def standard_add(
    *, version: StandardsVersion, ref: str, title: str, text: str, actor, reason: str
) -> Standard:
    """Add a standard to the code of conduct in the draft."""
    _require_reason(reason)
    errors: dict = {}
    values = _standard_fields(errors, ref=ref, title=title, text=text)
    with transaction.atomic():
        draft = _locked_draft(version.pk)
        _raise(errors)
        _refuse_taken_ref(Standard, draft=draft, ref=values["ref"])
        standard = Standard.objects.create(
            version=draft, position=_next_position(Standard, draft=draft), **values
        )
        audit_record(
            actor=actor,
            action="standards.standard.added",
            reason=reason,
            subject=draft,
            payload={"ref": standard.ref, "title": standard.title},
        )
    return standard


def standard_update(
    *,
    standard: Standard,
    expected_revision: int,
    ref: str,
    title: str,
    text: str,
    actor,
    reason: str,
) -> Standard:
    """Change a standard in the draft."""
    _require_reason(reason)
    errors: dict = {}
    values = _standard_fields(errors, ref=ref, title=title, text=text)
    with transaction.atomic():
        draft = _locked_draft(standard.version_id)
        _raise(errors)
        _refuse_taken_ref(Standard, draft=draft, ref=values["ref"], exclude_pk=standard.pk)
        changed = _changed(standard, values)
        _save_revision(Standard, standard, expected_revision=expected_revision, values=changed)
        if changed:
            audit_record(
                actor=actor,
                action="standards.standard.changed",
                reason=reason,
                subject=draft,
                payload={"ref": values["ref"], "was": standard.ref, "fields": sorted(changed)},
            )
    standard.refresh_from_db()
    return standard


def standard_remove(*, standard: Standard, actor, reason: str) -> None:
    """Remove a standard from the draft, with its sanctions guidance. Refused while a
    never event breaches this standard alone: change or remove the never event first."""
    _require_reason(reason)
    with transaction.atomic():
        draft = _locked_draft(standard.version_id)
        only_this = list(
            NeverEvent.objects.annotate(breaches=Count("standards"))
            .filter(pk__in=standard.never_events.values("pk"), breaches=1)
            .values_list("ref", flat=True)
        )
        if only_this:
            events = " and ".join(only_this)
            raise ValidationError(
                f"{events} {'breach' if len(only_this) > 1 else 'breaches'} only "
                f"{standard.ref}. Change {events} to link {'them' if len(only_this) > 1 else 'it'} "
                f"to another standard, or remove {events}, before removing {standard.ref}."
            )
        audit_record(
            actor=actor,
            action="standards.standard.removed",
            reason=reason,
            subject=draft,
            payload={"ref": standard.ref, "title": standard.title},
        )
        standard.delete()


# --- Competency domains ------------------------------------------------------------


def competency_domain_update(
    *,
    domain: CompetencyDomain,
    expected_revision: int,
    name: str,
    description: str,
    what_good_looks_like: list[str] | str,
    actor,
    reason: str,
) -> CompetencyDomain:
    """Change a domain of the competency framework in the draft (its name, description
    and "what good looks like" statements, one per line)."""
    _require_reason(reason)
    errors: dict = {}
    values = {
        "name": _text(errors, "name", name, label="Name", limit=MAX_TITLE),
        "description": _text(
            errors, "description", description, label="Description", limit=MAX_TEXT
        ),
        "what_good_looks_like": "\n".join(
            _lines(
                errors,
                "what_good_looks_like",
                what_good_looks_like,
                label="statements",
                required_message="Enter at least one statement of what good looks like.",
            )
        ),
    }
    with transaction.atomic():
        draft = _locked_draft(domain.version_id)
        _raise(errors)
        changed = _changed(domain, values)
        _save_revision(
            CompetencyDomain, domain, expected_revision=expected_revision, values=changed
        )
        if changed:
            audit_record(
                actor=actor,
                action="standards.domain.changed",
                reason=reason,
                subject=draft,
                payload={"ref": domain.ref, "fields": sorted(changed)},
            )
    domain.refresh_from_db()
    return domain


# --- Never events --------------------------------------------------------------


def _never_event_values(
    *, draft, ref: str, title: str, description: str, standard_refs
) -> tuple[dict, list[Standard]]:
    """The never event's checked fields and the draft's standards it breaches; refused
    with a message for each field that is wrong."""
    errors: dict = {}
    values = {
        "ref": _ref(errors, ref, kind="never_event"),
        "title": _text(errors, "title", title, label="Title", limit=MAX_TITLE),
        "description": _text(
            errors,
            "description",
            description,
            label="Description",
            limit=MAX_TEXT,
            required=False,
        ),
    }
    wanted = list(dict.fromkeys(selectors.clean_ref(ref) for ref in standard_refs or []))
    wanted = [ref for ref in wanted if ref]
    standards = list(Standard.objects.filter(version=draft, ref__in=wanted))
    unknown = sorted(set(wanted) - {s.ref for s in standards})
    if not wanted:
        errors["standards"] = "Select at least one standard this never event breaches."
    elif unknown:
        errors["standards"] = (
            f"The draft has no standard {', '.join(unknown)}. Choose standards from the list shown."
        )
    _raise(errors)
    return values, standards


def never_event_add(
    *,
    version: StandardsVersion,
    ref: str,
    title: str,
    description: str,
    standard_refs: list[str],
    actor,
    reason: str,
) -> NeverEvent:
    """Add a never event to the draft, breaching standards of the same draft (by ref)."""
    _require_reason(reason)
    with transaction.atomic():
        draft = _locked_draft(version.pk)
        values, standards = _never_event_values(
            draft=draft,
            ref=ref,
            title=title,
            description=description,
            standard_refs=standard_refs,
        )
        _refuse_taken_ref(NeverEvent, draft=draft, ref=values["ref"])
        event = NeverEvent.objects.create(
            version=draft, position=_next_position(NeverEvent, draft=draft), **values
        )
        event.standards.set(standards)
        audit_record(
            actor=actor,
            action="standards.never_event.added",
            reason=reason,
            subject=draft,
            payload={
                "ref": event.ref,
                "title": event.title,
                "standards": sorted(s.ref for s in standards),
            },
        )
    return event


def never_event_update(
    *,
    never_event: NeverEvent,
    expected_revision: int,
    ref: str,
    title: str,
    description: str,
    standard_refs: list[str],
    actor,
    reason: str,
) -> NeverEvent:
    """Change a never event in the draft, including which standards it breaches."""
    _require_reason(reason)
    with transaction.atomic():
        draft = _locked_draft(never_event.version_id)
        values, standards = _never_event_values(
            draft=draft,
            ref=ref,
            title=title,
            description=description,
            standard_refs=standard_refs,
        )
        _refuse_taken_ref(NeverEvent, draft=draft, ref=values["ref"], exclude_pk=never_event.pk)
        changed = _changed(never_event, values)
        before = sorted(never_event.standards.values_list("ref", flat=True))
        after = sorted(s.ref for s in standards)
        _save_revision(
            NeverEvent,
            never_event,
            expected_revision=expected_revision,
            values=changed,
            touched=before != after,
        )
        if before != after:
            never_event.standards.set(standards)
            changed["standards"] = after
        if changed:
            audit_record(
                actor=actor,
                action="standards.never_event.changed",
                reason=reason,
                subject=draft,
                payload={
                    "ref": values["ref"],
                    "was": never_event.ref,
                    "fields": sorted(changed),
                    "standards": after,
                },
            )
    never_event.refresh_from_db()
    return never_event


def never_event_remove(*, never_event: NeverEvent, actor, reason: str) -> None:
    """Remove a never event from the draft, with its sanctions guidance."""
    _require_reason(reason)
    with transaction.atomic():
        draft = _locked_draft(never_event.version_id)
        audit_record(
            actor=actor,
            action="standards.never_event.removed",
            reason=reason,
            subject=draft,
            payload={"ref": never_event.ref, "title": never_event.title},
        )
        never_event.delete()


# --- Sanctions guidance --------------------------------------------------------


def sanctions_guidance_update(
    *,
    standard: Standard | None = None,
    never_event: NeverEvent | None = None,
    expected_revision: int | None,
    least_severe: str,
    most_severe: str,
    guidance: str,
    aggravating_factors: list[str] | str,
    mitigating_factors: list[str] | str,
    actor,
    reason: str,
) -> SanctionsGuidance:
    """Set the sanctions guidance for one standard or never event in the draft: the
    range of outcomes (least severe no more severe than most severe; a never event at
    least a warning), the guidance, and the aggravating and mitigating factors.

    ``expected_revision`` is the revision of the guidance the form showed, or None
    when it had none yet."""
    if (standard is None) == (never_event is None):
        raise ValueError("Give either a standard or a never event.")
    _require_reason(reason)
    item = standard or never_event
    errors: dict = {}
    if least_severe not in Outcome.values:
        errors["least_severe"] = "Select the least severe outcome from the list."
    if most_severe not in Outcome.values:
        errors["most_severe"] = "Select the most severe outcome from the list."
    if not errors:
        problem = selectors.outcome_range_problem(
            least=least_severe, most=most_severe, never_event=never_event is not None
        )
        if problem:
            errors["least_severe"] = problem[0].upper() + problem[1:]
    values = {
        "least_severe": least_severe,
        "most_severe": most_severe,
        "guidance": _text(errors, "guidance", guidance, label="Guidance", limit=MAX_TEXT),
        "aggravating_factors": "\n".join(
            _lines(
                errors,
                "aggravating_factors",
                aggravating_factors,
                label="aggravating factors",
                required_message="Enter at least one aggravating factor.",
            )
        ),
        "mitigating_factors": "\n".join(
            _lines(
                errors,
                "mitigating_factors",
                mitigating_factors,
                label="mitigating factors",
                required_message="Enter at least one mitigating factor.",
            )
        ),
    }
    with transaction.atomic():
        draft = _locked_draft(item.version_id)
        _raise(errors)
        target = {"standard": standard} if standard is not None else {"never_event": never_event}
        current = SanctionsGuidance.objects.filter(**target).first()
        if current is None:
            if expected_revision is not None:
                raise StaleEdit()
            current = SanctionsGuidance.objects.create(version=draft, **target, **values)
            changed = values
        else:
            if expected_revision is None:
                raise StaleEdit()
            changed = _changed(current, values)
            _save_revision(
                SanctionsGuidance, current, expected_revision=expected_revision, values=changed
            )
            current.refresh_from_db()
        if changed:
            audit_record(
                actor=actor,
                action="standards.guidance.changed",
                reason=reason,
                subject=draft,
                payload={
                    "ref": item.ref,
                    "least_severe": least_severe,
                    "most_severe": most_severe,
                    "fields": sorted(changed),
                },
            )
    return current


# --- Publishing ----------------------------------------------------------------


def publish_problems(
    *,
    version: StandardsVersion,
    effective_from: dt.date | None,
    summary: str,
    allow_past_date: bool = False,
) -> dict[str, list[str]]:
    """Everything that stops the draft being published, by form field."""
    problems: dict[str, list[str]] = {}
    latest = selectors.latest_published()
    if effective_from is None:
        problems["effective_from"] = ["Enter the date this version takes effect."]
    elif not allow_past_date and effective_from < clock.today():
        problems["effective_from"] = [
            "The date this version takes effect must be today or in the future."
        ]
    elif latest is not None and effective_from <= latest.effective_from:
        when = "takes" if latest.effective_from > clock.today() else "took"
        problems["effective_from"] = [
            f"The date this version takes effect must be after {uk_date(latest.effective_from)}, "
            f"when version {latest.number} {when} effect."
        ]
    summary = (summary or "").strip()
    if not summary:
        problems["summary"] = ["Enter a summary of what changed from the version before."]
    elif len(summary) > MAX_SUMMARY:
        problems["summary"] = [f"The summary must be {MAX_SUMMARY:,} characters or fewer."]
    content = selectors.draft_problems(version=version)
    if content:
        problems[NON_FIELD_ERRORS] = content
    return problems


def standards_version_publish(
    *,
    version: StandardsVersion,
    effective_from: dt.date,
    summary: str,
    actor,
    allow_past_date: bool = False,
) -> StandardsVersion:
    """Publish the draft, to take effect on ``effective_from`` (today or later, and after
    the latest published version's date). From then on it never changes.

    ``allow_past_date`` is only for loading history (the demo): the audit event
    records that the date was in the past when it was published."""
    with transaction.atomic():
        draft = _locked_draft(version.pk)
        problems = publish_problems(
            version=draft,
            effective_from=effective_from,
            summary=summary,
            allow_past_date=allow_past_date,
        )
        if problems:
            raise ValidationError(problems)
        draft.status = VersionStatus.PUBLISHED
        draft.effective_from = effective_from
        draft.summary = summary.strip()
        draft.published_at = clock.now()
        draft.published_by = actor_user(actor)
        draft.save(
            update_fields=["status", "effective_from", "summary", "published_at", "published_by"]
        )
        audit_record(
            actor=actor,
            action="standards.version.published",
            reason=draft.summary,
            subject=draft,
            payload={
                "number": draft.number,
                "effective_from": effective_from,
                "standards": list(draft.standards.values_list("ref", flat=True)),
                "never_events": list(draft.never_events.values_list("ref", flat=True)),
                "backdated": effective_from < clock.today(),
            },
        )
    version.refresh_from_db()
    return version
