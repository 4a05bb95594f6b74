"""Pages for appointments (/appointments/) and references (/references/, and the
person's own at /my-record/references/).

Someone who is chair, chief executive or HR lead at one organisation goes
straight to it; someone at several chooses (``?organisation=<ODS code>``).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from steward.audit.services import audit_record_view
from steward.core.formatting import uk_date
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required
from steward.organisations.models import Organisation
from steward.organisations.presenters import pagination
from steward.references import presenters, selectors, services
from steward.references.forms import ProposeForm, ReferenceForm, StartForm, WithdrawForm
from steward.references.models import (
    Appointment,
    AppointmentStatus,
    BoardMemberReference,
    ReferenceRequest,
    RequestStatus,
)
from steward.references.pdf import reference_pdf
from steward.references.rules import holds_role_at, reference_organisations
from steward.references.vetting import appointment_review, appointments_vet
from steward.register.public import status_tag

PAGE_SIZE = 50


def _with_organisation(url: str, organisation) -> str:
    return f"{url}?{urlencode({'organisation': organisation.ods_code})}"


def appointments_url(organisation) -> str:
    return _with_organisation(reverse("references:appointments"), organisation)


def requests_url(organisation) -> str:
    return _with_organisation(reverse("references:requests"), organisation)


def organisation_required(perm: str, question: str):
    """The organisation the page is for: chosen, or the only one the user can use."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            ids = reference_organisations(request.user)
            if not ids:
                raise PermissionDenied
            organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
            code = (request.GET.get("organisation") or "").strip().upper()
            if code:
                organisation = next((o for o in organisations if o.ods_code == code), None)
            elif len(organisations) == 1:
                organisation = organisations[0]
            else:
                return render(
                    request,
                    "references/choose.jinja",
                    {
                        "question": question,
                        "choices": [
                            {
                                "organisation": o,
                                "href": _with_organisation(request.path, o),
                            }
                            for o in organisations
                        ],
                    },
                )
            if organisation is None or not request.user.has_perm(perm, organisation):
                raise PermissionDenied
            request.several_organisations = len(organisations) > 1
            return view(request, organisation, *args, **kwargs)

        return wrapped

    return decorator


# --- Appointments -------------------------------------------------------------------


