"""Detriment: spotting disciplinary action against someone who raised a concern.

A known reporter (open or confidential; never anonymous) leaves keyed hashes of
their registrant record and email address (``ReporterLink``), under a key derived
from the concerns key. When an employer records disciplinary action against a
registrant, the same hashes are computed for that registrant; a match flags the
concern to the concerns team (``DetrimentFlag``), who are told at once (the
concern is not anonymous, so the time of the notification dates nothing about
the reporter). The employer is never told: whatever the check finds, what they
see and what the audit trail records of their action are the same.
"""

import hashlib
import hmac

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from steward.accounts.selectors import role_holders
from steward.audit.services import audit_record, audit_record_view
from steward.concerns.crypto import derived_secret
from steward.concerns.models import Concern, DetrimentFlag, ReporterLink
from steward.core import clock
from steward.core.text import clean_text
from steward.notifications.services import notify

MAX_NOTE = 5_000
DETRIMENT_TOPIC = "concerns.detriment"


def _link_secret() -> bytes:
    return derived_secret(b"steward/concerns/reporter-link/v1")


def _key(kind: str, value: str) -> str:
    return hmac.new(_link_secret(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _email_key(email: str) -> str | None:
    email = (email or "").strip().casefold()
    return _key("email", email) if "@" in email else None


def link_keys_for_reporter(*, user=None, identity: dict | None = None) -> set[str]:
    """The keys a known reporter leaves: their registrant record, if they have one,
    and every email address we know for them."""
    keys = set()
    if user is not None:
        registrant = getattr(user, "registrant", None)
        if registrant is not None:
            keys.add(_key("registrant", registrant.registration_number))
            keys.add(_email_key(registrant.email))
        keys.add(_email_key(user.email))
    if identity:
        keys.add(_email_key(identity.get("email", "")))
    keys.discard(None)
    return keys


def link_keys_for_registrant(registrant) -> set[str]:
    """The keys that would match this registrant as a reporter."""
    keys = {_key("registrant", registrant.registration_number), _email_key(registrant.email)}
    if registrant.user_id:
        keys.add(_email_key(registrant.user.email))
    keys.discard(None)
    return keys


def reporter_links_record(*, concern: Concern, user=None, identity: dict | None = None) -> int:
    """Store the reporter's keys with the concern (none for anonymous concerns)."""
    if concern.anonymity == "anonymous":
        return 0
    keys = link_keys_for_reporter(user=user, identity=identity)
    ReporterLink.objects.bulk_create(
        [ReporterLink(concern=concern, key=k) for k in sorted(keys)], ignore_conflicts=True
    )
    return len(keys)


def concerns_raised_by(registrant) -> list[Concern]:
    """Concerns this registrant raised (as a known reporter), for staff only."""
    keys = link_keys_for_registrant(registrant)
    return list(Concern.objects.filter(reporter_links__key__in=keys).distinct().order_by("pk"))


def disciplinary_action_check(*, action) -> list[DetrimentFlag]:
    """Flag every concern raised by the person the action is against (idempotent).
    Called by the register when an employer records disciplinary action; the
    concerns team is told of each new flag, with nothing about anyone in the message."""
    concerns = concerns_raised_by(action.registrant)
    flags = []
    with transaction.atomic():
        for concern in concerns:
            flag, created = DetrimentFlag.objects.get_or_create(
                concern=concern, disciplinary_action=action
            )
            flags.append(flag)
            if not created:
                continue
            audit_record(
                actor="detriment check",
                action="concerns.detriment.flagged",
                reason="formal action recorded against someone who raised a concern",
                subject=flag,
                payload={"concern": concern.reference},
            )
            notify(
                users=role_holders("caseworker"),
                subject="A concern needs a detriment review",
                body=(
                    "An employer has recorded formal action against someone who raised a "
                    "concern with us. Review whether they may have been treated badly for "
                    "speaking up."
                ),
                url=reverse("concerns:detriment_review", kwargs={"pk": flag.pk}),
                topic=DETRIMENT_TOPIC,
            )
    return flags


# --- Reviewing flags -----------------------------------------------------------------


def detriment_flags():
    """Flags for the concerns team: waiting for review first, then reviewed."""
    from django.db.models import F

    return DetrimentFlag.objects.select_related(
        "concern",
        "disciplinary_action",
        "disciplinary_action__organisation",
        "reviewed_by",
    ).order_by(F("reviewed_at").desc(nulls_first=True), "-flagged_on", "-pk")


def detriment_flag_get(*, pk: int) -> DetrimentFlag:
    """One flag with what the review page shows (raises DetrimentFlag.DoesNotExist)."""
    return detriment_flags().select_related("disciplinary_action__registrant").get(pk=pk)


def detriment_flag_open(*, flag: DetrimentFlag, actor) -> dict:
    """The employer's action behind a flag, for the concerns team; the reading of its
    (restricted) summary is recorded."""
    if actor is None or not actor.has_perm("concerns.review_detriment", flag.concern):
        raise PermissionDenied("Only the concerns team can review detriment flags.")
    action = flag.disciplinary_action
    audit_record_view(
        actor=actor,
        subject=action,
        fields=["summary"],
        reason=f"reviewed detriment flag {flag.pk}",
    )
    return {
        "kind": action.get_kind_display(),
        "started_on": action.started_on,
        "organisation": action.organisation,
        "registrant": action.registrant,
        "summary": action.summary,
        "recorded_at": action.recorded_at,
    }


def detriment_flag_review(*, flag: DetrimentFlag, note: str, actor) -> DetrimentFlag:
    """A caseworker records their review of a flag (once); audited without the note."""
    if actor is None or not actor.has_perm("concerns.review_detriment", flag.concern):
        raise PermissionDenied("Only the concerns team can review detriment flags.")
    note = clean_text(
        note,
        name="note",
        limit=MAX_NOTE,
        label="Your review",
        required="Enter what you found and what happens next",
    )
    with transaction.atomic():
        locked = DetrimentFlag.objects.select_for_update().select_related("concern").get(pk=flag.pk)
        if locked.reviewed_at is not None:
            raise ValidationError(
                "Someone in the concerns team has already reviewed this flag. Nothing was changed."
            )
        locked.reviewed_by = actor
        locked.reviewed_at = clock.now()
        locked.review_note = note
        locked.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
        audit_record(
            actor=actor,
            action="concerns.detriment.reviewed",
            reason="reviewed a detriment flag",
            subject=locked,
            payload={"concern": locked.concern.reference},
        )
    return locked
