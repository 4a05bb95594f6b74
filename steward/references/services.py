"""Every write about appointments and references.

Each service checks who is acting, validates, changes state and records an
audit event (``references.*``) in one transaction. Notifications say what
happened and where to look; they never carry the answers of a reference.
"""

import datetime as dt
from collections.abc import Mapping

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse

from steward.accounts.selectors import role_holders
from steward.audit.services import audit_record
from steward.core import clock
from steward.core.actors import actor_label, actor_user
from steward.core.formatting import uk_date
from steward.references import questions
from steward.references.models import (
    Appointment,
    AppointmentStatus,
    BoardMemberReference,
    ReferenceRequest,
    RequestKind,
    RequestStatus,
    YesNo,
)
from steward.references.rules import REFERENCE_ROLES, holds_role_at, reference_organisations
from steward.register.models import BOARD_CATEGORIES, PRACTISING_STATUSES, RoleCategory
from steward.register.numbers import clean_registration_number, registration_number_problem

REQUEST_DUE_DAYS = 14
UPDATE_WINDOW_YEARS = 6
RETAIN_UNTIL_AGE = 75
# How far from today an appointment's dates may be.
EARLIEST_YEARS_BACK = 1
LATEST_YEARS_AHEAD = 2
OVERRIDE_CHAIR_ONLY = "Only the chair can record a reason to proceed"
MAX_REASON = 2000


NOT_ABOUT_YOURSELF = "Nobody can give or change a reference about themselves."


def _refuse_own_reference(actor, registrant) -> None:
    user = actor_user(actor)
    if user is not None and registrant.user_id is not None and registrant.user_id == user.pk:
        raise PermissionDenied(NOT_ABOUT_YOURSELF)


def _require_employer(actor, organisation, doing: str) -> None:
    """People act only at organisations where they are chair, chief executive or HR
    lead; Steward's own jobs (a system actor's name) are trusted."""
    user = actor_user(actor)
    if user is None:
        if isinstance(actor, str) and actor.strip():
            return
        raise PermissionDenied(f"Only a person can {doing}.")
    if organisation.pk not in reference_organisations(user):
        raise PermissionDenied(
            f"Only the chair, chief executive or HR lead of {organisation.name} can {doing}."
        )


def employer_users(organisation) -> list:
    """The people holding a chair, chief executive or HR lead role at the organisation now."""
    return role_holders(REFERENCE_ROLES, organisation=organisation)


def _date_in_range(value: dt.date | None, *, field: str, name: str) -> None:
    if value is None:
        raise ValidationError({field: f"Enter the {name.lower()}."})
    today = clock.today()
    earliest = today - relativedelta(years=EARLIEST_YEARS_BACK)
    latest = today + relativedelta(years=LATEST_YEARS_AHEAD)
    if value < earliest:
        raise ValidationError({field: f"{name} must be on or after {uk_date(earliest)}."})
    if value > latest:
        raise ValidationError({field: f"{name} must be on or before {uk_date(latest)}."})


def retain_until_for(registrant) -> dt.date | None:
    """The person's 75th birthday (29 February birthdays: 28 February); None if unknown."""
    if registrant.date_of_birth is None:
        return None
    return registrant.date_of_birth + relativedelta(years=RETAIN_UNTIL_AGE)


# --- Appointments -----------------------------------------------------------------


