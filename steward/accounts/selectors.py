"""Reads about people and roles, scoped to what the caller may see."""

from steward.accounts.models import RoleAssignment, User
from steward.accounts.roles import ROLES_BY_SLUG, RoleInfo


def current_assignments(*, user: User) -> list[RoleAssignment]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_current_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.current()
            .filter(user=user)
            .select_related("organisation", "region")
            .order_by("role", "id")
        )
        user._current_assignments = cached
    return cached


def organisations_where(*, user, roles) -> list:
    """The organisations where the user holds any of ``roles`` now, by name."""
    if not user.is_authenticated:
        return []
    found = {
        a.organisation_id: a.organisation
        for a in current_assignments(user=user)
        if a.role in roles and a.organisation_id is not None
    }
    return sorted(found.values(), key=lambda org: (org.name, org.ods_code))


def role_holders(roles, *, organisation=None, region=None, exclude=None) -> list[User]:
    """Active people holding any of ``roles`` (one slug or several) now, at
    ``organisation`` or in ``region`` when given, less ``exclude`` (a person), by name."""
    wanted = [roles] if isinstance(roles, str) else list(roles)
    assignments = RoleAssignment.objects.current().filter(role__in=wanted)
    if organisation is not None:
        assignments = assignments.filter(organisation=organisation)
    if region is not None:
        assignments = assignments.filter(region=region)
    people = User.objects.filter(pk__in=assignments.values("user_id"), is_active=True)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people.order_by("full_name", "pk"))


def roles_held(*, user: User) -> set[str]:
    return {a.role for a in current_assignments(user=user)}


def role_infos_held(*, user: User) -> list[RoleInfo]:
    return [ROLES_BY_SLUG[slug] for slug in sorted(roles_held(user=user))]


def navigation_for(*, user, path: str) -> list[dict]:
    """The header navigation: public pages for everyone, role tasks for signed-in people."""
    from django.urls import reverse

    items: list[tuple[str, str]] = []
    if user.is_authenticated:
        items.append(("Home", reverse("home")))
    items.append(("Register", reverse("register:search")))
    items.append(("Organisations", reverse("organisations:list")))
    items.append(("Standards", reverse("standards:current")))
    items.append(("Raise a concern", reverse("concerns:start")))
    for info in role_infos_held(user=user):
        for task in info.tasks:
            if task.nav_label and task.url_name:
                item = (task.nav_label, reverse(task.url_name))
                if item not in items:
                    items.append(item)
    # The longest matching address is the current one (/concerns/queue/ and not also
    # /concerns/ when the caseworker is in the queue).
    best = max((href for _, href in items if path.startswith(href)), key=len, default=None)
    return [{"text": text, "href": href, "current": href == best} for text, href in items]


def home_sections(*, user: User) -> list[dict]:
    """One section per role held now, with where it is held and what it can do."""
    sections = []
    for assignment in current_assignments(user=user):
        info = ROLES_BY_SLUG[assignment.role]
        where = assignment.organisation or assignment.region
        title = info.name
        if assignment.panel_category:
            title = f"{info.name} ({assignment.get_panel_category_display().lower()})"
        sections.append(
            {
                "role": info,
                "title": title,
                "where": str(where.name) if where else "",
                "organisation": assignment.organisation,
                "tasks": [t for t in info.tasks if t.url_name],
                "responsibilities": info.responsibilities,
            }
        )
    return sections


def people_search(*, viewer: User, q: str = ""):
    from django.db.models import Prefetch, Q

    people = User.objects.visible_to(viewer).order_by("full_name", "email")
    q = q.strip()
    if q:
        people = people.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    return people.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.current().select_related("organisation", "region"),
            to_attr="current_roles",
        )
    )


def person_get(*, viewer: User, pk: int) -> User:
    from django.db.models import Prefetch
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        User.objects.visible_to(viewer).prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related(
                    "organisation", "region", "granted_by", "revoked_by"
                ).order_by("-granted_at"),
                to_attr="all_roles",
            )
        ),
        pk=pk,
    )