@require_GET
@organisation_required(
    "references.manage_appointments", "Which organisation’s appointments do you want to see?"
)
def appointment_list(request, organisation):
    page = Paginator(selectors.appointments_for(organisation=organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    appointments = list(page.object_list)
    vettings = appointments_vet(appointments=appointments)
    rows = [
        {
            "appointment": a,
            "status_tag": presenters.appointment_status_tag(a.status),
            "vetting_tags": presenters.vetting_tags(vettings[a.pk], status=a.status),
        }
        for a in appointments
    ]
    return render(
        request,
        "references/appointments.jinja",
        {
            "organisation": organisation,
            "rows": rows,
            "page": page,
            "page_pagination": pagination(request, page),
            "several_organisations": request.several_organisations,
            "propose_url": _with_organisation(
                reverse("references:appointment_propose"), organisation
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@organisation_required(
    "references.manage_appointments", "Which organisation is making the appointment?"
)
def appointment_propose(request, organisation):
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = services.appointment_propose(
                organisation=organisation,
                registration_number=data["registration_number"],
                role_title=data["role_title"],
                role_category=data["role_category"],
                proposed_start_date=data["proposed_start_date"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Appointment of {appointment.registrant.display_name} as "
                f"{appointment.role_title} proposed. Check the vetting below.",
            )
            return redirect("references:appointment", pk=appointment.pk)
    return render(
        request,
        "references/propose.jinja",
        {"form": form, "organisation": organisation, "back_url": appointments_url(organisation)},
    )


def _appointment(request, pk):
    try:
        request.appointment = selectors.appointment_get(pk=pk)
    except Appointment.DoesNotExist:
        raise Http404 from None
    return request.appointment


def _start_form(request, appointment, review, data=None):
    references_missing = bool(review.vetting.reference_findings)
    allow_override = references_missing and request.user.has_perm(
        "references.record_override", appointment
    )
    return StartForm(data, allow_override=allow_override)


@require_http_methods(["GET", "POST"])
@permission_required("references.view_appointment", fn=_appointment)
def appointment_detail(request, pk):
    appointment = request.appointment
    review = appointment_review(appointment=appointment)
    form = None
    if appointment.status == AppointmentStatus.PROPOSED and not review.vetting.blocking:
        form = _start_form(request, appointment, review, request.POST or None)
    if request.method == "POST":
        if form is None:
            messages.error(request, "This appointment cannot start: see the vetting.")
            return redirect("references:appointment", pk=appointment.pk)
        if form.is_valid():
            try:
                services.appointment_start(
                    appointment=appointment,
                    start_date=form.cleaned_data["start_date"],
                    override_reason=form.cleaned_data.get("override_reason", ""),
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{appointment.registrant.display_name} starts as {appointment.role_title} "
                    f"on {uk_date(form.cleaned_data['start_date'])}.",
                )
                return redirect("references:appointment", pk=appointment.pk)
    references = selectors.references_for_appointment(appointment=appointment)
    received = {r.request_id: r for r in references}
    coverage = [
        {
            "row": row,
            "tag": presenters.request_state_tag(row.state),
            "reference": received.get(row.request.pk) if row.request else None,
        }
        for row in review.coverage
    ]
    return render(
        request,
        "references/appointment.jinja",
        {
            "appointment": appointment,
            "person": appointment.registrant,
            "vetting": review.vetting,
            "coverage": coverage,
            "to_request": len(review.to_request),
            "form": form,
            "status_tag": presenters.appointment_status_tag(appointment.status),
            "register_status_tag": status_tag(appointment.registrant.status),
            "back_url": appointments_url(appointment.organisation),
            "is_proposed": appointment.status == AppointmentStatus.PROPOSED,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("references.view_appointment", fn=_appointment)
def appointment_request_references(request, pk):
    appointment = request.appointment
    review = appointment_review(appointment=appointment)
    error = None
    if request.method == "POST":
        try:
            created = services.reference_requests_create(
                appointment=appointment, actor=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            count = len(created)
            messages.success(
                request,
                "No new requests were needed."
                if not count
                else f"References requested from {count} "
                f"{'employer' if count == 1 else 'employers'}.",
            )
            return redirect("references:appointment", pk=appointment.pk)
    return render(
        request,
        "references/request_references.jinja",
        {
            "appointment": appointment,
            "rows": review.to_request,
            "error": error,
            "can_request": appointment.status == AppointmentStatus.PROPOSED,
            "back_url": reverse("references:appointment", kwargs={"pk": appointment.pk}),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("references.view_appointment", fn=_appointment)
def appointment_withdraw(request, pk):
    appointment = request.appointment
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_withdraw(
                appointment=appointment, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The appointment was withdrawn.")
            return redirect(appointments_url(appointment.organisation))
    return render(
        request,
        "references/withdraw.jinja",
        {
            "form": form,
            "appointment": appointment,
            "can_withdraw": appointment.status == AppointmentStatus.PROPOSED,
            "back_url": reverse("references:appointment", kwargs={"pk": appointment.pk}),
        },
    )


# --- References -----------------------------------------------------------------------


@require_GET
@organisation_required(
    "references.give_references", "Which organisation’s references do you want to see?"
)
def reference_list(request, organisation):
    owed = list(selectors.requests_owed(organisation=organisation, viewer=request.user)[:200])
    given_page = Paginator(
        selectors.references_given(organisation=organisation), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    given = [
        {
            "reference": r,
            "update_refusal": services.reference_update_allowed(reference=r),
            "reason": presenters.request_reason(r.request) if r.request else "",
        }
        for r in given_page.object_list
    ]
    received = list(selectors.references_received(organisation=organisation)[:200])
    return render(
        request,
        "references/list.jinja",
        {
            "organisation": organisation,
            "owed": [{"request": r, "reason": presenters.request_reason(r)} for r in owed],
            "given": given,
            "given_page": given_page,
            "given_pagination": pagination(request, given_page),
            "received": received,
            "several_organisations": request.several_organisations,
            "period_text": presenters.period_text,
        },
    )


def _reference_request(request, pk):
    try:
        request.reference_request = selectors.request_get(pk=pk)
    except ReferenceRequest.DoesNotExist:
        raise Http404 from None
    return request.reference_request


def _allow_on_behalf(user, organisation) -> bool:
    return holds_role_at(user, "hr_lead", organisation.pk)


@require_http_methods(["GET", "POST"])
@permission_required("references.complete_request", fn=_reference_request)
def reference_complete(request, pk):
    reference_request = request.reference_request
    organisation = reference_request.referee_organisation
    form = ReferenceForm(
        request.POST or None, allow_on_behalf=_allow_on_behalf(request.user, organisation)
    )
    is_open = reference_request.status == RequestStatus.REQUESTED
    if request.method == "POST" and is_open and form.is_valid():
        try:
            reference = services.reference_complete(
                request=reference_request,
                answers=form.answers(),
                **form.referee(),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Reference given. The organisation that asked has been told.")
            return redirect("references:reference", pk=reference.pk)
    return render(
        request,
        "references/complete.jinja",
        {
            "form": form,
            "reference_request": reference_request,
            "person": reference_request.registrant,
            "reason": presenters.request_reason(reference_request),
            "period": presenters.period_text(
                reference_request.period_start, reference_request.period_end
            ),
            "is_open": is_open,
            "heading": "Give a board member reference",
            "button_text": "Give the reference",
            "back_url": requests_url(organisation),
            "back_text": "Back to references",
        },
    )


def _reference(request, pk):
    try:
        request.reference = selectors.reference_get(pk=pk)
    except BoardMemberReference.DoesNotExist:
        raise Http404 from None
    return request.reference


def _record_view(request, reference, how: str) -> None:
    audit_record_view(
        actor=request.user,
        subject=reference,
        fields=presenters.restricted_fields(reference),
        reason=how,
    )


def _back_for_reference(request, reference) -> tuple[str, str]:
    user = request.user
    mine = reference.registrant.user_id == user.pk
    if reference.referee_organisation_id in reference_organisations(user):
        return requests_url(reference.referee_organisation), "Back to references"
    req = reference.request
    if req is not None and req.appointment_id:
        return (
            reverse("references:appointment", kwargs={"pk": req.appointment_id}),
            "Back to the appointment",
        )
    if mine:
        return reverse("references:mine"), "Back to your references"
    return reverse("home"), "Back"


@require_GET
@permission_required("references.view_reference", fn=_reference)
def reference_detail(request, pk):
    reference = request.reference
    try:
        update = reference.superseded_by
    except BoardMemberReference.DoesNotExist:
        update = None
    _record_view(request, reference, "viewed a board member reference")
    back_url, back_text = _back_for_reference(request, reference)
    can_update = request.user.has_perm("references.update_reference", reference)
    return render(
        request,
        "references/reference.jinja",
        {
            "reference": reference,
            "person": reference.registrant,
            "answers": presenters.answer_rows(reference),
            "reason": presenters.request_reason(reference.request) if reference.request else "",
            "update": update,
            "update_refusal": services.reference_update_allowed(reference=reference)
            if can_update
            else None,
            "can_update": can_update,
            "back_url": back_url,
            "back_text": back_text,
        },
    )


@require_GET
@permission_required("references.view_reference", fn=_reference)
def reference_download(request, pk):
    reference = request.reference
    _record_view(request, reference, "downloaded a board member reference as a PDF")
    content = reference_pdf(reference=reference)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"reference-{reference.registrant.registration_number}-{reference.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@permission_required("references.update_reference", fn=_reference)
def reference_update(request, pk):
    reference = request.reference
    refusal = services.reference_update_allowed(reference=reference)
    organisation = reference.referee_organisation
    form = ReferenceForm(
        request.POST or None,
        initial=ReferenceForm.initial_from(reference),
        allow_on_behalf=_allow_on_behalf(request.user, organisation),
    )
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            update = services.reference_update_issue(
                reference=reference,
                answers=form.answers(),
                **form.referee(),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Update issued. The organisation that asked has been told.")
            return redirect("references:reference", pk=update.pk)
    if request.method == "GET" and refusal is None:
        _record_view(request, reference, "opened a board member reference to update it")
    return render(
        request,
        "references/complete.jinja",
        {
            "form": form,
            "reference_request": reference.request,
            "person": reference.registrant,
            "reason": presenters.request_reason(reference.request) if reference.request else "",
            "period": "",
            "is_open": refusal is None,
            "refusal": refusal,
            "updating": reference,
            "heading": "Issue an update to a board member reference",
            "button_text": "Issue the update",
            "back_url": reverse("references:reference", kwargs={"pk": reference.pk}),
            "back_text": "Back to the reference",
        },
    )


@require_GET
@permission_required("references.view_own_references")
def my_references(request):
    from steward.register.selectors import own_registrant_id

    registrant_id = own_registrant_id(user=request.user)
    references = []
    if registrant_id is not None:
        references = list(selectors.references_about(registrant=registrant_id)[:500])
    return render(
        request,
        "references/mine.jinja",
        {
            "references": [
                {
                    "reference": r,
                    "reason": presenters.request_reason(r.request) if r.request else "",
                }
                for r in references
            ],
            "has_record": registrant_id is not None,
        },
    )
