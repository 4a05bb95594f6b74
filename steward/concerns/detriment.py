"""Detriment: spotting disciplinary action against someone who raised a concern.

A known reporter (open or confidential; never anonymous) leaves keyed hashes of
their registrant record and email address (``ReporterLink``), under a key derived
from the concerns key. When an employer records disciplinary action against a
registrant, the same hashes are computed for that registrant; a match flags the
concern to the concerns team (``DetrimentFlag``). The employer is never told.
"""

import hashlib
import hmac

from django.db import transaction

from steward.concerns.crypto import _private_key_bytes
from steward.concerns.models import Concern, DetrimentFlag, ReporterLink


def _link_secret() -> bytes:
    return hmac.new(
        _private_key_bytes(), b"steward/concerns/reporter-link/v1", hashlib.sha256
    ).digest()


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
    Called by the register when an employer records disciplinary action."""
    concerns = concerns_raised_by(action.registrant)
    flags = []
    with transaction.atomic():
        for concern in concerns:
            flag, _ = DetrimentFlag.objects.get_or_create(
                concern=concern, disciplinary_action=action
            )
            flags.append(flag)
    return flags
