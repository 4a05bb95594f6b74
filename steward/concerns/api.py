"""Raising a concern and the reporter's inbox, without signing in.

The inbox is reached with the receipt code in the ``X-Receipt-Code`` header (never
in the address, which proxies log). An unknown code and a wrong one get the same
404. Submissions and wrong codes are limited per client and overall, per day.

Supporting files are not sent through the API: they are added on the pages, when
raising a concern (``/concerns/new/``) or from the inbox (``/concerns/inbox/``),
where their type is checked and their metadata removed before they are stored.
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status

from steward.concerns import presenters, ratelimit, services
from steward.core.api_schemas import ErrorOut, ProblemOut, problem
from steward.organisations.models import Organisation
from steward.register.selectors import registrant_resolve

router = Router(tags=["concerns"])

NOT_FOUND = "No concern matches that receipt code. Check the code and try again."
NO_CODE = "Send your receipt code in the X-Receipt-Code header."
TOO_MANY = "Too many attempts from here today. Try again tomorrow."


class ReporterIn(Schema):
    name: str = Field("", max_length=300)
    email: str = Field("", max_length=300)
    phone: str = Field("", max_length=300)


class ConcernIn(Schema):
    anonymity: Literal["open", "confidential", "anonymous"]
    what_happened: str = Field(..., max_length=20_000)
    when: str = Field("", max_length=20_000)
    who_was_affected: str = Field("", max_length=20_000)
    patient_harm: str = Field("", max_length=20_000)
    raised_locally: str = Field("", max_length=20_000)
    local_outcome: str = Field("", max_length=20_000)
    registration_number: str = Field("", max_length=20, description="The manager, if known")
    subject_description: str = Field("", max_length=2_000, description="Who, if not known")
    organisation_ods_code: str = Field("", max_length=10)
    reporter: ReporterIn | None = None
    employer_may_see: bool = False
    is_detriment: bool = Field(
        False, description="The concern is about someone being treated badly for speaking up"
    )


class ConcernCreatedOut(Schema):
    reference: str
    receipt_code: str | None = Field(
        None, description="Shown once: keep it to read replies. Steward cannot show it again."
    )


class MessageOut(Schema):
    number: int
    author: Literal["reporter", "caseworker"]
    sent_on: dt.date
    body: str


class FileOut(Schema):
    number: int
    name: str
    media_type_name: str
    received_on: dt.date


class InboxOut(Schema):
    reference: str
    status: str
    status_label: str
    received_on: dt.date
    messages: list[MessageOut]
    files: list[FileOut] = Field(
        [], description="The files you sent (names only). Add files on the inbox page."
    )


class ReporterMessageIn(Schema):
    body: str = Field(..., max_length=10_000)


@router.post(
    "/concerns",
    response={201: ConcernCreatedOut, 400: ErrorOut, 422: ProblemOut, 429: ErrorOut},
    auth=None,
    url_name="concern_create",
    summary="Raise a concern (no sign-in needed)",
)
def concern_create(request, payload: ConcernIn):
    """Raise a concern about a manager (by registration number, or described) and/or an
    NHS organisation: openly, confidentially or anonymously. Confidential and
    anonymous reporters get a receipt code for their inbox, shown only here.

    Supporting files cannot be sent through the API: add them with the receipt code
    on the inbox page, /concerns/inbox/ (PDF, JPEG, PNG, DOCX, XLSX, PPTX or plain
    text; their metadata is removed before they are stored)."""
    if ratelimit.exceeded(request, ratelimit.SUBMISSIONS):
        return Status(429, {"detail": TOO_MANY})
    registrant = None
    if payload.registration_number.strip():
        registrant = registrant_resolve(registration_number=payload.registration_number)
        if registrant is None:
            return Status(
                422,
                {
                    "detail": "No one on the register has that registration number: check "
                    "it, or describe the manager instead.",
                    "errors": [{"field": "registration_number", "message": "Not on the register"}],
                },
            )
    organisation = None
    if payload.organisation_ods_code.strip():
        code = payload.organisation_ods_code.strip().upper()
        organisation = (
            Organisation.objects.filter(ods_code=code).first() if code.isalnum() else None
        )
        if organisation is None:
            return Status(
                422,
                {
                    "detail": "No NHS organisation has that ODS code.",
                    "errors": [{"field": "organisation_ods_code", "message": "Unknown ODS code"}],
                },
            )
    try:
        received = services.concern_submit(
            anonymity=payload.anonymity,
            answers=payload.dict(include=set(services.ANSWER_FIELDS)),
            subject_registrant=registrant,
            subject_description=payload.subject_description,
            organisation=organisation,
            reporter_identity=payload.reporter.dict() if payload.reporter else None,
            employer_may_see=payload.employer_may_see,
            is_detriment=payload.is_detriment,
        )
    except ValidationError as error:
        return Status(422, problem(error, "The concern could not be received."))
    ratelimit.spend(request, ratelimit.SUBMISSIONS)
    return Status(
        201, {"reference": received.concern.reference, "receipt_code": received.receipt_code}
    )


def _concern_for_code(request):
    """The concern the ``X-Receipt-Code`` header opens, or the refusal to answer with
    (400 without a code, 429 over today's limit, 404 for a wrong or unknown code,
    which counts against the limit)."""
    if not request.headers.get("X-Receipt-Code", "").strip():
        return Status(400, {"detail": NO_CODE})
    if ratelimit.exceeded(request, ratelimit.CODE_FAILURES):
        return Status(429, {"detail": TOO_MANY})
    concern = services.concern_by_receipt(code=request.headers["X-Receipt-Code"])
    if concern is None:
        ratelimit.spend(request, ratelimit.CODE_FAILURES)
        return Status(404, {"detail": NOT_FOUND})
    return concern


RECEIPT_HEADER = {
    "parameters": [
        {
            "in": "header",
            "name": "X-Receipt-Code",
            "required": True,
            "schema": {"type": "string"},
            "description": "The receipt code given when the concern was raised.",
        }
    ]
}


@router.get(
    "/concerns/inbox",
    response={200: InboxOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    auth=None,
    url_name="concern_inbox",
    summary="Read your concern's status and messages",
    openapi_extra=RECEIPT_HEADER,
)
def concern_inbox(request):
    concern = _concern_for_code(request)
    if isinstance(concern, Status):
        return concern
    return Status(
        200,
        {
            "reference": concern.reference,
            "status": concern.status,
            "status_label": presenters.reporter_status_tag(concern.status)["text"],
            "received_on": concern.received_on,
            "messages": services.messages_for_reporter(concern=concern),
            "files": [
                {
                    "number": f["number"],
                    "name": f["name"],
                    "media_type_name": f["type_name"],
                    "received_on": f["received_on"],
                }
                for f in services.files_for_reporter(concern=concern)
            ],
        },
    )


@router.post(
    "/concerns/inbox/messages",
    response={201: MessageOut, 400: ErrorOut, 404: ErrorOut, 422: ProblemOut, 429: ErrorOut},
    auth=None,
    url_name="concern_inbox_message",
    summary="Send a message or more information to the caseworker",
    openapi_extra=RECEIPT_HEADER,
)
def concern_inbox_message(request, payload: ReporterMessageIn):
    """Write to the caseworker. A reply to their question puts the concern back with
    them. Files are added on the inbox page, not here."""
    concern = _concern_for_code(request)
    if isinstance(concern, Status):
        return concern
    try:
        message = services.reporter_message_add(concern=concern, body=payload.body)
    except ValidationError as error:
        return Status(422, problem(error, "The message could not be sent."))
    return Status(
        201,
        {
            "number": message.number,
            "author": message.author,
            "sent_on": message.sent_on,
            "body": payload.body.strip(),
        },
    )
