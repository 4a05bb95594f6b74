"""Who may do what with fitness-to-practise cases. Deny by default.

Caseworkers open and build cases and move them between stages; later parts add
case examiners, hearings officers, panel members and the registrant's own view.
"""

import rules

from steward.accounts.rules import has_role

is_caseworker = has_role("caseworker")

rules.add_perm("cases.open_case", is_caseworker)
rules.add_perm("cases.build_case", is_caseworker)
rules.add_perm("cases.move_case", is_caseworker)
