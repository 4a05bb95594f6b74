"""Making concerns, managers and people for the concerns team's tests."""

import datetime as dt

from steward.accounts.models import RoleAssignment
from steward.concerns import services
from steward.concerns.files import CleanFile
from steward.concerns.models import Concern, DetrimentFlag
from steward.core import clock
from steward.register import services as register_services
from steward.register.models import DisciplinaryAction, Registrant

WHAT = "The director told staff to shred the ward 7 incident forms before the inspection"
ANSWERS = {
    "what_happened": WHAT,
    "when": "Early March 2026",
    "who_was_affected": "Patients on ward 7",
    "patient_harm": "Patients were put at risk",
}
REPORTER = {"name": "Oluwaseun Whistle", "email": "seun.whistle@example.nhs.uk", "phone": ""}
TODAY = dt.date(2026, 11, 2)


def manager(organisation, *, user=None, names=("Priya", "Director")) -> Registrant:
    """A manager on the register with a current role at the organisation."""
    registrant = register_services.registrant_create(
        legal_forenames=names[0], legal_surname=names[1], actor=None, reason="test", user=user
    )
    register_services.career_role_add(
        registrant=registrant,
        organisation=organisation,
        title="Director of Operations",
        category="executive_director",
        start_date=dt.date(2024, 1, 1),
        actor=None,
        reason="test",
    )
    return registrant


def concern(
    *,
    organisation=None,
    registrant=None,
    anonymity: str = "confidential",
    description: str = "",
    employer_may_see: bool = False,
    is_detriment: bool = False,
    answers: dict | None = None,
    with_file: bool = False,
) -> Concern:
    received = services.concern_submit(
        anonymity=anonymity,
        answers=answers or ANSWERS,
        subject_registrant=registrant,
        subject_description=description,
        organisation=organisation,
        reporter_identity=None if anonymity == "anonymous" else REPORTER,
        employer_may_see=employer_may_see,
        is_detriment=is_detriment,
        uploads=[
            CleanFile(name="ward-7-rota.txt", media_type="text/plain", content=b"Rota for ward 7")
        ]
        if with_file
        else (),
    )
    return Concern.objects.get(pk=received.concern.pk)


def fresh(item: Concern) -> Concern:
    return Concern.objects.get(pk=item.pk)


def detriment_flag(item: Concern, organisation, recorded_by) -> DetrimentFlag:
    registrant = Registrant.objects.order_by("pk").first() or manager(organisation)
    action = DisciplinaryAction.objects.create(
        registrant=registrant,
        organisation=organisation,
        kind="warning",
        started_on=clock.today(),
        summary="Formal warning",
        recorded_by=recorded_by,
    )
    return DetrimentFlag.objects.create(concern=item, disciplinary_action=action)


def give_role(user, role: str, organisation=None) -> None:
    RoleAssignment.objects.create(user=user, role=role, organisation=organisation)
