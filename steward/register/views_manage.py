"""Signed-in pages of the register: the registrant's own record and the registrar's work.

Views stay thin: they check the permission, parse the form, call a service
(applications, merging, services) or a selector, and render. Every page that
shows restricted data records the view in the audit trail.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from steward.audit.services import audit_record_view
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required
from steward.fitness.selectors import fitness_outcomes_for
from steward.register import selectors, services
from steward.register.applications import (
    application_decide,
    application_submit,
    application_validate,
    previous_names_parse,
)
from steward.register.forms_manage import (
    ApplicationDecisionForm,
    ApplicationForm,
    ContactDetailsForm,
    MergeConfirmForm,
    MergeFindForm,
    QualificationDecisionForm,
    QualificationForm,
    RecordSearchForm,
    StatusChangeForm,
)
from steward.register.merging import merge_problem, registrant_merge
from steward.register.models import (
    ApplicationStatus,
    Qualification,
    QualificationStatus,
    RegistrationApplication,
)

PAGE_SIZE = 50
DRAFT_KEY = "register_application_draft"


def _own_record_or_none(request, **_kwargs):
    return selectors.own_registrant(user=request.user)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- The registrant ----------------------------------------------------------


@require_GET
@permission_required("register.keep_own_record")
def my_record(request):
    registrant = selectors.own_registrant(user=request.user)
    application = None
    if registrant is not None:
        audit_record_view(
            actor=request.user,
            subject=registrant,
            fields=selectors.FULL_RECORD_RESTRICTED_FIELDS,
            reason="viewed their own record",
        )
    else:
        application = selectors.own_latest_application(user=request.user)
    return render(
        request,
        "register/manage/my_record.jinja",
        {
            "registrant": registrant,
            "application": application,
            "fitness_outcomes": fitness_outcomes_for(registrant=registrant) if registrant else [],
            "can_apply": registrant is None
            and (application is None or application.status == ApplicationStatus.REFUSED),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("register.keep_own_record")
def my_contact(request):
    registrant = selectors.own_registrant(user=request.user)
    if registrant is None or not request.user.has_perm("register.edit_own_record", registrant):
        return redirect("register_manage:my_record")
    form = ContactDetailsForm(
        request.POST or None,
        initial={
            "email": registrant.email,
            "phone": registrant.phone,
            "address": registrant.address,
            "version": registrant.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.registrant_update(
                registrant=registrant,
                expected_version=data["version"],
                changes={
                    "email": data["email"].strip().lower(),
                    "phone": data["phone"].strip(),
                    "address": data["address"].strip(),
                },
                actor=request.user,
                reason="Updated their own contact details",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your contact details were saved.")
            return redirect("register_manage:my_record")
    audit_record_view(
        actor=request.user,
        subject=registrant,
        fields=["address", "email", "phone"],
        reason="changing their own contact details",
    )
    return render(request, "register/manage/my_contact.jinja", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("register.keep_own_record")
def my_qualification_add(request):
    registrant = selectors.own_registrant(user=request.user)
    if registrant is None or not request.user.has_perm("register.edit_own_record", registrant):
        return redirect("register_manage:my_record")
    form = QualificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.qualification_add(
                registrant=registrant, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Your qualification was added. The registrar will check it; it appears on "
                "the public register once verified.",
            )
            return redirect("register_manage:my_record")
    return render(request, "register/manage/my_qualification_add.jinja", {"form": form})


def _may_apply(request) -> bool:
    if selectors.own_registrant_id(user=request.user) is not None:
        return False
    latest = selectors.own_latest_application(user=request.user)
    return latest is None or latest.status == ApplicationStatus.REFUSED


@require_http_methods(["GET", "POST"])
@permission_required("register.keep_own_record")
def my_apply(request):
    if not _may_apply(request):
        return redirect("register_manage:my_record")
    draft = request.session.get(DRAFT_KEY) or {}
    form = ApplicationForm(
        request.POST or None, initial=ApplicationForm.initial_from_session(draft) if draft else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            application_validate(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[DRAFT_KEY] = form.as_session()
            return redirect("register_manage:my_apply_check")
    return render(request, "register/manage/my_apply.jinja", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("register.keep_own_record")
def my_apply_check(request):
    if not _may_apply(request):
        return redirect("register_manage:my_record")
    draft = request.session.get(DRAFT_KEY)
    answers = ApplicationForm.initial_from_session(draft or {})
    if not draft or not isinstance(answers.get("date_of_birth"), dt.date):
        return redirect("register_manage:my_apply")
    errors: list[dict] = []
    if request.method == "POST":
        try:
            application_submit(applicant=request.user, **answers)
        except ValidationError as error:
            errors = [{"text": message} for message in error.messages]
        else:
            request.session.pop(DRAFT_KEY, None)
            messages.success(
                request,
                "Your application was sent. The registrar will decide it; you will see the "
                "decision here.",
            )
            return redirect("register_manage:my_record")
    return render(
        request,
        "register/manage/my_apply_check.jinja",
        {
            "answers": answers,
            "previous_names": previous_names_parse(answers.get("previous_names", "")),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# --- The registrar -----------------------------------------------------------


@require_GET
@permission_required("register.decide_applications")
def registrar_home(request):
    return render(
        request,
        "register/manage/registrar_home.jinja",
        {"counts": selectors.registrar_queue_counts(), "search_form": RecordSearchForm()},
    )


@require_GET
@permission_required("register.decide_applications")
def application_list(request):
    return render(
        request,
        "register/manage/application_list.jinja",
        {
            "page": _page(request, selectors.applications_waiting()),
            "decided": list(selectors.applications_decided()[:20]),
        },
    )


def _application_or_404(pk: int) -> RegistrationApplication:
    try:
        return selectors.application_get(pk=pk)
    except RegistrationApplication.DoesNotExist:
        raise Http404("No such application.") from None


@require_http_methods(["GET", "POST"])
@permission_required("register.decide_applications")
def application_detail(request, pk):
    application = _application_or_404(pk)
    waiting = application.status == ApplicationStatus.SUBMITTED
    form = ApplicationDecisionForm(request.POST or None) if waiting else None
    if request.method == "POST":
        if form is None:
            messages.info(request, "This application was already decided.")
            return redirect("register_manage:application", pk=pk)
        if form.is_valid():
            try:
                decided = application_decide(
                    application=application,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if decided.registrant:
                    messages.success(
                        request,
                        f"{decided.legal_forenames} {decided.legal_surname} is on the register "
                        f"as {decided.registrant.registration_number}.",
                    )
                else:
                    messages.success(
                        request, "The application was refused. The applicant can see your reasons."
                    )
                return redirect("register_manage:applications")
    audit_record_view(
        actor=request.user,
        subject=application,
        fields=selectors.APPLICATION_RESTRICTED_FIELDS,
        reason="deciding an application to join the register",
    )
    return render(
        request,
        "register/manage/application_detail.jinja",
        {
            "application": application,
            "previous_names": previous_names_parse(application.previous_names),
            "duplicates": selectors.possible_duplicates(application=application) if waiting else [],
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_GET
@permission_required("register.verify_qualifications")
def qualification_list(request):
    return render(
        request,
        "register/manage/qualification_list.jinja",
        {"page": _page(request, selectors.qualifications_waiting())},
    )


@require_http_methods(["GET", "POST"])
@permission_required("register.verify_qualifications")
def qualification_detail(request, pk):
    try:
        qualification = selectors.qualification_get(pk=pk)
    except Qualification.DoesNotExist:
        raise Http404("No such qualification.") from None
    waiting = qualification.status == QualificationStatus.PENDING
    form = QualificationDecisionForm(request.POST or None) if waiting else None
    if request.method == "POST":
        if form is None:
            messages.info(request, "This qualification was already decided.")
            return redirect("register_manage:qualification", pk=pk)
        if form.is_valid():
            try:
                decided = services.qualification_decide(
                    qualification=qualification,
                    verified=form.cleaned_data["decision"] == "verified",
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, f"{decided.title}: {decided.get_status_display().lower()}."
                )
                return redirect("register_manage:qualifications")
    return render(
        request,
        "register/manage/qualification_detail.jinja",
        {"qualification": qualification, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@require_GET
@permission_required("register.search_previous_names")
def record_search(request):
    form = RecordSearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = None
    if q:
        try:
            number = max(1, int(request.GET.get("page", 1)))
        except (TypeError, ValueError):
            number = 1
        page = selectors.registrar_search(q=q, page=min(number, 200), page_size=PAGE_SIZE)
    return render(
        request,
        "register/manage/record_search.jinja",
        {"form": form, "q": q, "page": page},
        status=400 if form.errors else 200,
    )


def _record_for(request, registration_number):
    """The record a number names, for the permission check (None: not found)."""
    return selectors.registrant_by_number(registration_number=registration_number)


def _merged_redirect(registrant, view_name: str):
    survivor = selectors.registrant_resolve(registration_number=registrant.registration_number)
    return redirect(
        f"register_manage:{view_name}", registration_number=survivor.registration_number
    )


@require_http_methods(["GET", "POST"])
@permission_required("register.use_registrar_pages")
@permission_required("register.view_full_record", fn=_record_for)
def record_detail(request, registration_number):
    found = _record_for(request, registration_number)
    if found is None:
        raise Http404("No record has that registration number.")
    if found.merged_into_id:
        messages.info(
            request,
            f"{found.registration_number} was merged into this record. Its number leads here.",
        )
        return _merged_redirect(found, "record")
    registrant = selectors.registrant_full_record(pk=found.pk)
    can_change_status = request.user.has_perm("register.change_status", registrant)
    form = None
    if can_change_status:
        form = StatusChangeForm(request.POST or None, registrant=registrant)
    if request.method == "POST":
        if form is None:
            raise Http404("Nothing to change here.")
        if form.is_valid():
            try:
                services.register_status_change(
                    registrant=registrant,
                    to_status=form.cleaned_data["to_status"],
                    reason=form.cleaned_data["reason"],
                    effective_on=form.cleaned_data["effective_on"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                registrant.refresh_from_db()
                messages.success(
                    request, f"The status is now {registrant.get_status_display().lower()}."
                )
                return redirect(
                    "register_manage:record", registration_number=registrant.registration_number
                )
    audit_record_view(
        actor=request.user,
        subject=registrant,
        fields=selectors.FULL_RECORD_RESTRICTED_FIELDS,
        reason="registrar viewed the full record",
    )
    return render(
        request,
        "register/manage/record_detail.jinja",
        {
            "registrant": registrant,
            "form": form,
            "fitness_outcomes": fitness_outcomes_for(registrant=registrant),
            "can_merge": request.user.has_perm("register.merge_records", registrant),
        },
        status=400 if form is not None and form.errors else 200,
    )


def _survivor_or_404(registration_number):
    found = selectors.registrant_by_number(registration_number=registration_number)
    if found is None:
        raise Http404("No record has that registration number.")
    return found


@require_http_methods(["GET", "POST"])
@permission_required("register.merge_records")
def record_merge(request, registration_number):
    survivor = _survivor_or_404(registration_number)
    if survivor.merged_into_id:
        return _merged_redirect(survivor, "merge")
    form = MergeFindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate = selectors.registrant_by_number(
            registration_number=form.cleaned_data["duplicate"]
        )
        if duplicate is None:
            form.add_error(
                "duplicate", "No record has that registration number. Check it and try again"
            )
        else:
            problem = merge_problem(duplicate=duplicate, survivor=survivor)
            if problem:
                form.add_error("duplicate", problem)
            else:
                url = reverse(
                    "register_manage:merge_confirm",
                    kwargs={"registration_number": survivor.registration_number},
                )
                return redirect(f"{url}?duplicate={duplicate.registration_number}")
    return render(
        request,
        "register/manage/record_merge.jinja",
        {"survivor": survivor, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required("register.merge_records")
def record_merge_confirm(request, registration_number):
    survivor = _survivor_or_404(registration_number)
    duplicate = selectors.registrant_by_number(
        registration_number=request.POST.get("duplicate") or request.GET.get("duplicate", "")
    )
    back = reverse(
        "register_manage:merge", kwargs={"registration_number": survivor.registration_number}
    )
    if duplicate is None:
        return redirect(back)
    problem = merge_problem(duplicate=duplicate, survivor=survivor)
    if problem:
        messages.warning(request, problem)
        return redirect(back)
    survivor = selectors.registrant_full_record(pk=survivor.pk)
    duplicate = selectors.registrant_full_record(pk=duplicate.pk)
    form = MergeConfirmForm(
        request.POST or None,
        initial={"duplicate_version": duplicate.version, "survivor_version": survivor.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            registrant_merge(
                duplicate=duplicate,
                survivor=survivor,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                duplicate_version=form.cleaned_data["duplicate_version"],
                survivor_version=form.cleaned_data["survivor_version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{duplicate.registration_number} was merged into this record. "
                "Its number now leads here.",
            )
            return redirect(
                "register_manage:record", registration_number=survivor.registration_number
            )
    for record in (survivor, duplicate):
        audit_record_view(
            actor=request.user,
            subject=record,
            fields=selectors.FULL_RECORD_RESTRICTED_FIELDS,
            reason="registrar comparing records before a merge",
        )
    return render(
        request,
        "register/manage/record_merge_confirm.jinja",
        {"survivor": survivor, "duplicate": duplicate, "form": form, "back": back},
        status=400 if form.errors else 200,
    )
