"""Who may do what on the register. Deny by default.

- The public register needs no permission.
- A registrant sees their own whole record.
- The registrar sees every record and decides applications, qualifications,
  status and merges.
- An employer (chair, chief executive, senior independent director, HR lead)
  sees a person's full record only while that person holds a current role at
  the employer's organisation, and keeps that organisation's roster.
"""

import rules

from steward.accounts.roles import EMPLOYER_ROLES
from steward.accounts.rules import has_role
from steward.core import clock

is_registrar = has_role("registrar")
is_registrant_role = has_role("registrant")


def _employer_organisation_ids(user) -> set[int]:
    from steward.accounts.selectors import current_assignments

    if not user.is_authenticated:
        return set()
    return {a.organisation_id for a in current_assignments(user=user) if a.role in EMPLOYER_ROLES}


@rules.predicate
def is_own_record(user, registrant) -> bool:
    return (
        registrant is not None
        and user.is_authenticated
        and registrant.user_id is not None
        and registrant.user_id == user.pk
    )


@rules.predicate
def employs_now(user, registrant) -> bool:
    """The user holds an employer role where the registrant holds a current role."""
    from django.db.models import Q

    if registrant is None:
        return False
    organisations = _employer_organisation_ids(user)
    if not organisations:
        return False
    return (
        registrant.career_roles.filter(organisation_id__in=organisations)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=clock.today()))
        .exists()
    )


@rules.predicate
def is_employer_of(user, organisation) -> bool:
    return organisation is not None and organisation.pk in _employer_organisation_ids(user)


@rules.predicate
def has_own_record(user) -> bool:
    from steward.register.selectors import own_registrant_id

    return own_registrant_id(user=user) is not None


rules.add_perm("register.view_full_record", is_registrar | is_own_record | employs_now)
rules.add_perm("register.decide_applications", is_registrar)
rules.add_perm("register.verify_qualifications", is_registrar)
rules.add_perm("register.change_status", is_registrar)
rules.add_perm("register.merge_records", is_registrar)
rules.add_perm("register.search_previous_names", is_registrar)
rules.add_perm("register.edit_own_record", is_own_record)
rules.add_perm("register.manage_roster", is_employer_of)
# People who keep their own record: registrants, and anyone whose sign-in is
# linked to a record.
rules.add_perm("register.keep_own_record", is_registrant_role | has_own_record)
# The /registrar/ pages are the registrar's own, even where view_full_record
# would also let an employer see the same record elsewhere.
rules.add_perm("register.use_registrar_pages", is_registrar)
