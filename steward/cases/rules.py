"""Who may do what with fitness-to-practise cases. Deny by default.

- Caseworkers open and build cases (allegations, evidence) and move them between
  stages.
- Case examiners decide in pairs (one lay, one manager examiner).
- Hearings officers form panels, schedule hearings, serve notice and issue
  determinations.
- Panel members see the hearings they sit on and record the panel's findings.
- The registrant sees their own case (allegations, evidence disclosed to them,
  deadlines), responds, uploads evidence, accepts or refuses undertakings, appeals.
- Regulator staff see the case list and the timeliness view.
"""

import rules

from steward.accounts.rules import has_role, is_regulator_staff
from steward.register.rules import has_own_record, is_registrant_role

is_caseworker = has_role("caseworker")
is_case_examiner = has_role("case_examiner")
is_hearings_officer = has_role("hearings_officer")
is_panel_member = has_role("panel_member")
is_registrar = has_role("registrar")


@rules.predicate
def is_the_registrant(user, case) -> bool:
    """The case is about this person (their own register record)."""
    if case is None or not user.is_authenticated:
        return False
    return case.registrant.user_id == user.pk


@rules.predicate
def sits_on_the_panel(user, hearing) -> bool:
    """The person holds a seat on this hearing's panel."""
    if hearing is None or not user.is_authenticated:
        return False
    return hearing.panel.filter(member_id=user.pk).exists()


CASE_STAFF = is_caseworker | is_case_examiner | is_hearings_officer | is_registrar

rules.add_perm("cases.open_case", is_caseworker)
rules.add_perm("cases.build_case", is_caseworker)
rules.add_perm("cases.move_case", is_caseworker)
rules.add_perm("cases.view_cases", CASE_STAFF)
rules.add_perm("cases.decide_as_examiner", is_case_examiner)
rules.add_perm("cases.arrange_hearings", is_hearings_officer)
rules.add_perm("cases.declare_interests", is_panel_member | is_case_examiner)
rules.add_perm("cases.sit_on_panel", is_panel_member & sits_on_the_panel)
# Hearings officers see every hearing; panel members only those they sit on.
rules.add_perm("cases.see_hearings", is_hearings_officer | is_panel_member)
rules.add_perm("cases.see_hearing", is_hearings_officer | (is_panel_member & sits_on_the_panel))
# Panel members record findings; hearings officers issue determinations and decide appeals.
rules.add_perm("cases.work_on_outcomes", is_panel_member | is_hearings_officer)
rules.add_perm("cases.see_own_cases", is_registrant_role | has_own_record)
rules.add_perm("cases.see_own_case", is_the_registrant)
rules.add_perm("cases.respond", is_the_registrant)
rules.add_perm("cases.see_timeliness", is_regulator_staff)
