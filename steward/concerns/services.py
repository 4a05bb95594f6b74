"""Writes for concerns: receiving one, finding it by receipt code, messages, files.

Reporter actions on an anonymous concern are not audit events (the audit trail
keeps exact times, which would date the submission); staff actions always are,
and every opening of sealed content by staff is recorded. See ADR 005.
"""

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max

from steward.audit.services import audit_record, audit_record_view
from steward.concerns import crypto, files
from steward.concerns.detriment import reporter_links_record
from steward.concerns.models import (
    Anonymity,
    Concern,
    ConcernFile,
    ConcernMessage,
    ConcernStatus,
    MessageAuthor,
)
from steward.concerns.receipts import ALPHABET, receipt_code_generate, receipt_code_hash
from steward.core import clock
from steward.core.text import clean_text

# The answers a report holds, sealed together; "what_happened" is required.
ANSWER_FIELDS = (
    "what_happened",
    "when",
    "who_was_affected",
    "patient_harm",
    "raised_locally",
    "local_outcome",
)
IDENTITY_FIELDS = ("name", "email", "phone")
PHONE_CHARACTERS = re.compile(r"[0-9 +()\-]+")
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 7, 20
MAX_TEXT = 20_000
MAX_MESSAGE = 10_000


@dataclass(frozen=True)
class Received:
    concern: Concern
    # Shown once to a confidential or anonymous reporter; never stored.
    receipt_code: str | None


def _reference() -> str:
    return "C-" + "".join(secrets.choice(ALPHABET) for _ in range(8))


def contact_errors(*, email: str, phone: str) -> dict[str, str]:
    """What is wrong with a reporter's contact details ({field: message}; empty when
    nothing is): an email address Django accepts, and a phone number of digits,
    spaces, "+", "(" ")" and "-" with 7 to 20 digits. Either may be left out."""
    errors = {}
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like name@example.com"
    if phone and not (
        PHONE_CHARACTERS.fullmatch(phone)
        and PHONE_MIN_DIGITS <= sum(c.isdigit() for c in phone) <= PHONE_MAX_DIGITS
    ):
        errors["phone"] = "Enter a phone number, like 0113 496 0000 or +44 113 496 0000"
    return errors


def deadlines(received_on: dt.date) -> tuple[dt.date, dt.date]:
    """When the regulator must acknowledge a concern, and give substantive feedback."""
    return (
        received_on + dt.timedelta(days=settings.CONCERNS_ACKNOWLEDGE_DAYS),
        received_on + relativedelta(months=settings.CONCERNS_FEEDBACK_MONTHS),
    )


