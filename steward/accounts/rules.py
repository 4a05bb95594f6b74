"""Who may do what with people and roles. Deny by default: a permission not
registered here is refused for everyone (superusers aside, who use the Django
admin site only)."""

import rules

from steward.accounts.roles import EMPLOYER_ROLES, REGULATOR_ROLES


def _roles(user) -> set[str]:
    from steward.accounts.selectors import roles_held

    if not user.is_authenticated:
        return set()
    return roles_held(user=user)


def has_role(slug: str) -> rules.Predicate:
    @rules.predicate(name=f"has_role:{slug}")
    def predicate(user) -> bool:
        return slug in _roles(user)

    return predicate


@rules.predicate
def is_regulator_staff(user) -> bool:
    return bool(_roles(user) & REGULATOR_ROLES)


@rules.predicate
def is_employer(user) -> bool:
    return bool(_roles(user) & EMPLOYER_ROLES)


@rules.predicate
def is_employer_at(user, organisation) -> bool:
    """Holds a current employer role at exactly this organisation."""
    from steward.accounts.selectors import current_assignments

    if organisation is None or not user.is_authenticated:
        return False
    return any(
        a.role in EMPLOYER_ROLES and a.organisation_id == organisation.pk
        for a in current_assignments(user=user)
    )


@rules.predicate
def is_self(user, other) -> bool:
    return other is not None and user.is_authenticated and user.pk == other.pk


is_administrator = has_role("administrator")
is_auditor = has_role("auditor")

# Employers look up the people who hold roles at their organisation; which
# people is decided by User.objects.visible_to().
rules.add_perm("accounts.view_people", is_administrator | is_employer)
rules.add_perm("accounts.manage_roles", is_administrator)
rules.add_perm("accounts.view_own_home", rules.is_authenticated)
