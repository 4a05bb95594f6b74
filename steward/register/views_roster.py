"""Pages for an employer's board and senior manager roster.

An employer at one organisation goes straight to its roster; someone holding
employer roles at several organisations picks one (``?organisation=<ODS code>``).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from steward.audit.services import audit_record_view
from steward.core.formatting import uk_date
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required
from steward.organisations.presenters import pagination
from steward.register import disciplinary, roster
from steward.register.forms_roster import DisciplinaryActionForm, RoleEndForm, RosterAddForm
from steward.register.models import CareerRole, Registrant
from steward.register.public import status_tag

PAST_PAGE_SIZE = 50


def roster_url(organisation, name: str = "roster:list") -> str:
    return f"{reverse(name)}?{urlencode({'organisation': organisation.ods_code})}"


def employer_organisation_required(view):
    """Signed-in employers only, for one of their organisations.

    The organisation comes from ``?organisation=<ODS code>``, or is the only one
    they hold an employer role at; with several and none chosen they are asked
    to choose. An organisation that is not theirs is refused (403), whether or
    not it exists.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        organisations = roster.employer_organisations(user=request.user)
        if not organisations:
            raise PermissionDenied
        code = (request.GET.get("organisation") or "").strip().upper()
        if code:
            organisation = next((o for o in organisations if o.ods_code == code), None)
        elif len(organisations) == 1:
            organisation = organisations[0]
        else:
            return render(
                request,
                "register/roster/choose.jinja",
                {
                    "choices": [
                        {
                            "organisation": o,
                            "href": f"{request.path}?{urlencode({'organisation': o.ods_code})}",
                        }
                        for o in organisations
                    ]
                },
            )
        if organisation is None or not request.user.has_perm(
            "register.manage_roster", organisation
        ):
            raise PermissionDenied
        return view(request, organisation, *args, **kwargs)

    return wrapped


@require_GET
@employer_organisation_required
def roster_list(request, organisation):
    groups = roster.roster_current(organisation=organisation)
    current_people = {role.registrant_id for group in groups for role in group.roles}
    page = Paginator(roster.roster_past(organisation=organisation), PAST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "register/roster/list.jinja",
        {
            "organisation": organisation,
            "groups": groups,
            "current_count": sum(len(group.roles) for group in groups),
            "current_people": current_people,
            "past": page,
            "past_pagination": pagination(request, page),
            "status_tag": status_tag,
            "several_organisations": len(roster.employer_organisations(user=request.user)) > 1,
            "add_url": roster_url(organisation, "roster:add"),
        },
    )


@require_http_methods(["GET", "POST"])
@employer_organisation_required
def member_add(request, organisation):
    form = RosterAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            role = roster.roster_member_add(
                organisation=organisation,
                actor=request.user,
                title=data["title"],
                category=data["category"],
                start_date=data["start_date"],
                is_interim=data["is_interim"] == "yes",
                registration_number=(
                    data["registration_number"] if data["on_register"] == "yes" else None
                ),
                new_person=form.new_person(),
                employee_number=data["employee_number"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{role.registrant.display_name} ({role.registrant.registration_number}) "
                f"added to the roster as {role.title}.",
            )
            return redirect(roster_url(organisation))
    return render(
        request,
        "register/roster/add.jinja",
        {"form": form, "organisation": organisation, "back_url": roster_url(organisation)},
    )


def _role_organisation(request, pk):
    """The organisation whose roster holds the role; the role is kept for the view."""
    request.roster_role = get_object_or_404(
        CareerRole.objects.select_related("registrant", "organisation"), pk=pk
    )
    return request.roster_role.organisation


@require_http_methods(["GET", "POST"])
@permission_required("register.manage_roster", fn=_role_organisation)
def role_end(request, pk):
    role = request.roster_role
    form = RoleEndForm(request.POST or None, role=role)
    if request.method == "POST" and form.is_valid():
        try:
            roster.roster_role_end(
                role=role,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                **form.changes(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{role.registrant.display_name}'s role as {role.title} "
                f"ends on {uk_date(form.cleaned_data['end_date'])}.",
            )
            return redirect(roster_url(role.organisation))
    return render(
        request,
        "register/roster/end.jinja",
        {"form": form, "role": role, "back_url": roster_url(role.organisation)},
    )


@require_GET
def person_detail(request, registration_number):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not roster.employer_organisations(user=request.user):
        raise PermissionDenied
    try:
        record = roster.roster_person_get(
            user=request.user, registration_number=registration_number
        )
    except Registrant.DoesNotExist as exc:
        raise Http404("No one you employ has that registration number.") from exc
    if not request.user.has_perm("register.view_full_record", record.registrant):
        raise Http404("No one you employ has that registration number.")
    recording, actions = disciplinary.disciplinary_seen_by(
        user=request.user,
        registrant=record.registrant,
        organisation_ids={role.organisation_id for role in record.roles_here},
    )
    fields = [*record.restricted_fields, *(["disciplinary_actions"] if actions else [])]
    audit_record_view(
        actor=request.user,
        subject=record.registrant,
        fields=fields,
        reason="employer viewed the full record of someone on their roster",
    )
    record_url = reverse(
        "roster:disciplinary",
        kwargs={"registration_number": record.registrant.registration_number},
    )
    return render(
        request,
        "register/roster/person.jinja",
        {
            "record": record,
            "registrant": record.registrant,
            "status_tag": status_tag,
            "back_url": roster_url(record.current_roles_here[0].organisation),
            "disciplinary_actions": actions,
            "show_disciplinary": bool(recording),
            "disciplinary_links": [
                {
                    "href": f"{record_url}?{urlencode({'organisation': org.ods_code})}",
                    "text": "Record disciplinary action"
                    + (f" at {org.name}" if len(recording) > 1 else ""),
                }
                for org in recording
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@employer_organisation_required
def disciplinary_record(request, organisation, registration_number):
    """Record formal action against someone who holds or held a role here. The page
    says the same whatever the regulator knows about them."""
    if not disciplinary.may_record(user=request.user, organisation=organisation):
        raise PermissionDenied
    try:
        registrant = disciplinary.disciplinary_subject_get(
            organisation=organisation, registration_number=registration_number
        )
    except Registrant.DoesNotExist as exc:
        raise Http404("No one on your roster has that registration number.") from exc
    if request.user.has_perm("register.view_full_record", registrant):
        back_url = reverse(
            "roster:person", kwargs={"registration_number": registrant.registration_number}
        )
        back_text = f"Back to {registrant.display_name}"
    else:
        back_url, back_text = roster_url(organisation), "Back to the roster"
    form = DisciplinaryActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            disciplinary.disciplinary_action_record(
                registrant=registrant,
                organisation=organisation,
                kind=data["kind"],
                started_on=data["started_on"],
                summary=data["summary"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Disciplinary action recorded for {registrant.display_name} "
                f"({registrant.registration_number}).",
            )
            return redirect(back_url)
    return render(
        request,
        "register/roster/disciplinary.jinja",
        {
            "form": form,
            "registrant": registrant,
            "organisation": organisation,
            "back_url": back_url,
            "back_text": back_text,
        },
    )