def appointment_propose(
    *,
    organisation,
    registration_number: str,
    role_title: str,
    role_category: str,
    proposed_start_date: dt.date | None,
    actor,
) -> Appointment:
    """An employer proposes someone on the register for a role; vetting follows live."""
    from steward.references.vetting import appointment_vet
    from steward.register.selectors import registrant_resolve

    _require_employer(actor, organisation, "propose appointments")
    errors = {}
    number = clean_registration_number(registration_number or "")
    registrant = None
    problem = registration_number_problem(number)
    if problem:
        errors["registration_number"] = problem
    else:
        registrant = registrant_resolve(registration_number=number)
        if registrant is None:
            errors["registration_number"] = (
                f"No one on the register has the registration number {number}. Check the "
                "number with the person you want to appoint."
            )
    role_title = (role_title or "").strip()
    if not role_title:
        errors["role_title"] = "Enter the job title of the role."
    elif len(role_title) > 200:
        errors["role_title"] = "Job title must be 200 characters or fewer."
    if role_category not in RoleCategory.values:
        errors["role_category"] = "Select the type of role."
    try:
        _date_in_range(proposed_start_date, field="proposed_start_date", name="Proposed start date")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        already = Appointment.objects.filter(
            organisation=organisation, registrant=registrant, status=AppointmentStatus.PROPOSED
        ).first()
        if already is not None:
            raise _already_proposed(registrant, organisation, already.role_title)
        try:
            # A savepoint: two people proposing at once meet the unique constraint.
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    organisation=organisation,
                    registrant=registrant,
                    role_title=role_title,
                    role_category=role_category,
                    proposed_start_date=proposed_start_date,
                    proposed_by=actor_user(actor),
                    proposed_by_label=actor_label(actor),
                )
        except IntegrityError as exc:
            raise _already_proposed(registrant, organisation, "another role") from exc
        appointment.registrant = registrant
        appointment.organisation = organisation
        vetting = appointment_vet(appointment=appointment)
        if vetting.support_plan:
            appointment.support_plan_recommended = True
            appointment.save(update_fields=["support_plan_recommended"])
        audit_record(
            actor=actor,
            action="references.appointment.proposed",
            reason=f"Appointment proposed as {role_title}",
            subject=appointment,
            payload={
                "organisation": organisation.ods_code,
                "registration_number": registrant.registration_number,
                "role_category": role_category,
                "proposed_start_date": proposed_start_date,
                "blocking": sorted(f.code for f in vetting.blocking),
                "warnings": sorted({f.code for f in vetting.warnings}),
                "support_plan_recommended": appointment.support_plan_recommended,
            },
        )
    return appointment


def _already_proposed(registrant, organisation, role_title: str) -> ValidationError:
    return ValidationError(
        {
            "registration_number": (
                f"{registrant.display_name} already has a proposed appointment at "
                f"{organisation.name}, as {role_title}. Open it from the list of "
                "appointments, or withdraw it first."
            )
        }
    )


def reference_requests_create(*, appointment: Appointment, actor) -> list[ReferenceRequest]:
    """Ask every employer of the past six years that has not been asked yet.

    Idempotent: an employer already asked (and not withdrawn) is not asked again.
    Each referee organisation's chair, chief executive and HR lead are told.
    """
    from steward.notifications.services import notify
    from steward.references.vetting import appointment_review

    _require_employer(actor, appointment.organisation, "request references")
    if appointment.status != AppointmentStatus.PROPOSED:
        raise ValidationError(
            "References can only be requested for a proposed appointment: this one has "
            f"{'started' if appointment.status == AppointmentStatus.STARTED else 'been withdrawn'}."
        )
    created = []
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        locked.registrant = appointment.registrant
        locked.organisation = appointment.organisation
        review = appointment_review(appointment=locked)
        due_by = clock.today() + dt.timedelta(days=REQUEST_DUE_DAYS)
        for row in review.to_request:
            ask = row.employer
            request = ReferenceRequest.objects.create(
                kind=RequestKind.APPOINTMENT,
                registrant=appointment.registrant,
                referee_organisation=ask.organisation,
                appointment=locked,
                period_start=ask.period_start,
                period_end=ask.period_end,
                requested_by=actor_user(actor),
                requested_by_label=actor_label(actor),
                due_by=due_by,
            )
            created.append(request)
            audit_record(
                actor=actor,
                action="references.request.created",
                reason=f"Reference requested for appointment {appointment.pk}",
                subject=request,
                payload={
                    "appointment": appointment.pk,
                    "referee_organisation": ask.organisation.ods_code,
                    "formerly": [org.ods_code for org in ask.formerly],
                    "due_by": due_by,
                },
            )
            notify(
                users=employer_users(ask.organisation),
                subject=f"Board member reference requested by {appointment.organisation.name}",
                body=(
                    f"{appointment.organisation.name} has asked {ask.organisation.name} for a "
                    "board member reference about someone who worked for you. Please give it "
                    f"by {uk_date(due_by)}."
                ),
                url=reverse("references:requests"),
                topic="references.request",
            )
    return created


