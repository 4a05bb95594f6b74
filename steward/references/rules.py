"""Who may do what with appointments and references. Deny by default.

- Appointments: the chair, chief executive and HR lead of the appointing
  organisation propose them, request references and record the start; only
  the chair records a reason to proceed without every reference.
- References owed and given: the chair, chief executive and HR lead of the
  referee organisation.
- A reference: the organisation that asked for it, the organisation that gave
  it, and the person it is about.
- Regional directors see only the chair's reasons to proceed, on the fitness
  region page (``selectors.overrides_in_region``).
"""

import rules

from steward.accounts.rules import has_role

# The employer roles that propose appointments and give references.
REFERENCE_ROLES = frozenset({"chair", "chief_executive", "hr_lead"})


def _organisation_ids(user, roles=REFERENCE_ROLES) -> set[int]:
    from steward.accounts.selectors import organisations_where

    return {o.pk for o in organisations_where(user=user, roles=roles)}


def reference_organisations(user) -> set[int]:
    """Organisations where the user may propose appointments and give references."""
    return _organisation_ids(user)


def holds_role_at(user, role: str, organisation_id: int | None) -> bool:
    return organisation_id is not None and organisation_id in _organisation_ids(user, {role})


@rules.predicate
def works_with_references(user) -> bool:
    return bool(_organisation_ids(user))


@rules.predicate
def is_reference_employer_at(user, organisation) -> bool:
    return organisation is not None and organisation.pk in _organisation_ids(user)


@rules.predicate
def is_appointing_employer(user, appointment) -> bool:
    return appointment is not None and appointment.organisation_id in _organisation_ids(user)


@rules.predicate
def is_appointing_chair(user, appointment) -> bool:
    return appointment is not None and holds_role_at(user, "chair", appointment.organisation_id)


@rules.predicate
def is_referee_employer(user, reference_request) -> bool:
    return (
        reference_request is not None
        and reference_request.referee_organisation_id in _organisation_ids(user)
    )


@rules.predicate
def is_request_subject(user, reference_request) -> bool:
    """Whether the reference is about the person themselves: nobody gives their own."""
    return (
        reference_request is not None
        and user.is_authenticated
        and reference_request.registrant.user_id is not None
        and reference_request.registrant.user_id == user.pk
    )


def _requesting_organisation_id(reference) -> int | None:
    request = reference.request
    if request is None or request.appointment_id is None:
        return None
    return request.appointment.organisation_id


@rules.predicate
def gave_reference(user, reference) -> bool:
    return reference is not None and reference.referee_organisation_id in _organisation_ids(user)


@rules.predicate
def asked_for_reference(user, reference) -> bool:
    if reference is None:
        return False
    organisations = _organisation_ids(user)
    return bool(organisations) and _requesting_organisation_id(reference) in organisations


@rules.predicate
def is_reference_subject(user, reference) -> bool:
    return (
        reference is not None
        and user.is_authenticated
        and reference.registrant.user_id is not None
        and reference.registrant.user_id == user.pk
    )


@rules.predicate
def has_own_record(user) -> bool:
    from steward.register.selectors import own_registrant_id

    return own_registrant_id(user=user) is not None


is_registrant_role = has_role("registrant")

rules.add_perm("references.use_appointments", works_with_references)
rules.add_perm("references.manage_appointments", is_reference_employer_at)
rules.add_perm("references.view_appointment", is_appointing_employer)
rules.add_perm("references.record_override", is_appointing_chair)
rules.add_perm("references.use_references", works_with_references)
rules.add_perm("references.give_references", is_reference_employer_at)
rules.add_perm("references.complete_request", is_referee_employer & ~is_request_subject)
rules.add_perm(
    "references.view_reference", gave_reference | asked_for_reference | is_reference_subject
)
rules.add_perm("references.update_reference", gave_reference & ~is_reference_subject)
rules.add_perm("references.view_own_references", is_registrant_role | has_own_record)
