"""Who may do what with the standards. Deny by default.

- Everyone, signed in or not, may read every published version: the standards
  are public so that managers, employers and the public know where the line sits.
- Only the administrator edits and publishes them.
"""

import rules

from steward.accounts.rules import has_role

is_administrator = has_role("administrator")

rules.add_perm("standards.view", rules.always_allow)
rules.add_perm("standards.manage", is_administrator)