def appointment_start(
    *, appointment: Appointment, start_date: dt.date | None, override_reason: str = "", actor
) -> Appointment:
    """Record that the appointee starts: refused for a blocked appointment, and while
    references are outstanding unless the chair records a reason to proceed."""
    from steward.fitness.services import assessment_open_for_appointment
    from steward.references.vetting import REFERENCE_CODES, appointment_vet
    from steward.register.services import career_role_add

    _require_employer(actor, appointment.organisation, "record a start date")
    override_reason = (override_reason or "").strip()
    _date_in_range(start_date, field="start_date", name="Start date")
    if len(override_reason) > MAX_REASON:
        raise ValidationError(
            {"override_reason": f"The reason must be {MAX_REASON:,} characters or fewer."}
        )
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("organisation", "registrant")
            .get(pk=appointment.pk)
        )
        if locked.status != AppointmentStatus.PROPOSED:
            raise ValidationError(
                f"This appointment has already {locked.get_status_display().lower()}.",
                code="not_proposed",
            )
        vetting = appointment_vet(appointment=locked)
        if vetting.blocking:
            raise ValidationError(
                [ValidationError(f.message, code="blocked") for f in vetting.blocking]
            )
        registrant = locked.registrant
        if registrant.status not in PRACTISING_STATUSES:
            raise ValidationError(
                f"{registrant.display_name} is {registrant.get_status_display().lower()} on "
                "the register, so cannot take up the role: record the start once they may "
                "practise again.",
                code="not_practising",
            )
        if override_reason and not (
            actor_user(actor) is not None and holds_role_at(actor, "chair", locked.organisation_id)
        ):
            raise ValidationError(
                {"override_reason": ValidationError(OVERRIDE_CHAIR_ONLY, code="chair_only")}
            )
        missing = [f for f in vetting.warnings if f.code in REFERENCE_CODES]
        if missing and not override_reason:
            raise ValidationError(
                [ValidationError(f.message, code="references_outstanding") for f in missing]
            )
        # A reason given when every reference is in changes nothing and is not kept.
        override = bool(missing)
        role = career_role_add(
            registrant=locked.registrant,
            organisation=locked.organisation,
            title=locked.role_title,
            category=locked.role_category,
            start_date=start_date,
            actor=actor,
            reason=f"Appointment {locked.pk} started: {locked.role_title}",
        )
        now = clock.now()
        locked.status = AppointmentStatus.STARTED
        locked.start_date = start_date
        locked.career_role = role
        locked.support_plan_recommended = bool(vetting.support_plan)
        if override:
            locked.override_reason = override_reason
            locked.override_at = now
            locked.override_by = actor_user(actor)
            locked.override_by_label = actor_label(actor)
        locked.version = F("version") + 1
        locked.save()
        locked.refresh_from_db()
        if override:
            audit_record(
                actor=actor,
                action="references.appointment.override_recorded",
                reason=override_reason,
                subject=locked,
                payload={
                    "organisation": locked.organisation.ods_code,
                    "outstanding": sorted(f.code for f in missing),
                },
            )
        audit_record(
            actor=actor,
            action="references.appointment.started",
            reason=f"Start recorded for {locked.role_title}",
            subject=locked,
            payload={
                "organisation": locked.organisation.ods_code,
                "registration_number": locked.registrant.registration_number,
                "career_role": role.pk,
                "start_date": start_date,
                "override": override,
            },
        )
        assessment_open_for_appointment(career_role=role, actor=actor)
    return locked


def appointment_withdraw(*, appointment: Appointment, reason: str, actor) -> Appointment:
    """Withdraw a proposed appointment; references still to come are no longer needed."""
    from steward.notifications.services import notify

    _require_employer(actor, appointment.organisation, "withdraw appointments")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the appointment is withdrawn."})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": f"The reason must be {MAX_REASON:,} characters or fewer."})
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=appointment.pk)
        )
        if locked.status != AppointmentStatus.PROPOSED:
            raise ValidationError(
                f"Only a proposed appointment can be withdrawn: this one has "
                f"{locked.get_status_display().lower()}."
            )
        outstanding = list(
            ReferenceRequest.objects.filter(
                appointment=locked, status=RequestStatus.REQUESTED
            ).select_related("referee_organisation")
        )
        ReferenceRequest.objects.filter(pk__in=[r.pk for r in outstanding]).update(
            status=RequestStatus.WITHDRAWN
        )
        locked.status = AppointmentStatus.WITHDRAWN
        locked.withdrawn_reason = reason
        locked.version = F("version") + 1
        locked.save(update_fields=["status", "withdrawn_reason", "version"])
        locked.refresh_from_db()
        audit_record(
            actor=actor,
            action="references.appointment.withdrawn",
            reason=reason,
            subject=locked,
            payload={"requests_withdrawn": [r.pk for r in outstanding]},
        )
        for request in outstanding:
            notify(
                users=employer_users(request.referee_organisation),
                subject=f"Reference no longer needed by {locked.organisation.name}",
                body=(
                    f"{locked.organisation.name} has withdrawn the appointment it asked "
                    f"{request.referee_organisation.name} for a reference about. You do not "
                    "need to give it."
                ),
                url=reverse("references:requests"),
                topic="references.request",
            )
    return locked


