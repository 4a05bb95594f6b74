"""Who may do what with annual fit and proper returns. Deny by default.

- The chair of an organisation submits its return.
- The people holding an employer role at the organisation, and the regional
  director of its region, see its return.
- The regional director of a region sees the region's returns and may return
  a submission to the chair with comments.
"""

import rules

from steward.accounts.rules import has_role, is_employer_at


def _assignments(user) -> list:
    from steward.accounts.selectors import current_assignments

    if user is None or not user.is_authenticated:
        return []
    return current_assignments(user=user)


def _directs(user, region_id) -> bool:
    return region_id is not None and any(
        a.role == "regional_director" and a.region_id == region_id for a in _assignments(user)
    )


@rules.predicate
def is_chair_at(user, organisation) -> bool:
    return organisation is not None and any(
        a.role == "chair" and a.organisation_id == organisation.pk for a in _assignments(user)
    )


@rules.predicate
def directs_region_of_organisation(user, organisation) -> bool:
    return organisation is not None and _directs(user, organisation.region_id)


@rules.predicate
def directs_region(user, region) -> bool:
    return region is not None and _directs(user, region.pk)


@rules.predicate
def directs_region_of_return(user, annual_return) -> bool:
    return annual_return is not None and _directs(user, annual_return.organisation.region_id)


rules.add_perm("fitness.submit_annual_return", is_chair_at)
rules.add_perm("fitness.view_annual_return", is_employer_at | directs_region_of_organisation)
rules.add_perm("fitness.use_region_returns", has_role("regional_director"))
rules.add_perm("fitness.view_region_returns", directs_region)
rules.add_perm("fitness.send_back_annual_return", directs_region_of_return)