def concern_submit(
    *,
    anonymity: str,
    answers: dict,
    subject_registrant=None,
    subject_description: str = "",
    organisation=None,
    reporter_identity: dict | None = None,
    reporter_user=None,
    employer_may_see: bool = False,
    is_detriment: bool = False,
    uploads=(),
) -> Received:
    """Receive a concern, with any supporting files (``uploads``: uploaded files, or
    :class:`files.CleanFile`). Confidential and anonymous reporters, and open ones
    without an account, get a receipt code, returned once and stored only as its
    hash. A file that cannot be accepted refuses the whole concern: nothing is kept."""
    if anonymity not in Anonymity.values:
        raise ValidationError({"anonymity": "Choose how you want to raise your concern"})
    cleaned = {
        name: clean_text(
            answers.get(name),
            name=name,
            limit=MAX_TEXT,
            required="Enter what happened" if name == "what_happened" else None,
        )
        for name in ANSWER_FIELDS
    }
    description = clean_text(subject_description, name="subject_description", limit=2_000)
    if subject_registrant is None and organisation is None and not description:
        raise ValidationError(
            "Say who or what the concern is about: a manager, an organisation, or both"
        )
    identity = None
    if anonymity == Anonymity.ANONYMOUS:
        reporter_user = None
    else:
        identity = {
            name: clean_text((reporter_identity or {}).get(name), name=name, limit=300)
            for name in IDENTITY_FIELDS
        }
        if not identity["name"] and reporter_user is None:
            raise ValidationError({"name": "Enter your name"})
        if not (identity["email"] or identity["phone"]) and reporter_user is None:
            raise ValidationError({"email": "Enter an email address or a phone number"})
        errors = contact_errors(email=identity["email"], phone=identity["phone"])
        if errors:
            raise ValidationError(errors)
    cleaned_files = files.files_clean(uploads)
    today = clock.today()
    acknowledge_by, feedback_by = deadlines(today)
    code = receipt_code_generate() if anonymity != Anonymity.OPEN or reporter_user is None else None
    values = {
        "anonymity": anonymity,
        "received_on": today,
        "subject_registrant": subject_registrant,
        "organisation": organisation,
        "content_sealed": crypto.seal_json(cleaned),
        "subject_description_sealed": crypto.seal_text(description) if description else None,
        "reporter_identity_sealed": crypto.seal_json(identity) if identity else None,
        "reporter_user": reporter_user if anonymity == Anonymity.OPEN else None,
        "receipt_hash": receipt_code_hash(code) if code else None,
        "employer_may_see": bool(employer_may_see),
        "is_detriment": bool(is_detriment),
        "acknowledge_by": acknowledge_by,
        "feedback_by": feedback_by,
    }
    for _ in range(5):
        try:
            with transaction.atomic():
                concern = Concern.objects.create(reference=_reference(), **values)
                reporter_links_record(
                    concern=concern, user=values["reporter_user"], identity=identity
                )
                _files_store(concern=concern, cleaned=cleaned_files, message=None)
                if anonymity != Anonymity.ANONYMOUS:
                    audit_record(
                        actor=reporter_user,
                        action="concerns.concern.received",
                        subject=concern,
                        payload={
                            "reference": concern.reference,
                            "anonymity": anonymity,
                            "files": len(cleaned_files),
                        },
                    )
            return Received(concern=concern, receipt_code=code)
        except IntegrityError:  # a reference (or, never in practice, a code) already used
            continue
    raise RuntimeError("Could not issue a unique concern reference.")


def concern_by_receipt(*, code: str) -> Concern | None:
    """The concern a receipt code opens, or None. Right, wrong and malformed codes all
    cost one hash, so a wrong code cannot be told from an unknown one."""
    return Concern.objects.filter(receipt_hash=receipt_code_hash(code or "")).first()


def _next_number(concern: Concern) -> int:
    last = ConcernMessage.objects.filter(concern=concern).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def reporter_message_add(*, concern: Concern, body: str, uploads=()) -> ConcernMessage:
    """The reporter writes to the caseworker (from their inbox), with any files. A reply
    to a question (status "awaiting the reporter") puts the concern back with the
    caseworker ("acknowledged"). Reporter actions on an anonymous concern are not
    audited (see above); on a named one they are, without the content."""
    text = clean_text(body, name="body", limit=MAX_MESSAGE, required="Enter your message")
    cleaned_files = files.files_clean(uploads)
    with transaction.atomic():
        locked = Concern.objects.select_for_update().get(pk=concern.pk)
        message = ConcernMessage.objects.create(
            concern=locked,
            number=_next_number(locked),
            author=MessageAuthor.REPORTER,
            body_sealed=crypto.seal_text(text),
            sent_on=clock.today(),
        )
        _files_store(concern=locked, cleaned=cleaned_files, message=message)
        if locked.status == ConcernStatus.AWAITING_REPORTER:
            locked.status = ConcernStatus.ACKNOWLEDGED
            locked.version += 1
            locked.save(update_fields=["status", "version"])
            concern.status, concern.version = locked.status, locked.version
        if locked.anonymity != Anonymity.ANONYMOUS:
            audit_record(
                actor=locked.reporter_user,
                action="concerns.message.received",
                subject=locked,
                payload={"message": message.number, "files": len(cleaned_files)},
            )
    return message