# --- Giving references ----------------------------------------------------------------


def _clean_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """Every question answered yes or no, details for each yes, roles and dates given."""
    errors = {}
    cleaned: dict[str, str] = {}
    roles_and_dates = str(answers.get("roles_and_dates") or "").strip()
    if not roles_and_dates:
        errors["roles_and_dates"] = questions.ROLES_AND_DATES_REQUIRED
    elif len(roles_and_dates) > questions.MAX_DETAILS:
        errors["roles_and_dates"] = (
            f"Roles and dates must be {questions.MAX_DETAILS:,} characters or fewer"
        )
    cleaned["roles_and_dates"] = roles_and_dates
    for stem in questions.STEMS:
        answer = str(answers.get(stem) or "").strip().lower()
        details = str(answers.get(f"{stem}_details") or "").strip()
        if answer not in questions.YES_NO_VALUES:
            errors[stem] = questions.ANSWER_REQUIRED[stem]
            continue
        if answer == YesNo.YES and not details:
            errors[f"{stem}_details"] = questions.DETAILS_REQUIRED[stem]
        if len(details) > questions.MAX_DETAILS:
            errors[f"{stem}_details"] = (
                f"Details must be {questions.MAX_DETAILS:,} characters or fewer"
            )
        cleaned[stem] = answer
        # Details go with a "yes" only: a "no" means nothing applies.
        cleaned[f"{stem}_details"] = details if answer == YesNo.YES else ""
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_referee(
    *, referee_name: str, referee_job_title: str, on_behalf_of_referee: bool, actor, organisation
) -> tuple[str, str]:
    errors = {}
    name = (referee_name or "").strip()
    title = (referee_job_title or "").strip()
    if not name:
        errors["referee_name"] = "Enter the referee's full name"
    elif len(name) > 200:
        errors["referee_name"] = "The referee's name must be 200 characters or fewer"
    if not title:
        errors["referee_job_title"] = "Enter the referee's job title"
    elif len(title) > 200:
        errors["referee_job_title"] = "The referee's job title must be 200 characters or fewer"
    user = actor_user(actor)
    if (
        on_behalf_of_referee
        and user is not None
        and not holds_role_at(user, "hr_lead", organisation.pk)
    ):
        errors["on_behalf_of_referee"] = (
            "Only the HR lead can complete a reference on the named referee's behalf"
        )
    if errors:
        raise ValidationError(errors)
    return name, title


def _clean_reference(
    *, answers, organisation, registrant, doing: str, actor, **referee
) -> tuple[dict[str, str], str, str]:
    """Who may give it (an employer there, never the person), then the answers and the
    referee, with every problem reported at once."""
    _require_employer(actor, organisation, doing)
    _refuse_own_reference(actor, registrant)
    errors: dict[str, list[str]] = {}
    cleaned, name, title = {}, "", ""
    try:
        cleaned = _clean_answers(answers)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        name, title = _clean_referee(organisation=organisation, actor=actor, **referee)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned, name, title


def _reference_create(
    *,
    registrant,
    organisation,
    request,
    cleaned: dict[str, str],
    name: str,
    title: str,
    on_behalf_of_referee: bool,
    actor,
    supersedes: BoardMemberReference | None = None,
) -> BoardMemberReference:
    """A completed reference, or an update that ``supersedes`` an earlier one."""
    return BoardMemberReference.objects.create(
        registrant=registrant,
        referee_organisation=organisation,
        request=request,
        supersedes=supersedes,
        referee_name=name,
        referee_job_title=title,
        on_behalf_of_referee=bool(on_behalf_of_referee),
        completed_by=actor_user(actor),
        completed_by_label=actor_label(actor),
        retain_until=retain_until_for(registrant),
        **cleaned,
    )


def _requesting_organisation(request: ReferenceRequest | None):
    if request is None or request.appointment_id is None:
        return None
    return request.appointment.organisation


