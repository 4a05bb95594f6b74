"""Who may do what with concerns. Deny by default.

- The concerns team (caseworkers) reads concerns, writes to reporters, assigns,
  keeps staff notes, triages and reviews detriment flags. Within the team an open or
  confidential reporter's identity can be read (each reading audited).
- Revealing a confidential reporter's identity outside the team needs a custodian,
  who is never the person who asked (``concerns/reveal.py``).
- Registrars see concerns flagged for urgent interim action.
- The chair, chief executive and HR lead of an organisation a concern was referred
  to see the referral: only what the reporter allowed, never who raised it.
"""

import rules

from steward.accounts.rules import has_role

# The employer roles that receive referrals of concerns.
REFERRAL_ROLES = frozenset({"chair", "chief_executive", "hr_lead"})

is_concerns_team = has_role("caseworker")
is_custodian = has_role("custodian")
is_registrar = has_role("registrar")


def referral_organisation_ids(user) -> set[int]:
    """Organisations whose referred concerns the user may read."""
    from steward.accounts.selectors import organisations_where

    return {o.pk for o in organisations_where(user=user, roles=REFERRAL_ROLES)}


@rules.predicate
def receives_referrals(user) -> bool:
    return bool(referral_organisation_ids(user))


@rules.predicate
def receives_referral(user, decision) -> bool:
    """The referral went to an organisation where the user receives referrals, and the
    concern is not about the user (a chair or chief executive can be its subject)."""
    if decision is None or decision.referred_to_id not in referral_organisation_ids(user):
        return False
    subject = decision.concern.subject_registrant
    return subject is None or subject.user_id != user.pk


rules.add_perm("concerns.see_own_concerns", rules.is_authenticated)
rules.add_perm("concerns.read_concern", is_concerns_team)
rules.add_perm("concerns.message_reporter", is_concerns_team)
rules.add_perm("concerns.use_queue", is_concerns_team)
rules.add_perm("concerns.assign", is_concerns_team)
rules.add_perm("concerns.add_staff_note", is_concerns_team)
rules.add_perm("concerns.triage", is_concerns_team)
rules.add_perm("concerns.read_identity", is_concerns_team)
rules.add_perm("concerns.read_files", is_concerns_team)
rules.add_perm("concerns.review_detriment", is_concerns_team)
rules.add_perm("concerns.request_reveal", is_concerns_team)
rules.add_perm("concerns.decide_reveal", is_custodian)
rules.add_perm("concerns.see_urgent_flags", is_registrar)
rules.add_perm("concerns.use_referrals", receives_referrals)
rules.add_perm("concerns.read_referral", receives_referral)