def caseworker_message_add(*, concern: Concern, body: str, actor) -> ConcernMessage:
    """The caseworker writes to the reporter; audited without the message's content."""
    if actor is None or not actor.has_perm("concerns.message_reporter", concern):
        raise PermissionDenied("Only the concerns team can write to the person who raised it.")
    text = clean_text(body, name="body", limit=MAX_MESSAGE, required="Enter your message")
    with transaction.atomic():
        locked = Concern.objects.select_for_update().get(pk=concern.pk)
        message = ConcernMessage.objects.create(
            concern=locked,
            number=_next_number(locked),
            author=MessageAuthor.CASEWORKER,
            author_user=actor,
            body_sealed=crypto.seal_text(text),
            sent_on=clock.today(),
        )
        audit_record(
            actor=actor,
            action="concerns.message.sent",
            subject=locked,
            payload={"message": message.number},
        )
    return message


def concern_open(*, concern: Concern, actor) -> dict:
    """The report's answers and description for a member of the concerns team; each
    opening is recorded. The reporter's identity is not part of this (it has its own,
    stricter route)."""
    if actor is None or not actor.has_perm("concerns.read_concern", concern):
        raise PermissionDenied("Only the concerns team can read a concern.")
    return report_read(concern=concern, actor=actor, reason="read the concern")


def report_read(*, concern: Concern, actor, reason: str) -> dict:
    """The report's answers and description, opened and the reading recorded with
    ``reason``. Callers check first that ``actor`` may read it."""
    audit_record_view(
        actor=actor,
        subject=concern,
        fields=["concern_content", "subject_description"],
        reason=reason,
    )
    return {
        "answers": crypto.open_json(concern.content_sealed),
        "subject_description": crypto.open_text(concern.subject_description_sealed)
        if concern.subject_description_sealed
        else "",
    }


def messages_for_reporter(*, concern: Concern) -> list[dict]:
    """Every message on the concern, oldest first, for the reporter's own inbox."""
    return [
        {
            "number": m.number,
            "author": m.author,
            "sent_on": m.sent_on,
            "body": crypto.open_text(m.body_sealed),
        }
        for m in concern.messages.order_by("number")
    ]


# --- Supporting files ---------------------------------------------------------------


def _files_store(*, concern: Concern, cleaned: list, message: ConcernMessage | None) -> list:
    """Seal and store files already checked and stripped (inside the caller's
    transaction, with the concern locked or just created)."""
    if not cleaned:
        return []
    last = ConcernFile.objects.filter(concern=concern).aggregate(last=Max("number"))["last"]
    today = clock.today()
    stored = []
    for offset, clean in enumerate(cleaned, start=1):
        stored.append(
            ConcernFile.objects.create(
                concern=concern,
                message=message,
                number=(last or 0) + offset,
                name_sealed=crypto.seal_text(clean.name),
                media_type=clean.media_type,
                size=len(clean.content),
                sha256=hashlib.sha256(clean.content).hexdigest(),
                content_sealed=crypto.seal_bytes(clean.content),
                received_on=today,
            )
        )
    return stored


def concern_file_open(*, concern_file: ConcernFile, actor) -> tuple[str, str, bytes]:
    """A supporting file for the concerns team: (original name, media type, content).
    Each opening is recorded, naming the file but never its content."""
    concern = concern_file.concern
    if actor is None or not actor.has_perm("concerns.read_files", concern):
        raise PermissionDenied("Only the concerns team can open the files sent with a concern.")
    audit_record_view(
        actor=actor,
        subject=concern,
        fields=[f"file_{concern_file.number}_name", f"file_{concern_file.number}_content"],
        reason="opened a supporting file",
    )
    return (
        crypto.open_text(concern_file.name_sealed),
        concern_file.media_type,
        crypto.open_bytes(concern_file.content_sealed),
    )


def files_for_reporter(*, concern: Concern) -> list[dict]:
    """The files the reporter sent, by name, for their own inbox (no content)."""
    return [
        {
            "number": f.number,
            "name": crypto.open_text(f.name_sealed),
            "type_name": files.TYPE_NAMES.get(f.media_type, f.media_type),
            "size": f.size,
            "received_on": f.received_on,
            "message_number": f.message.number if f.message_id else None,
        }
        for f in concern.files.select_related("message").order_by("number")
    ]