def reference_complete(
    *,
    request: ReferenceRequest,
    answers: Mapping[str, str],
    referee_name: str,
    referee_job_title: str,
    on_behalf_of_referee: bool = False,
    actor,
) -> BoardMemberReference:
    """The referee organisation answers a request: every question, yes or no.

    The reference is kept until the person's 75th birthday. The organisation
    that asked is told it has arrived.
    """
    from steward.notifications.services import notify

    cleaned, name, title = _clean_reference(
        answers=answers,
        referee_name=referee_name,
        referee_job_title=referee_job_title,
        on_behalf_of_referee=on_behalf_of_referee,
        actor=actor,
        organisation=request.referee_organisation,
        registrant=request.registrant,
        doing="give this reference",
    )
    with transaction.atomic():
        locked = (
            ReferenceRequest.objects.select_for_update(of=("self",))
            .select_related("registrant", "referee_organisation", "appointment__organisation")
            .get(pk=request.pk)
        )
        if locked.status == RequestStatus.COMPLETED:
            raise ValidationError(
                "This reference has already been given. To change it, issue an update.",
                code="completed",
            )
        if locked.status == RequestStatus.WITHDRAWN:
            raise ValidationError(
                "This request was withdrawn, so the reference is no longer needed.",
                code="withdrawn",
            )
        reference = _reference_create(
            registrant=locked.registrant,
            organisation=locked.referee_organisation,
            request=locked,
            cleaned=cleaned,
            name=name,
            title=title,
            on_behalf_of_referee=on_behalf_of_referee,
            actor=actor,
        )
        locked.status = RequestStatus.COMPLETED
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="references.reference.completed",
            reason=f"Board member reference given ({locked.get_kind_display().lower()})",
            subject=reference,
            payload={
                "request": locked.pk,
                "kind": locked.kind,
                "referee_organisation": locked.referee_organisation.ods_code,
                "on_behalf_of_referee": reference.on_behalf_of_referee,
                "retain_until": reference.retain_until,
            },
        )
        requester = _requesting_organisation(locked)
        if requester is not None:
            notify(
                users=employer_users(requester),
                subject=f"Board member reference received from {locked.referee_organisation.name}",
                body=(
                    f"{locked.referee_organisation.name} has given the board member reference "
                    f"you asked for (appointment {locked.appointment_id})."
                ),
                url=reverse("references:appointment", kwargs={"pk": locked.appointment_id}),
                topic="references.reference",
            )
    return reference


def is_superseded(reference: BoardMemberReference) -> bool:
    """Whether an update replaced this reference (no query when ``superseded_by`` was
    loaded with ``select_related``)."""
    try:
        reference.superseded_by  # noqa: B018 - reading the relation is the test
    except BoardMemberReference.DoesNotExist:
        return False
    return True


def reference_update_allowed(*, reference: BoardMemberReference) -> str | None:
    """Why an update cannot be issued now, or None when it can."""
    if is_superseded(reference):
        return "This reference has already been updated: update the latest version instead."
    if reference.completed_at < clock.now() - relativedelta(years=UPDATE_WINDOW_YEARS):
        return (
            "An update can only be issued to a reference given in the last six years. "
            f"This one was given on {uk_date(reference.completed_at)}."
        )
    return None


