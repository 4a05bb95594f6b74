"""Who raised a concern: reading it inside the concerns team, and revealing it outside.

- Inside the team, a caseworker may read an open or confidential reporter's identity;
  each reading is recorded in the audit trail (``reporter_identity_read``).
- Outside the team, a confidential reporter's identity is revealed only when a
  caseworker asks, with a reason (``reveal_request``), and a custodian who is not the
  person who asked approves it (``reveal_decide``). The person who asked then reads it
  once to pass it on (``reveal_disclose``). The custodian decides without seeing it.
- Open reporters agreed to be known to everyone handling the concern, so there is
  nothing to ask for; nobody knows who raised an anonymous concern, so there is
  nothing to reveal.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from steward.accounts.selectors import role_holders
from steward.audit.services import audit_record, audit_record_view
from steward.concerns import crypto
from steward.concerns.models import (
    Anonymity,
    Concern,
    DetrimentFlag,
    IdentityReveal,
    RevealStatus,
)
from steward.core import clock
from steward.core.text import clean_text
from steward.notifications.services import notify

MAX_RECIPIENT = 300
MAX_REASON = 5_000

ANONYMITY_TEXT = {
    Anonymity.OPEN: (
        "Raised openly. The person who raised it agreed that everyone handling the "
        "concern may know their name."
    ),
    Anonymity.CONFIDENTIAL: (
        "Raised in confidence. Only the concerns team may know who raised it. It must "
        "not be revealed to anyone else, including the manager it is about and their "
        "employer, unless a custodian approves a request."
    ),
    Anonymity.ANONYMOUS: (
        "Raised anonymously. Nobody knows who raised it, and nothing was kept that "
        "could identify them."
    ),
}
ANONYMOUS_HAS_NO_IDENTITY = (
    "This concern was raised anonymously. Nobody knows who raised it, so there is no "
    "identity to show."
)
ANONYMOUS_CANNOT_BE_REVEALED = (
    "This concern was raised anonymously. Nobody knows who raised it, so their identity "
    "cannot be revealed."
)
OPEN_NEEDS_NO_REVEAL = (
    "This concern was raised openly. The person who raised it agreed that everyone "
    "handling it may know their name, so you do not need a custodian's approval."
)
ANONYMITY_COLOURS = {
    Anonymity.OPEN: "white",
    Anonymity.CONFIDENTIAL: "blue",
    Anonymity.ANONYMOUS: "grey",
}
REVEAL_TAGS = {
    RevealStatus.REQUESTED: "yellow",
    RevealStatus.APPROVED: "green",
    RevealStatus.REFUSED: "red",
}
REVEAL_TOPIC = "concerns.reveal"


# --- Helpers ------------------------------------------------------------------------


def concern_url(concern: Concern) -> str:
    """The concern's page in the concerns team's queue."""
    return reverse("concerns:detail", kwargs={"reference": concern.reference})


def _identity(concern: Concern) -> dict:
    """The reporter's name and contact details: what they gave, and their account's."""
    identity = {"name": "", "email": "", "phone": ""}
    if concern.reporter_identity_sealed:
        opened = crypto.open_json(concern.reporter_identity_sealed) or {}
        identity.update({k: str(opened.get(k) or "") for k in identity})
    if concern.reporter_user_id:
        user = concern.reporter_user
        identity["name"] = identity["name"] or user.full_name
        identity["email"] = identity["email"] or user.email
    identity["uses_account"] = bool(concern.reporter_user_id)
    return identity


# --- Reading inside the concerns team -----------------------------------------------


def reporter_identity_read(*, concern: Concern, actor) -> dict:
    """Who raised an open or confidential concern, for the concerns team; recorded."""
    if actor is None or not actor.has_perm("concerns.read_identity", concern):
        raise PermissionDenied("Only the concerns team can see who raised a concern.")
    if concern.anonymity == Anonymity.ANONYMOUS:
        raise ValidationError(ANONYMOUS_HAS_NO_IDENTITY)
    identity = _identity(concern)
    audit_record_view(
        actor=actor,
        subject=concern,
        fields=["reporter_identity"],
        reason="read who raised the concern, inside the concerns team",
    )
    return identity


# --- Revealing outside the team -----------------------------------------------------


def reveal_refusal(concern: Concern) -> str | None:
    """Why a reveal cannot be asked for on this concern, or None if it can."""
    if concern.anonymity == Anonymity.ANONYMOUS:
        return ANONYMOUS_CANNOT_BE_REVEALED
    if concern.anonymity == Anonymity.OPEN:
        return OPEN_NEEDS_NO_REVEAL
    return None


def reveal_request(
    *, concern: Concern, recipient: str, reason: str, reporter_consented: bool, actor
) -> IdentityReveal:
    """A caseworker asks to reveal a confidential reporter's identity to ``recipient``.
    Custodians are told there is a request to decide (never who the reporter is)."""
    if actor is None or not actor.has_perm("concerns.request_reveal", concern):
        raise PermissionDenied("Only the concerns team can ask to reveal who raised a concern.")
    refusal = reveal_refusal(concern)
    if refusal:
        raise ValidationError(refusal)
    recipient = clean_text(
        recipient,
        name="recipient",
        label="Who it would be revealed to",
        limit=MAX_RECIPIENT,
        required="Enter who their identity would be revealed to",
    )
    reason = clean_text(
        reason,
        name="reason",
        label="Why it is needed",
        limit=MAX_REASON,
        required="Enter why their identity needs to be revealed",
    )
    with transaction.atomic():
        reveal = IdentityReveal.objects.create(
            concern=concern,
            requested_by=actor,
            recipient=recipient,
            reason=reason,
            reporter_consented=bool(reporter_consented),
            requested_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="concerns.reveal.requested",
            reason="asked to reveal who raised a concern outside the concerns team",
            subject=reveal,
            payload={
                "concern": concern.reference,
                "reporter_consented": bool(reporter_consented),
            },
        )
        notify(
            users=role_holders("custodian", exclude=actor),
            subject="A request to reveal a reporter's identity needs a decision",
            body=(
                "A member of the concerns team has asked to reveal the identity of someone "
                "who raised a concern in confidence. As a custodian, approve or refuse the "
                "request, with your reasons."
            ),
            url=reverse("concerns:reveal", kwargs={"pk": reveal.pk}),
            topic=REVEAL_TOPIC,
        )
    return reveal


def reveal_decide(
    *, reveal: IdentityReveal, approve: bool, decision_reason: str, actor
) -> IdentityReveal:
    """A custodian approves or refuses a request. Never the person who asked for it."""
    if actor is None or not actor.has_perm("concerns.decide_reveal", reveal):
        raise PermissionDenied("Only a concerns custodian can decide a request to reveal.")
    if reveal.requested_by_id == actor.pk:
        raise ValidationError(
            "You asked for this identity to be revealed, so you cannot decide the request. "
            "Another custodian must approve or refuse it."
        )
    decision_reason = clean_text(
        decision_reason,
        name="decision_reason",
        label="Reasons",
        limit=MAX_REASON,
        required="Enter the reasons for your decision",
    )
    with transaction.atomic():
        locked = (
            IdentityReveal.objects.select_for_update()
            .select_related("concern", "requested_by")
            .get(pk=reveal.pk)
        )
        if locked.status != RevealStatus.REQUESTED:
            raise ValidationError(
                f"This request was already {locked.get_status_display().lower()} by another "
                "custodian. Nothing was changed."
            )
        locked.status = RevealStatus.APPROVED if approve else RevealStatus.REFUSED
        locked.decided_by = actor
        locked.decided_at = clock.now()
        locked.decision_reason = decision_reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit_record(
            actor=actor,
            action=f"concerns.reveal.{locked.status}",
            reason="decided a request to reveal who raised a concern",
            subject=locked,
            payload={"concern": locked.concern.reference, "decision": locked.status},
        )
        outcome = "approved" if approve else "refused"
        notify(
            users=[locked.requested_by],
            subject=f"Your request to reveal a reporter's identity was {outcome}",
            body=(
                f"A custodian {outcome} your request to reveal who raised concern "
                f"{locked.concern.reference}. Read their reasons on the request's page."
            ),
            url=reverse("concerns:reveal", kwargs={"pk": locked.pk}),
            topic=REVEAL_TOPIC,
        )
    return locked


def reveal_disclose(*, reveal: IdentityReveal, actor) -> dict:
    """The person who asked reads the identity to pass on, once, under an approval."""
    if (
        actor is None
        or actor.pk != reveal.requested_by_id
        or not actor.has_perm("concerns.request_reveal", reveal.concern)
    ):
        raise PermissionDenied("Only the person who asked can see the identity under a request.")
    with transaction.atomic():
        locked = (
            IdentityReveal.objects.select_for_update().select_related("concern").get(pk=reveal.pk)
        )
        if locked.status != RevealStatus.APPROVED:
            raise ValidationError(
                "A custodian has not approved this request, so the identity cannot be shown."
            )
        if locked.disclosed_at is not None:
            raise ValidationError(
                "The identity was already shown to you under this approval, and it is shown "
                "only once. If you need it again, make a new request."
            )
        locked.disclosed_at = clock.now()
        locked.save(update_fields=["disclosed_at"])
        identity = _identity(locked.concern)
        audit_record_view(
            actor=actor,
            subject=locked.concern,
            fields=["reporter_identity"],
            reason=(
                f"read under approved reveal request {locked.pk}, to reveal to {locked.recipient}"
            ),
        )
    reveal.disclosed_at = locked.disclosed_at
    return identity


# --- Reads ---------------------------------------------------------------------------


def reveal_view(reveal: IdentityReveal) -> dict:
    """A request as lists and pages show it (never the identity)."""
    return {
        "pk": reveal.pk,
        "reveal": reveal,
        "status": reveal.status,
        "status_text": reveal.get_status_display(),
        "colour": REVEAL_TAGS[reveal.status],
        "url": reverse("concerns:reveal", kwargs={"pk": reveal.pk}),
    }


def reveals_for_custodian():
    """Requests waiting for a custodian (oldest first), and decided ones (newest first)."""
    base = IdentityReveal.objects.select_related("concern", "requested_by", "decided_by")
    waiting = base.filter(status=RevealStatus.REQUESTED).order_by("requested_at", "pk")
    decided = base.exclude(status=RevealStatus.REQUESTED).order_by("-decided_at", "-pk")
    return waiting, decided


def reporter_panel(*, concern: Concern, user) -> dict:
    """What a concern's page shows about who raised it: their anonymity, the button to
    read their identity (audited), requests to reveal it and unreviewed detriment
    flags. Rendered by ``concerns/staff/_reporter.jinja``; three queries at most."""
    anonymity = concern.anonymity
    panel = {
        "anonymity": anonymity,
        "anonymity_tag": {
            "text": Anonymity(anonymity).label,
            "colour": ANONYMITY_COLOURS[Anonymity(anonymity)],
        },
        "anonymity_text": ANONYMITY_TEXT[Anonymity(anonymity)],
        "can_read_identity": anonymity != Anonymity.ANONYMOUS
        and user.has_perm("concerns.read_identity", concern),
        "identity_url": reverse("concerns:identity", kwargs={"reference": concern.reference}),
        "can_request_reveal": anonymity == Anonymity.CONFIDENTIAL
        and user.has_perm("concerns.request_reveal", concern),
        "reveal_request_url": reverse(
            "concerns:reveal_request", kwargs={"reference": concern.reference}
        ),
        "reveals": [],
        "detriment_flags": [],
    }
    if anonymity == Anonymity.CONFIDENTIAL:
        panel["reveals"] = [
            reveal_view(r)
            for r in concern.reveals.select_related("requested_by").order_by("-requested_at", "-pk")
        ]
    if user.has_perm("concerns.review_detriment", concern):
        flags = (
            DetrimentFlag.objects.filter(concern=concern, reviewed_at__isnull=True)
            .select_related("disciplinary_action", "disciplinary_action__organisation")
            .order_by("-flagged_on", "-pk")
        )
        panel["detriment_flags"] = [
            {
                "pk": flag.pk,
                "flagged_on": flag.flagged_on,
                "kind": flag.disciplinary_action.get_kind_display(),
                "organisation": flag.disciplinary_action.organisation.name,
                "url": reverse("concerns:detriment_review", kwargs={"pk": flag.pk}),
            }
            for flag in flags
        ]
    return panel
