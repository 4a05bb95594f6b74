"""Who may do what with annual fit and proper returns. Deny by default.

- The chair of an organisation submits its return.
- The people holding an employer role at the organisation, and the regional
  director of its region, see its return.
- The regional director of a region sees the region's returns and may return
  a submission to the chair with comments.
"""

import rules

from steward.accounts.rules import has_role, is_employer_at
from steward.fitness.rules import (
    directs_region_id,
    holds_role_at,
    is_regional_director_for,
    regional_director_of_organisation,
)


@rules.predicate
def is_chair_at(user, organisation) -> bool:
    return holds_role_at(user, {"chair"}, organisation)


@rules.predicate
def directs_region(user, region) -> bool:
    return region is not None and directs_region_id(user, region.pk)


@rules.predicate
def directs_region_of_return(user, annual_return) -> bool:
    return annual_return is not None and is_regional_director_for(user, annual_return.organisation)


rules.add_perm("fitness.submit_annual_return", is_chair_at)
rules.add_perm("fitness.view_annual_return", is_employer_at | regional_director_of_organisation)
rules.add_perm("fitness.use_region_returns", has_role("regional_director"))
rules.add_perm("fitness.view_region_returns", directs_region)
rules.add_perm("fitness.send_back_annual_return", directs_region_of_return)
