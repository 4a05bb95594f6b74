"""Reads of references and appointments, scoped to who may see them.

Views check the permission on the object first (``rules.py``); the lists
here are already limited to one organisation or one person, and run a fixed
number of queries whatever their length.
"""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from steward.references.models import (
    REFERENCE_QUESTIONS,
    Appointment,
    AppointmentStatus,
    BoardMemberReference,
    ReferenceRequest,
    RequestStatus,
    YesNo,
)


def reference_disclosures(*, registrant) -> list[dict]:
    """What current references about a person disclose (answers of "yes"), newest first.

    Shown to the assessor in the fit and proper person test. A reference that has
    been superseded by an update is left out: the update stands in its place.
    """
    questions = dict(REFERENCE_QUESTIONS)
    found = []
    references = (
        BoardMemberReference.objects.filter(registrant=registrant, superseded_by__isnull=True)
        .select_related("referee_organisation")
        .order_by("-completed_at", "-pk")
    )
    for reference in references:
        for stem in questions:
            if getattr(reference, stem) == YesNo.YES:
                found.append(
                    {
                        "reference": reference,
                        "organisation": reference.referee_organisation,
                        "question": questions[stem],
                        "stem": stem,
                        "details": getattr(reference, f"{stem}_details"),
                        "completed_at": reference.completed_at,
                    }
                )
    return found


def overrides_in_region(*, region, year: int) -> list[Appointment]:
    """Appointments in the region that started in ``year`` (by start date) before every
    reference was received, on the chair's recorded reason to proceed; newest first.

    Each appointment comes with its organisation, the person and who recorded the
    reason (``override_reason``, ``override_by_label``, ``override_at``).
    """
    return list(
        Appointment.objects.filter(
            organisation__region=region,
            status=AppointmentStatus.STARTED,
            start_date__year=year,
        )
        .exclude(override_reason="")
        .select_related("organisation", "registrant", "override_by")
        .order_by("-start_date", "-override_at", "-pk")
    )


# --- Appointments -------------------------------------------------------------------


def appointments_for(*, organisation) -> QuerySet[Appointment]:
    """The organisation's appointments: proposed ones first (they wait for something),
    then the most recently proposed."""
    return (
        Appointment.objects.filter(organisation=organisation)
        .select_related("organisation", "registrant")
        .annotate(
            waiting=Case(
                When(status=AppointmentStatus.PROPOSED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "-proposed_at", "-pk")
    )


def appointment_get(*, pk: int) -> Appointment:
    """One appointment with its organisation and person (raises Appointment.DoesNotExist)."""
    return Appointment.objects.select_related(
        "organisation", "registrant", "career_role", "override_by", "proposed_by"
    ).get(pk=pk)


# --- Reference requests and references ------------------------------------------------

REFERENCE_RELATED = (
    "registrant",
    "referee_organisation",
    "request__appointment__organisation",
    "request__career_role",
    "supersedes",
)


def requests_owed(*, organisation, viewer=None) -> QuerySet[ReferenceRequest]:
    """References the organisation still has to give, the earliest due first; never,
    for the ``viewer``, a reference about themselves (someone else gives it)."""
    owed = ReferenceRequest.objects.filter(
        referee_organisation=organisation, status=RequestStatus.REQUESTED
    )
    if viewer is not None and viewer.is_authenticated:
        owed = owed.exclude(registrant__user_id=viewer.pk)
    return owed.select_related("registrant", "appointment__organisation", "career_role").order_by(
        "due_by", "requested_at", "pk"
    )


def request_get(*, pk: int) -> ReferenceRequest:
    return ReferenceRequest.objects.select_related(
        "registrant", "referee_organisation", "appointment__organisation", "career_role"
    ).get(pk=pk)


def references_given(*, organisation) -> QuerySet[BoardMemberReference]:
    """References the organisation gave, newest first (updates and what they replaced)."""
    return (
        BoardMemberReference.objects.filter(referee_organisation=organisation)
        .select_related(*REFERENCE_RELATED, "superseded_by")
        .order_by("-completed_at", "-pk")
    )


def references_received(*, organisation) -> QuerySet[BoardMemberReference]:
    """References given to the organisation for its appointments, newest first."""
    return (
        BoardMemberReference.objects.filter(request__appointment__organisation=organisation)
        .select_related(*REFERENCE_RELATED, "superseded_by")
        .order_by("-completed_at", "-pk")
    )


def references_about(*, registrant) -> QuerySet[BoardMemberReference]:
    """Every reference about the person, newest first (what they see of their own)."""
    return (
        BoardMemberReference.objects.filter(registrant=registrant)
        .select_related(*REFERENCE_RELATED, "superseded_by")
        .order_by("-completed_at", "-pk")
    )


def reference_get(*, pk: int) -> BoardMemberReference:
    return BoardMemberReference.objects.select_related(*REFERENCE_RELATED, "superseded_by").get(
        pk=pk
    )


def references_for_appointment(*, appointment) -> list[BoardMemberReference]:
    """The current references received for an appointment (updates in place of what they
    replaced)."""
    return list(
        BoardMemberReference.objects.filter(
            Q(superseded_by__isnull=True), request__appointment=appointment
        )
        .select_related("referee_organisation", "supersedes")
        .order_by("referee_organisation__name", "-completed_at")
    )
