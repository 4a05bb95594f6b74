"""Who may read the audit trail: auditors only (deny by default).

Loaded by ``rules.apps.AutodiscoverRulesConfig``. The predicate comes from
steward.accounts so every app agrees on what holding a role means (a current,
unrevoked RoleAssignment).
"""

import rules

from steward.accounts.rules import is_auditor

rules.add_perm("audit.view_auditevent", is_auditor)
rules.add_perm("audit.verify_trail", is_auditor)
