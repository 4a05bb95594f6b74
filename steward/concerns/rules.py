"""Who may do what with concerns: the regulator's concerns team (caseworkers)."""

import rules

from steward.accounts.rules import has_role

is_concerns_team = has_role("caseworker")

rules.add_perm("concerns.read_concern", is_concerns_team)
rules.add_perm("concerns.message_reporter", is_concerns_team)
