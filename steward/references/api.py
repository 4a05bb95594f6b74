"""Appointments, vetting and references through the API, for employers' systems.

The same services as the pages: an appointment is vetted as soon as it is
proposed; a start is refused (409, with the reasons) while references are
outstanding unless the chair sends a reason to proceed.
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Router, Schema, Status

from steward.accounts.api_auth import bearer_or_session, request_user
from steward.core.api_schemas import AUTH_ERRORS, ErrorOut, ProblemOut, problem
from steward.organisations.models import Organisation
from steward.references import selectors, services
from steward.references.models import (
    Appointment,
    BoardMemberReference,
    ReferenceRequest,
)
from steward.references.questions import QUESTIONS, STEMS
from steward.references.vetting import (
    CoverageRow,
    Vetting,
    appointment_review,
    appointment_vet,
)
from steward.register.models import RoleCategory

router = Router(tags=["Appointments and references"])

YesOrNo = Literal["yes", "no"]


class FindingOut(Schema):
    code: str = Field(description="A stable code, such as registrant_barred or employment_gap.")
    message: str = Field(description="What was found, in plain English.")


class VettingOut(Schema):
    blocking: list[FindingOut] = Field(description="Findings that stop the appointment.")
    warnings: list[FindingOut] = Field(description="Findings the employer must act on or know.")
    support_plan: list[str] = Field(
        description="A recommended support and mentoring plan; empty when none is recommended."
    )


class AppointmentCreatedOut(Schema):
    id: int
    vetting: VettingOut


class CoverageOut(Schema):
    organisation: str = Field(description="ODS code of the organisation asked.")
    organisation_name: str
    formerly: list[str] = Field(
        description="ODS codes of closed employers this organisation is asked for in their place."
    )
    period_start: dt.date | None
    period_end: dt.date | None = Field(description="Null while a role there continues.")
    state: str = Field(description="not_requested, requested, completed or withdrawn.")
    request_id: int | None
    due_by: dt.date | None


class OverrideOut(Schema):
    reason: str
    recorded_by: str
    recorded_at: dt.datetime


class AppointmentOut(Schema):
    id: int
    organisation: str = Field(description="ODS code of the appointing organisation.")
    registration_number: str
    role_title: str
    role_category: str
    proposed_start_date: dt.date
    status: str = Field(description="proposed, started or withdrawn.")
    start_date: dt.date | None
    support_plan_recommended: bool
    override: OverrideOut | None = Field(
        description="The chair's reason to proceed before every reference was received."
    )
    vetting: VettingOut
    references: list[CoverageOut]


class AppointmentIn(Schema):
    registration_number: str = Field(max_length=20, description="Like M1234567.")
    role_title: str = Field(max_length=200)
    role_category: RoleCategory
    proposed_start_date: dt.date


class StartIn(Schema):
    start_date: dt.date
    override_reason: str = Field(
        "",
        max_length=2000,
        description="The chair's reason to proceed while references are outstanding.",
    )


class ReasonsOut(Schema):
    detail: str
    reasons: list[FindingOut]


class ReferenceRequestOut(Schema):
    id: int
    kind: str = Field(description="appointment or leaving.")
    status: str = Field(description="requested, completed or withdrawn.")
    registration_number: str
    person: str = Field(description="The person's legal name.")
    referee_organisation: str = Field(description="ODS code of the organisation asked.")
    requested_by_organisation: str | None = Field(
        description="ODS code of the organisation that asked; null for a leaving reference."
    )
    appointment_id: int | None
    role_title: str | None = Field(description="The role the reference is for, or that ended.")
    period_start: dt.date | None
    period_end: dt.date | None
    requested_at: dt.datetime
    due_by: dt.date | None


class ReferenceIn(Schema):
    roles_and_dates: str = Field(max_length=5000, description="Roles held, with dates.")
    disciplinary_findings: YesOrNo = Field(description=QUESTIONS["disciplinary_findings"])
    disciplinary_findings_details: str = Field("", max_length=5000)
    investigations: YesOrNo = Field(description=QUESTIONS["investigations"])
    investigations_details: str = Field("", max_length=5000)
    upheld_concerns: YesOrNo = Field(description=QUESTIONS["upheld_concerns"])
    upheld_concerns_details: str = Field("", max_length=5000)
    fitness_outcomes: YesOrNo = Field(description=QUESTIONS["fitness_outcomes"])
    fitness_outcomes_details: str = Field("", max_length=5000)
    settlement_agreements: YesOrNo = Field(description=QUESTIONS["settlement_agreements"])
    settlement_agreements_details: str = Field("", max_length=5000)
    referee_name: str = Field(max_length=200)
    referee_job_title: str = Field(max_length=200)
    on_behalf_of_referee: bool = Field(
        False, description="The HR lead completes it on the named referee's behalf."
    )


class ReferenceOut(Schema):
    id: int
    request_id: int | None
    registration_number: str
    referee_organisation: str
    supersedes: int | None = Field(description="The reference this one updates, if any.")
    roles_and_dates: str
    disciplinary_findings: YesOrNo
    disciplinary_findings_details: str
    investigations: YesOrNo
    investigations_details: str
    upheld_concerns: YesOrNo
    upheld_concerns_details: str
    fitness_outcomes: YesOrNo
    fitness_outcomes_details: str
    settlement_agreements: YesOrNo
    settlement_agreements_details: str
    referee_name: str
    referee_job_title: str
    on_behalf_of_referee: bool
    completed_at: dt.datetime
    retain_until: dt.date | None


def _vetting_out(vetting: Vetting) -> dict:
    return {
        "blocking": [{"code": f.code, "message": f.message} for f in vetting.blocking],
        "warnings": [{"code": f.code, "message": f.message} for f in vetting.warnings],
        "support_plan": list(vetting.support_plan),
    }


def _organisation(ods_code: str) -> Organisation | None:
    return Organisation.objects.filter(ods_code=(ods_code or "").strip().upper()[:10]).first()


def _appointment_out(appointment: Appointment) -> dict:
    review = appointment_review(appointment=appointment)
    override = None
    if appointment.override_reason:
        override = {
            "reason": appointment.override_reason,
            "recorded_by": appointment.override_by_label,
            "recorded_at": appointment.override_at,
        }
    return {
        "id": appointment.pk,
        "organisation": appointment.organisation.ods_code,
        "registration_number": appointment.registrant.registration_number,
        "role_title": appointment.role_title,
        "role_category": appointment.role_category,
        "proposed_start_date": appointment.proposed_start_date,
        "status": appointment.status,
        "start_date": appointment.start_date,
        "support_plan_recommended": appointment.support_plan_recommended,
        "override": override,
        "vetting": _vetting_out(review.vetting),
        "references": [_coverage_out(row) for row in review.coverage],
    }


def _coverage_out(row: CoverageRow) -> dict:
    """An employer to ask and its request (or a request to an organisation no longer
    among the employers, which has no employer)."""
    employer, request = row.employer, row.request
    organisation = employer.organisation if employer else request.referee_organisation
    return {
        "organisation": organisation.ods_code,
        "organisation_name": organisation.name,
        "formerly": [o.ods_code for o in employer.formerly] if employer else [],
        "period_start": employer.period_start if employer else None,
        "period_end": employer.period_end if employer else None,
        "state": row.state,
        "request_id": request.pk if request else None,
        "due_by": request.due_by if request else None,
    }


def _request_out(request: ReferenceRequest) -> dict:
    appointment = request.appointment
    role = request.career_role
    return {
        "id": request.pk,
        "kind": request.kind,
        "status": request.status,
        "registration_number": request.registrant.registration_number,
        "person": request.registrant.legal_name,
        "referee_organisation": request.referee_organisation.ods_code,
        "requested_by_organisation": appointment.organisation.ods_code if appointment else None,
        "appointment_id": request.appointment_id,
        "role_title": appointment.role_title if appointment else (role.title if role else None),
        "period_start": request.period_start,
        "period_end": request.period_end,
        "requested_at": request.requested_at,
        "due_by": request.due_by,
    }


def _reference_out(reference: BoardMemberReference) -> dict:
    out = {
        "id": reference.pk,
        "request_id": reference.request_id,
        "registration_number": reference.registrant.registration_number,
        "referee_organisation": reference.referee_organisation.ods_code,
        "supersedes": reference.supersedes_id,
        "roles_and_dates": reference.roles_and_dates,
        "referee_name": reference.referee_name,
        "referee_job_title": reference.referee_job_title,
        "on_behalf_of_referee": reference.on_behalf_of_referee,
        "completed_at": reference.completed_at,
        "retain_until": reference.retain_until,
    }
    for stem in STEMS:
        out[stem] = getattr(reference, stem)
        out[f"{stem}_details"] = getattr(reference, f"{stem}_details")
    return out


@router.post(
    "/organisations/{ods_code}/appointments",
    response={201: AppointmentCreatedOut, 404: ErrorOut, 422: ProblemOut, **AUTH_ERRORS},
    auth=bearer_or_session,
    url_name="appointments_create",
    summary="Propose an appointment and get its vetting",
)
def appointment_create(request, ods_code: str, payload: AppointmentIn):
    """Propose someone on the register for a role at your organisation (you must be its
    chair, chief executive or HR lead). Answers 201 with the appointment's `id` and
    its `vetting`: `blocking` findings stop the appointment (a barred person);
    `warnings` say what to act on (conditions, suspension, employment gaps over three
    months, references to request, a first board role in a high-risk organisation).
    An unknown registration number is refused with 422."""
    user = request_user(request)
    organisation = _organisation(ods_code)
    if organisation is None:
        return Status(404, {"detail": "No organisation has that ODS code."})
    if not user.has_perm("references.manage_appointments", organisation):
        return Status(
            403,
            {
                "detail": "Only the chair, chief executive or HR lead of "
                f"{organisation.name} can propose its appointments."
            },
        )
    try:
        appointment = services.appointment_propose(
            organisation=organisation,
            registration_number=payload.registration_number,
            role_title=payload.role_title,
            role_category=payload.role_category,
            proposed_start_date=payload.proposed_start_date,
            actor=user,
        )
    except ValidationError as error:
        return Status(422, problem(error, "The appointment could not be proposed."))
    except PermissionDenied as error:
        return Status(403, {"detail": str(error)})
    review = appointment_review(appointment=appointment)
    return Status(201, {"id": appointment.pk, "vetting": _vetting_out(review.vetting)})


def _visible_appointment(request, appointment_id: int):
    """(appointment, None) or (None, error response)."""
    try:
        appointment = selectors.appointment_get(pk=appointment_id)
    except Appointment.DoesNotExist:
        return None, Status(404, {"detail": "No appointment has that number."})
    if not request_user(request).has_perm("references.view_appointment", appointment):
        return None, Status(
            403, {"detail": "Only the appointing organisation can see this appointment."}
        )
    return appointment, None


@router.get(
    "/appointments/{appointment_id}",
    response={200: AppointmentOut, 404: ErrorOut, **AUTH_ERRORS},
    auth=bearer_or_session,
    url_name="appointments_detail",
    summary="An appointment, its vetting and its references",
)
def appointment_detail(request, appointment_id: int):
    appointment, error = _visible_appointment(request, appointment_id)
    if error:
        return error
    return Status(200, _appointment_out(appointment))


@router.post(
    "/appointments/{appointment_id}/start",
    response={
        200: AppointmentOut,
        404: ErrorOut,
        409: ReasonsOut,
        422: ProblemOut,
        **AUTH_ERRORS,
    },
    auth=bearer_or_session,
    url_name="appointments_start",
    summary="Record that the appointee starts",
)
def appointment_start(request, appointment_id: int, payload: StartIn):
    """Record the start date. Answers 409 with the `reasons` when the appointment is
    blocked (a barred person: never overridden) or references are outstanding and no
    `override_reason` is given. Only the chair may send an `override_reason`
    (anyone else: 403); it is recorded in the audit trail and shown to the regional
    director."""
    appointment, error = _visible_appointment(request, appointment_id)
    if error:
        return error
    try:
        appointment = services.appointment_start(
            appointment=appointment,
            start_date=payload.start_date,
            override_reason=payload.override_reason,
            actor=request_user(request),
        )
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            codes = {e.code for errors in exc.error_dict.values() for e in errors}
            if "chair_only" in codes:
                return Status(403, {"detail": services.OVERRIDE_CHAIR_ONLY + "."})
            return Status(422, problem(exc, "The start could not be recorded."))
        codes = [e.code for e in exc.error_list]
        if "blocked" in codes or "references_outstanding" in codes:
            vetting = appointment_vet(appointment=appointment)
            blocked = "blocked" in codes
            findings = vetting.blocking if blocked else vetting.reference_findings
            return Status(
                409,
                {
                    "detail": "This appointment is blocked and can never start: see the reasons."
                    if blocked
                    else "The start cannot be recorded while references are outstanding, "
                    "unless the chair gives a reason to proceed.",
                    "reasons": [{"code": f.code, "message": f.message} for f in findings],
                },
            )
        return Status(
            409,
            {"detail": " ".join(exc.messages), "reasons": []},
        )
    return Status(200, _appointment_out(appointment))


@router.post(
    "/appointments/{appointment_id}/reference-requests",
    response={
        201: list[ReferenceRequestOut],
        404: ErrorOut,
        409: ErrorOut,
        **AUTH_ERRORS,
    },
    auth=bearer_or_session,
    url_name="appointments_reference_requests",
    summary="Request references from every employer of the past six years",
)
def reference_requests_create(request, appointment_id: int):
    """Ask each employer of the past six years that has not been asked yet (the
    organisation that holds a closed employer's records is asked in its place).
    Answers 201 with the requests made now (none when everyone was already asked)."""
    appointment, error = _visible_appointment(request, appointment_id)
    if error:
        return error
    try:
        created = services.reference_requests_create(
            appointment=appointment, actor=request_user(request)
        )
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    for item in created:
        item.appointment = appointment
    return Status(201, [_request_out(item) for item in created])


@router.get(
    "/organisations/{ods_code}/reference-requests",
    response={200: list[ReferenceRequestOut], 404: ErrorOut, **AUTH_ERRORS},
    auth=bearer_or_session,
    url_name="reference_requests_owed",
    summary="References your organisation still has to give",
)
def reference_requests_owed(request, ods_code: str):
    """Requests waiting for a reference from the organisation, the earliest due first:
    for proposed appointments elsewhere, and for board members who have left."""
    organisation = _organisation(ods_code)
    if organisation is None:
        return Status(404, {"detail": "No organisation has that ODS code."})
    if not request_user(request).has_perm("references.give_references", organisation):
        return Status(
            403,
            {
                "detail": "Only the chair, chief executive or HR lead of "
                f"{organisation.name} can see the references it owes."
            },
        )
    owed = selectors.requests_owed(
        organisation=organisation, viewer=request_user(request)
    ).select_related("referee_organisation")[:500]
    return Status(200, [_request_out(item) for item in owed])


@router.post(
    "/reference-requests/{request_id}/reference",
    response={
        201: ReferenceOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ProblemOut,
        **AUTH_ERRORS,
    },
    auth=bearer_or_session,
    url_name="reference_requests_complete",
    summary="Give the reference a request asks for",
)
def reference_create(request, request_id: int, payload: ReferenceIn):
    """Answer every question `yes` or `no` (an explicit `no` where nothing applies);
    each `yes` needs its `_details`. `roles_and_dates`, `referee_name` and
    `referee_job_title` are required. Only the HR lead may set `on_behalf_of_referee`.
    A missing answer is refused with 422; a request already answered with 409."""
    try:
        reference_request = selectors.request_get(pk=request_id)
    except ReferenceRequest.DoesNotExist:
        return Status(404, {"detail": "No reference request has that number."})
    user = request_user(request)
    if not user.has_perm("references.complete_request", reference_request):
        return Status(
            403,
            {
                "detail": "Only the chair, chief executive or HR lead of the organisation "
                "asked can give this reference."
            },
        )
    data = payload.dict()
    try:
        reference = services.reference_complete(
            request=reference_request,
            answers=data,
            referee_name=data["referee_name"],
            referee_job_title=data["referee_job_title"],
            on_behalf_of_referee=data["on_behalf_of_referee"],
            actor=user,
        )
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        codes = {getattr(e, "code", None) for e in getattr(exc, "error_list", [])}
        if codes & {"completed", "withdrawn"}:
            return Status(409, {"detail": " ".join(exc.messages)})
        return Status(422, problem(exc, "The reference could not be saved."))
    return Status(201, _reference_out(reference))
