"""Alerts to employers when a restriction on someone's registration takes effect or ends.

Every organisation where the registrant holds a role (current, or starting later)
or is proposed for an appointment is told at once, in the service and by email:
its chair, chief executive and HR lead. The message holds public facts only (name,
registration number, what changed and the dates) and links to the public entry,
which shows what is published about it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from steward.accounts.models import RoleAssignment
from steward.cases.models import Sanction, SanctionKind
from steward.core import clock
from steward.core.formatting import uk_date
from steward.notifications.services import notify
from steward.organisations.models import Organisation
from steward.references.models import Appointment, AppointmentStatus
from steward.register.models import CareerRole, Registrant

# The people told at each organisation.
ALERT_ROLES = frozenset({"chair", "chief_executive", "hr_lead"})
ALERT_TOPIC = "cases.register_alert"
# Kinds of sanction whose start and end employers are told about.
ALERTED_KINDS = frozenset({SanctionKind.CONDITIONS, SanctionKind.SUSPENSION, SanctionKind.BARRING})


@dataclass(frozen=True)
class AlertEvent:
    """One change to tell employers about: a sanction taking effect or ending."""

    sanction: Sanction
    ended: bool = False

    @property
    def line(self) -> str:
        return alert_line(self.sanction, ended=self.ended)


def is_alerted(sanction: Sanction) -> bool:
    return sanction.interim or sanction.kind in ALERTED_KINDS


def _what(sanction: Sanction) -> str:
    """'an interim order suspending their registration', 'conditions on their practice'."""
    interim = sanction.interim and sanction.published
    if sanction.kind == SanctionKind.SUSPENSION:
        return (
            "an interim order suspending their registration"
            if interim
            else "a suspension of their registration"
        )
    if sanction.kind == SanctionKind.CONDITIONS:
        return (
            "an interim order placing conditions on their practice"
            if interim
            else "conditions on their practice"
        )
    return "a bar from the register of NHS managers"


def alert_line(sanction: Sanction, *, ended: bool = False) -> str:
    """The sentence for one change: public facts and dates only."""
    what = _what(sanction)
    if ended:
        on = sanction.ended_on or clock.today()
        return f"{what[0].upper()}{what[1:]} ended on {uk_date(on)}."
    starts = sanction.effective_from
    verb = "took effect" if starts <= clock.today() else "takes effect"
    until = f", until {uk_date(sanction.ends_on)}" if sanction.ends_on else ""
    return f"{what[0].upper()}{what[1:]} {verb} on {uk_date(starts)}{until}."


def employers_to_alert(registrant: Registrant, *, today: dt.date | None = None) -> list:
    """Organisations where the person holds a role that has not ended (including one
    starting later) or is proposed for an appointment, by name."""
    today = today or clock.today()
    role_orgs = CareerRole.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), registrant=registrant
    ).values("organisation_id")
    proposed_orgs = Appointment.objects.filter(
        registrant=registrant, status=AppointmentStatus.PROPOSED
    ).values("organisation_id")
    return list(
        Organisation.objects.filter(Q(pk__in=role_orgs) | Q(pk__in=proposed_orgs)).order_by(
            "name", "pk"
        )
    )


def _people_by_organisation(organisations: list, *, exclude_user_id: int | None) -> dict:
    assignments = (
        RoleAssignment.objects.current()
        .filter(
            organisation__in=[o.pk for o in organisations],
            role__in=ALERT_ROLES,
            user__is_active=True,
        )
        .select_related("user")
    )
    people: dict[int, dict] = {}
    for assignment in assignments:
        if exclude_user_id is not None and assignment.user_id == exclude_user_id:
            continue  # the registrant hears from the regulator about their own case
        people.setdefault(assignment.organisation_id, {})[assignment.user_id] = assignment.user
    return people


def entry_path(registrant: Registrant) -> str:
    return reverse("register:entry", kwargs={"registration_number": registrant.registration_number})


def alerts_send(*, registrant: Registrant, events: list[AlertEvent]) -> list[str]:
    """Tell every employer of the registrant about the changes, one message per
    organisation; returns the ODS codes of the organisations told."""
    lines = [event.line for event in events if is_alerted(event.sanction)]
    if not lines:
        return []
    organisations = employers_to_alert(registrant)
    if not organisations:
        return []
    people = _people_by_organisation(organisations, exclude_user_id=registrant.user_id)
    name = registrant.display_name
    number = registrant.registration_number
    subject = f"Register alert: {name} ({number})"
    told = []
    for organisation in organisations:
        users = list(people.get(organisation.pk, {}).values())
        if not users:
            continue
        changes = "\n".join(f"- {line}" for line in lines)
        body = (
            f"{name} (registration number {number}) holds or is being appointed to a "
            f"role at {organisation.name}. Their registration has changed:\n\n{changes}\n\n"
            "Read their entry on the register of NHS managers and make sure any role they "
            "hold or are offered is consistent with it."
        )
        if notify(
            users=users, subject=subject, body=body, url=entry_path(registrant), topic=ALERT_TOPIC
        ):
            told.append(organisation.ods_code)
    return told