def reference_update_issue(
    *,
    reference: BoardMemberReference,
    answers: Mapping[str, str],
    referee_name: str,
    referee_job_title: str,
    on_behalf_of_referee: bool = False,
    actor,
) -> BoardMemberReference:
    """The referee organisation updates a reference it gave in the last six years.

    The update is a new reference that supersedes the old one (which is kept);
    the organisation that asked for the reference is told it was updated.
    """
    from steward.notifications.services import notify

    cleaned, name, title = _clean_reference(
        answers=answers,
        referee_name=referee_name,
        referee_job_title=referee_job_title,
        on_behalf_of_referee=on_behalf_of_referee,
        actor=actor,
        organisation=reference.referee_organisation,
        registrant=reference.registrant,
        doing="update this reference",
    )
    with transaction.atomic():
        locked = (
            BoardMemberReference.objects.select_for_update(of=("self",))
            .select_related(
                "registrant", "referee_organisation", "request__appointment__organisation"
            )
            .get(pk=reference.pk)
        )
        refusal = reference_update_allowed(reference=locked)
        if refusal:
            raise ValidationError(refusal, code="update_not_allowed")
        update = _reference_create(
            registrant=locked.registrant,
            organisation=locked.referee_organisation,
            request=locked.request,
            supersedes=locked,
            cleaned=cleaned,
            name=name,
            title=title,
            on_behalf_of_referee=on_behalf_of_referee,
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="references.reference.updated",
            reason="Update issued to a board member reference",
            subject=update,
            payload={
                "supersedes": locked.pk,
                "referee_organisation": locked.referee_organisation.ods_code,
                "on_behalf_of_referee": update.on_behalf_of_referee,
            },
        )
        requester = _requesting_organisation(locked.request)
        if requester is not None:
            notify(
                users=employer_users(requester),
                subject=(
                    f"Update to a board member reference from {locked.referee_organisation.name}"
                ),
                body=(
                    f"{locked.referee_organisation.name} has issued an update to the board "
                    f"member reference it gave you on {uk_date(locked.completed_at)}. The "
                    "update replaces the earlier reference: read it before you rely on it."
                ),
                url=reverse("references:reference", kwargs={"pk": update.pk}),
                topic="references.reference",
            )
    return update


def leaving_reference_request(*, career_role, actor) -> ReferenceRequest | None:
    """A board member has left: their organisation owes a leaving reference.

    Called when a board role is ended. Idempotent per career role; nothing for a
    role that has not ended or is not a board role.
    """
    from steward.notifications.services import notify

    if career_role.category not in BOARD_CATEGORIES or career_role.end_date is None:
        return None
    existing = ReferenceRequest.objects.filter(
        kind=RequestKind.LEAVING, career_role=career_role
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        request, created = ReferenceRequest.objects.get_or_create(
            kind=RequestKind.LEAVING,
            career_role=career_role,
            defaults={
                "registrant": career_role.registrant,
                "referee_organisation": career_role.organisation,
                "period_start": career_role.start_date,
                "period_end": career_role.end_date,
                "requested_by": actor_user(actor),
                "requested_by_label": actor_label(actor),
                "due_by": max(clock.today(), career_role.end_date)
                + dt.timedelta(days=REQUEST_DUE_DAYS),
            },
        )
        if created:
            audit_record(
                actor=actor,
                action="references.request.leaving_created",
                reason="A board member left: a leaving reference is owed",
                subject=request,
                payload={
                    "career_role": career_role.pk,
                    "referee_organisation": career_role.organisation.ods_code,
                    "due_by": request.due_by,
                },
            )
            notify(
                users=employer_users(career_role.organisation),
                subject="Leaving reference to complete for a board member",
                body=(
                    f"A board member of {career_role.organisation.name} has left. Complete "
                    f"their board member reference by {uk_date(request.due_by)}: it is kept "
                    "for future employers."
                ),
                url=reverse("references:requests"),
                topic="references.request",
            )
    return request


# --- Retention --------------------------------------------------------------------------


def references_purge_expired(*, today: dt.date | None = None) -> int:
    """Delete references past their keep-until date (the person's 75th birthday) and
    the requests they leave with no reference; one audit event with the count."""
    today = today or clock.today()
    with transaction.atomic():
        # A date of birth recorded after the reference was given sets its keep-until date now.
        for reference in BoardMemberReference.objects.filter(
            retain_until__isnull=True, registrant__date_of_birth__isnull=False
        ).select_related("registrant"):
            BoardMemberReference.objects.filter(pk=reference.pk).update(
                retain_until=retain_until_for(reference.registrant)
            )
        expired = list(
            BoardMemberReference.objects.filter(retain_until__lt=today).values_list(
                "pk", "request_id"
            )
        )
        if not expired:
            return 0
        ids = [pk for pk, _ in expired]
        request_ids = {request_id for _, request_id in expired if request_id}
        # Updates point at what they supersede: unlink the chain before deleting it.
        BoardMemberReference.objects.filter(supersedes_id__in=ids).update(supersedes=None)
        deleted = BoardMemberReference.objects.filter(pk__in=ids).delete()[0]
        emptied = ReferenceRequest.objects.filter(pk__in=request_ids, references__isnull=True)
        requests_deleted = emptied.delete()[0]
        audit_record(
            actor="steward references retention",
            action="references.reference.purged",
            reason="Kept until the person's 75th birthday, which has passed",
            payload={"references": deleted, "requests": requests_deleted, "on": today},
        )
    return deleted
