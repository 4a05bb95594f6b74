"""Formal (disciplinary) action an employer records against one of their people.

The chair, chief executive or HR lead of an organisation records it for someone
who holds, or held, a role on that organisation's roster. The summary is
restricted: only the employer and the regulator see it, and the audit trail
records that action was recorded, never what it says.

Each record is checked against concerns raised with the regulator
(``steward.concerns.detriment``): someone disciplined after speaking up may be
suffering detriment for it. The employer is never told about concerns: what
they see and what the trail records of their action are the same either way.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from steward.core import clock
from steward.register.models import (
    CareerRole,
    DisciplinaryAction,
    DisciplinaryActionKind,
    Registrant,
)

# The employer roles that record disciplinary action.
DISCIPLINARY_ROLES = frozenset({"chair", "chief_executive", "hr_lead"})
MAX_SUMMARY = 5_000
# The NHS began on 5 July 1948: no NHS employer acted before it.
NHS_BEGAN = dt.date(1948, 7, 5)
RECORDED_REASON = "Disciplinary action recorded by the employer"


def recording_organisations(*, user) -> list:
    """Organisations where the user may record disciplinary action, by name."""
    from steward.accounts.selectors import organisations_where

    return organisations_where(user=user, roles=DISCIPLINARY_ROLES)


def may_record(*, user, organisation) -> bool:
    """Chair, chief executive or HR lead at the organisation (and keeps its roster)."""
    return (
        organisation is not None
        and any(org.pk == organisation.pk for org in recording_organisations(user=user))
        and user.has_perm("register.manage_roster", organisation)
    )


def has_roster_role(*, registrant: Registrant, organisation) -> bool:
    """The person holds, or held, a role on the organisation's roster."""
    return CareerRole.objects.filter(registrant=registrant, organisation=organisation).exists()


def disciplinary_subject_get(*, organisation, registration_number: str) -> Registrant:
    """Someone who holds or held a role at the organisation (raises
    ``Registrant.DoesNotExist`` for anyone else, whether or not they exist)."""
    from steward.register.numbers import clean_registration_number, is_valid_registration_number

    number = clean_registration_number(registration_number or "")
    if not is_valid_registration_number(number):
        raise Registrant.DoesNotExist
    return (
        Registrant.objects.filter(
            registration_number=number, career_roles__organisation=organisation
        )
        .distinct()
        .get()
    )


def disciplinary_actions_for(*, registrant: Registrant, organisations) -> list[DisciplinaryAction]:
    """The actions these organisations recorded against the person, newest first."""
    ids = [org.pk for org in organisations]
    if not ids:
        return []
    return list(
        DisciplinaryAction.objects.filter(registrant=registrant, organisation_id__in=ids)
        .select_related("organisation", "recorded_by")
        .order_by("-started_on", "-pk")
    )


def disciplinary_seen_by(
    *, user, registrant: Registrant, organisation_ids: set[int]
) -> tuple[list, list[DisciplinaryAction]]:
    """Of the organisations ``organisation_ids`` (where the person has a role), those
    where the user records disciplinary action, and the actions they recorded against
    the person: an employer never sees another organisation's."""
    recording = [org for org in recording_organisations(user=user) if org.pk in organisation_ids]
    return recording, disciplinary_actions_for(registrant=registrant, organisations=recording)


def disciplinary_action_record(
    *, registrant: Registrant, organisation, kind: str, started_on: dt.date, summary: str, actor
) -> DisciplinaryAction:
    """Record formal action against someone on the organisation's roster (now or before)."""
    from steward.audit.services import audit_record
    from steward.concerns.detriment import disciplinary_action_check

    if actor is None or not may_record(user=actor, organisation=organisation):
        raise PermissionDenied(
            "Only the chair, chief executive or HR lead of the organisation can record "
            "disciplinary action."
        )
    if not has_roster_role(registrant=registrant, organisation=organisation):
        raise ValidationError(
            f"{registrant.display_name} has never held a role at {organisation.name}. You can "
            "only record action against someone on your organisation's roster, now or before."
        )
    if kind not in DisciplinaryActionKind.values:
        raise ValidationError({"kind": "Select the kind of action"})
    if not isinstance(started_on, dt.date):
        raise ValidationError({"started_on": "Enter the date the action started"})
    if started_on > clock.today():
        raise ValidationError(
            {"started_on": "The date the action started must be today or in the past"}
        )
    if started_on < NHS_BEGAN:
        raise ValidationError({"started_on": "The date the action started must be after 1948"})
    text = (summary or "").strip() if isinstance(summary, str) else ""
    if not text:
        raise ValidationError({"summary": "Enter a summary of the action and why it was taken"})
    if len(text) > MAX_SUMMARY:
        raise ValidationError({"summary": f"Summary must be {MAX_SUMMARY:,} characters or fewer"})
    if "\x00" in text:
        raise ValidationError({"summary": "Summary must not include unusual characters"})
    with transaction.atomic():
        action = DisciplinaryAction.objects.create(
            registrant=registrant,
            organisation=organisation,
            kind=kind,
            started_on=started_on,
            summary=text,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="register.disciplinary_action.recorded",
            reason=RECORDED_REASON,
            subject=registrant,
            payload={
                "registration_number": registrant.registration_number,
                "organisation": organisation.ods_code,
                "kind": kind,
                "started_on": started_on,
            },
        )
        # Concerns raised by this person are flagged to the concerns team: nothing
        # about it comes back to the employer.
        disciplinary_action_check(action=action)
    return action
