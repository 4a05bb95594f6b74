"""Who may do what in the fit and proper person test. Deny by default.

- An organisation's employers (chair, chief executive, senior independent
  director, HR lead) see its assessments; the regional director of its region
  sees them too, read-only. Only the organisation's employers see the
  restricted history shown to the assessor.
- The HR lead or the chair records the checks, never on their own assessment.
- The chair concludes each assessment; the senior independent director
  concludes the chair's own. Nobody concludes their own.
- The director completes their own competency self-assessment and attestation.
- The registrar and caseworkers receive referrals of directors found not fit
  and proper. An administrator opens each year's assessments.
"""

import rules

from steward.accounts.rules import has_role, is_employer, is_employer_at
from steward.register.models import RoleCategory

RECORDING_ROLES = frozenset({"chair", "hr_lead"})
REFERRAL_ROLES = frozenset({"registrar", "caseworker"})


def _assignments(user) -> list:
    from steward.accounts.selectors import current_assignments

    if not getattr(user, "is_authenticated", False):  # nobody, or an actor named in text
        return []
    return current_assignments(user=user)


def holds_role_at(user, roles, organisation) -> bool:
    """The user holds one of ``roles`` at this organisation now."""
    if organisation is None:
        return False
    return any(a.role in roles and a.organisation_id == organisation.pk for a in _assignments(user))


def directs_region_id(user, region_id: int | None) -> bool:
    """The user is the regional director of this region now."""
    return region_id is not None and any(
        a.role == "regional_director" and a.region_id == region_id for a in _assignments(user)
    )


def is_regional_director_for(user, organisation) -> bool:
    """The user is the regional director of the organisation's region now."""
    return organisation is not None and directs_region_id(user, organisation.region_id)


def is_own(user, assessment) -> bool:
    registrant = assessment.registrant
    return (
        user is not None
        and user.is_authenticated
        and registrant.user_id is not None
        and registrant.user_id == user.pk
    )


def concluding_role(assessment) -> str:
    """The role that concludes this assessment: the SID for the chair's, the chair otherwise."""
    if assessment.career_role.category == RoleCategory.CHAIR:
        return "senior_independent_director"
    return "chair"


@rules.predicate
def regional_director_of_organisation(user, organisation) -> bool:
    return is_regional_director_for(user, organisation)


@rules.predicate
def employer_of_assessment(user, assessment) -> bool:
    return assessment is not None and is_employer_at(user, assessment.organisation)


@rules.predicate
def regional_director_of_assessment(user, assessment) -> bool:
    return assessment is not None and is_regional_director_for(user, assessment.organisation)


@rules.predicate
def records_checks_for(user, assessment) -> bool:
    return (
        assessment is not None
        and holds_role_at(user, RECORDING_ROLES, assessment.organisation)
        and not is_own(user, assessment)
    )


@rules.predicate
def concludes(user, assessment) -> bool:
    return (
        assessment is not None
        and holds_role_at(user, {concluding_role(assessment)}, assessment.organisation)
        and not is_own(user, assessment)
    )


@rules.predicate
def owns_assessment(user, assessment) -> bool:
    return assessment is not None and is_own(user, assessment)


@rules.predicate
def has_own_record(user) -> bool:
    from steward.register.selectors import own_registrant_id

    return own_registrant_id(user=user) is not None


@rules.predicate
def handles_referrals(user) -> bool:
    return any(a.role in REFERRAL_ROLES for a in _assignments(user))


rules.add_perm("fitness.start", is_employer)
rules.add_perm(
    "fitness.view_organisation",
    is_employer_at | regional_director_of_organisation,
)
rules.add_perm("fitness.view_assessment", employer_of_assessment | regional_director_of_assessment)
# Settlement agreements, reference disclosures and earlier outcomes: for the
# organisation's own employers, who run the test (never the region).
rules.add_perm("fitness.view_restricted_history", employer_of_assessment)
rules.add_perm("fitness.record_checks", records_checks_for)
rules.add_perm("fitness.conclude", concludes)
rules.add_perm("fitness.view_own_assessments", has_role("registrant") | has_own_record)
rules.add_perm("fitness.complete_own", owns_assessment)
rules.add_perm("fitness.view_referrals", handles_referrals)
rules.add_perm("fitness.acknowledge_referral", handles_referrals)
rules.add_perm("fitness.open_year", has_role("administrator"))
