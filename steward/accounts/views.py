"""Home pages, role descriptions, and people management for administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from steward.accounts import selectors, services
from steward.accounts.forms import PeopleSearchForm, RoleGrantForm, RoleRevokeForm
from steward.accounts.models import RoleAssignment
from steward.accounts.roles import ROLES, ROLES_BY_SLUG, SCOPE_DESCRIPTIONS, Group
from steward.audit.services import audit_record_view
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required


@require_GET
@login_required
def home(request):
    return render(
        request,
        "accounts/home.jinja",
        {"sections": selectors.home_sections(user=request.user)},
    )


@require_GET
def role_list(request):
    groups = [(group, [r for r in ROLES if r.group is group]) for group in Group]
    return render(request, "accounts/role_list.jinja", {"groups": groups})


@require_GET
def role_detail(request, slug):
    role = ROLES_BY_SLUG.get(slug)
    if role is None:
        raise Http404("No such role.")
    return render(
        request,
        "accounts/role_detail.jinja",
        {"role": role, "scope_text": SCOPE_DESCRIPTIONS[role.scope]},
    )


@require_GET
@permission_required("accounts.view_people")
def people_list(request):
    form = PeopleSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    paginator = Paginator(selectors.people_search(viewer=request.user, q=q), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "accounts/people_list.jinja", {"form": form, "page": page, "q": q})


@require_http_methods(["GET", "POST"])
@permission_required("accounts.view_people")
def person_detail(request, pk):
    person = selectors.person_get(viewer=request.user, pk=pk)
    can_manage = request.user.has_perm("accounts.manage_roles")
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = RoleGrantForm(request.POST or None) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.role_grant(
                user=person,
                role=data["role"],
                organisation=data["organisation"],
                region=data["region"],
                panel_category=data["panel_category"],
                actor=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{ROLES_BY_SLUG[data['role']].name} role given to {person}.")
            return redirect("person", pk=person.pk)
    # The email address is contact data: record that an administrator saw it.
    audit_record_view(actor=request.user, subject=person, fields=["email"], reason="people page")
    return render(
        request,
        "accounts/person_detail.jinja",
        {"person": person, "form": form, "can_manage": can_manage},
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts.manage_roles")
def role_revoke(request, pk, assignment_pk):
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "organisation", "region"),
        pk=assignment_pk,
        user_id=pk,
        revoked_at__isnull=True,
    )
    form = RoleRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_revoke(
                assignment=assignment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{assignment} role taken away from {assignment.user}.")
            return redirect("person", pk=pk)
    return render(request, "accounts/role_revoke.jinja", {"assignment": assignment, "form": form})
