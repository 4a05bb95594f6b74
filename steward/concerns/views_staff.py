"""Pages for the concerns team (queue, concern page, triage), the employer a concern
was referred to, and the registrar's urgent flags.

The queue lists plain columns only; the concern page opens the report, messages
and notes through services that record each reading.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.concerns import presenters, reveal, selectors, services, triage
from steward.concerns.forms_staff import (
    AssignForm,
    ConductDateForm,
    MessageForm,
    NoteForm,
    TriageForm,
    VersionForm,
)
from steward.concerns.models import ConcernStatus, TriageOutcome
from steward.core import clock
from steward.core.formatting import uk_date
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required
from steward.organisations.presenters import pagination

PAGE_SIZE = 50


def _concern(reference: str):
    concern = selectors.concern_for_staff(reference=reference)
    if concern is None:
        raise Http404("No concern has that reference.")
    return concern


def _detail_url(concern) -> str:
    return reverse("concerns:detail", kwargs={"reference": concern.reference})


# --- The queue ----------------------------------------------------------------------


@require_GET
@permission_required("concerns.use_queue")
def queue(request):
    name = (request.GET.get("filter") or selectors.DEFAULT_FILTER).strip()
    problem = ""
    if name not in selectors.QUEUE_FILTERS:
        problem = "There is no such filter: choose one of the filters below."
        name = selectors.DEFAULT_FILTER
    today = clock.today()
    page = Paginator(selectors.queue(name=name, user=request.user, today=today), PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    counts = selectors.queue_counts(user=request.user, today=today)
    return render(
        request,
        "concerns/staff/queue.jinja",
        {
            "filter_name": name,
            "filter_label": selectors.QUEUE_FILTERS[name],
            "filters": presenters.filter_links(request, counts=counts, current=name),
            "problem": problem,
            "rows": presenters.queue_rows(page, today=today),
            "page": page,
            "pagination": pagination(request, page),
            "overdue_tag": presenters.OVERDUE_TAG,
        },
    )


# --- A concern ----------------------------------------------------------------------


def _render_detail(request, concern, *, forms: dict | None = None):
    forms = forms or {}
    user = request.user
    content = services.concern_open(concern=concern, actor=user)
    decisions = selectors.decisions_for(concern=concern)
    titles = selectors.cited_titles(decisions)
    caseworkers = selectors.caseworkers()
    error_form = next((form for form in forms.values() if form.errors), None)
    context = {
        "concern": concern,
        "about": presenters.about_text(concern),
        "status": presenters.status_tag(concern.status),
        "answers": presenters.answer_rows(content["answers"]),
        "subject_description": content["subject_description"],
        "acknowledge": presenters.deadline(
            concern.acknowledge_by,
            concern.acknowledged_on,
            today=clock.today(),
            closed=concern.status == ConcernStatus.CLOSED,
        ),
        "feedback": presenters.deadline(
            concern.feedback_by,
            concern.first_feedback_on,
            today=clock.today(),
            closed=concern.status == ConcernStatus.CLOSED,
        ),
        "overdue_tag": presenters.OVERDUE_TAG,
        "messages_thread": presenters.message_items(
            triage.concern_messages_read(concern=concern, actor=user)
        ),
        "notes": triage.staff_notes_read(concern=concern, actor=user),
        "files": presenters.file_rows(selectors.concern_files(concern=concern), concern=concern),
        "decisions": presenters.decision_views(decisions, titles),
        "reporter_panel": reveal.reporter_panel(concern=concern, user=user),
        "assign_form": forms.get("assign")
        or AssignForm(caseworkers=caseworkers, initial={"version": concern.version}),
        "acknowledge_form": forms.get("acknowledge")
        or VersionForm(initial={"version": concern.version}),
        "message_form": forms.get("message") or MessageForm(),
        "note_form": forms.get("note") or NoteForm(),
        "error_form": error_form,
        "is_caseworker": selectors.is_caseworker(user),
        "assigned_to_me": concern.assigned_to_id == user.pk,
        "can_wait_for_reply": concern.status in selectors.BEFORE_TRIAGE,
        "triage_url": reverse("concerns:triage", kwargs={"reference": concern.reference}),
    }
    return render(request, "concerns/staff/detail.jinja", context)


@require_GET
@permission_required("concerns.read_concern")
def detail(request, reference):
    return _render_detail(request, _concern(reference))


@require_POST
@permission_required("concerns.assign")
def assign(request, reference):
    concern = _concern(reference)
    form = AssignForm(request.POST, caseworkers=selectors.caseworkers())
    if form.is_valid():
        assignee = form.chosen()
        try:
            triage.concern_assign(
                concern=concern,
                assignee=assignee,
                actor=request.user,
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Concern {concern.reference} is assigned to {assignee.full_name}."
                if assignee
                else f"Concern {concern.reference} is not assigned to anyone now.",
            )
            return redirect(_detail_url(concern))
    return _render_detail(request, concern, forms={"assign": form})


@require_POST
@permission_required("concerns.message_reporter")
def acknowledge(request, reference):
    concern = _concern(reference)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            triage.concern_acknowledge(
                concern=concern, actor=request.user, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Concern {concern.reference} is acknowledged. The person who raised it has "
                "been sent the standard acknowledgement.",
            )
            return redirect(_detail_url(concern))
    return _render_detail(request, concern, forms={"acknowledge": form})


@require_POST
@permission_required("concerns.message_reporter")
def message_send(request, reference):
    concern = _concern(reference)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            triage.concern_message_send(
                concern=concern,
                body=form.cleaned_data["body"],
                actor=request.user,
                needs_reply=form.cleaned_data["needs_reply"],
                is_feedback=form.cleaned_data["is_feedback"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your message has been sent to the person who raised it.")
            return redirect(_detail_url(concern) + "#messages")
    return _render_detail(request, concern, forms={"message": form})


@require_POST
@permission_required("concerns.add_staff_note")
def note_add(request, reference):
    concern = _concern(reference)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            triage.staff_note_add(
                concern=concern, body=form.cleaned_data["body"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your note has been added.")
            return redirect(_detail_url(concern) + "#notes")
    return _render_detail(request, concern, forms={"note": form})


@require_GET
@permission_required("concerns.read_files")
def file_download(request, reference, number):
    concern = _concern(reference)
    concern_file = selectors.concern_file(concern=concern, number=number)
    if concern_file is None:
        raise Http404("The concern has no file with that number.")
    name, media_type, content = services.concern_file_open(
        concern_file=concern_file, actor=request.user
    )
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = content_disposition_header(True, name or "file")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


# --- Triage -------------------------------------------------------------------------


def _posted_conduct_on(request, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.POST.get("conduct_on", ""))
    except ValueError:
        return default


def _triage_errors(form, error: ValidationError) -> None:
    """The service names citations ``cited_refs``: the form shows them by the checkboxes."""
    if not hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return
    for name, errors in error.error_dict.items():
        for item in errors:
            if name == "cited_refs":
                field = "never_events" if item.code == "never_event_needed" else "standards"
            else:
                field = name if name in form.fields and name not in {"conduct_on"} else None
            form.add_error(field, item.messages)


@require_http_methods(["GET", "POST"])
@permission_required("concerns.triage")
def triage_page(request, reference):
    concern = _concern(reference)
    date_form = ConductDateForm(
        request.GET if any(key.startswith("conduct_on_") for key in request.GET) else None,
        initial={"conduct_on": concern.received_on},
    )
    conduct_on = concern.received_on
    if request.method == "POST":
        conduct_on = _posted_conduct_on(request, concern.received_on)
    elif date_form.is_bound and date_form.is_valid():
        conduct_on = date_form.cleaned_data["conduct_on"]
    citable = selectors.citable_standards(conduct_on=min(conduct_on, clock.today()))
    default_employer = concern.organisation or selectors.current_employer(
        concern.subject_registrant
    )
    form = TriageForm(
        request.POST or None,
        citable=citable,
        initial={
            "version": concern.version,
            "conduct_on": conduct_on.isoformat(),
            "referred_to": default_employer.ods_code if default_employer else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = triage.triage_decide(
                concern=concern,
                outcome=data["outcome"],
                conduct_on=data["conduct_on"],
                cited_refs=form.cited_refs(),
                reasons=data["reasons"],
                reporter_explanation=data["reporter_explanation"],
                employer_summary=data["employer_summary"],
                referred_to=data["referred_to"],
                actor=request.user,
                version=data["version"],
            )
        except ValidationError as error:
            _triage_errors(form, error)
        else:
            messages.success(request, _triage_done(decision))
            return redirect(_detail_url(concern))
    return render(
        request,
        "concerns/staff/triage.jinja",
        {
            "concern": concern,
            "about": presenters.about_text(concern),
            "form": form,
            "date_form": date_form,
            "conduct_on": uk_date(conduct_on),
            "version": citable.version,
            "already_triaged": concern.status not in selectors.BEFORE_TRIAGE,
            "status": presenters.status_tag(concern.status),
            "is_detriment": concern.is_detriment,
            "back_url": _detail_url(concern),
        },
    )


def _triage_done(decision) -> str:
    concern = decision.concern
    if decision.outcome == TriageOutcome.CLOSE:
        return f"Concern {concern.reference} is closed. The person who raised it has been told why."
    if decision.outcome == TriageOutcome.REFER_TO_EMPLOYER:
        told = selectors.referral_recipients(
            organisation=decision.referred_to, subject=concern.subject_registrant
        )
        text = f"Concern {concern.reference} is referred to {decision.referred_to.name}."
        if not told:
            text += (
                " Nobody holds the chair, chief executive or HR lead role there in Steward, "
                "so tell the employer another way."
            )
        return text
    if decision.outcome == TriageOutcome.OPEN_CASE:
        return f"A fitness-to-practise case is recommended for concern {concern.reference}."
    return f"Concern {concern.reference} is flagged to the registrars for urgent action."


# --- Employers: referrals ------------------------------------------------------------


@require_GET
@permission_required("concerns.use_referrals")
def referrals(request):
    page = Paginator(selectors.referrals_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "concerns/referrals/list.jinja",
        {
            "rows": presenters.referral_rows(page),
            "page": page,
            "pagination": pagination(request, page),
        },
    )


def _referral_organisation(request, pk):
    decision = selectors.referral_get(pk=pk)
    if decision is None:
        raise Http404("No referral has that number.")
    request.referral = decision
    return decision


@require_GET
@permission_required("concerns.read_referral", fn=_referral_organisation)
def referral(request, pk):
    decision = request.referral
    report = triage.referral_report_open(decision=decision, actor=request.user)
    titles = selectors.cited_titles([decision])
    concern = decision.concern
    return render(
        request,
        "concerns/referrals/detail.jinja",
        {
            "decision": decision,
            "concern": concern,
            "about": presenters.referral_about(concern),
            "referred": uk_date(decision.decided_at),
            "cited": presenters.cited(decision, titles),
            "version": presenters.standards_version_text(decision),
            "answers": presenters.answer_rows(report["answers"]) if report else None,
            "subject_description": report["subject_description"] if report else "",
        },
    )


# --- Registrars: urgent flags --------------------------------------------------------


@require_GET
@permission_required("concerns.see_urgent_flags")
def urgent(request):
    page = Paginator(selectors.urgent_flags(), PAGE_SIZE).get_page(request.GET.get("page"))
    titles = selectors.cited_titles(page)
    return render(
        request,
        "concerns/urgent/list.jinja",
        {
            "flags": [
                {
                    "view": view,
                    "concern": decision.concern,
                    "registrant": decision.concern.subject_registrant,
                }
                for decision, view in zip(
                    page, presenters.decision_views(page, titles), strict=True
                )
            ],
            "page": page,
            "pagination": pagination(request, page),
        },
    )


@require_POST
@permission_required("concerns.see_urgent_flags")
def urgent_seen(request, pk):
    decision = selectors.urgent_flag_get(pk=pk)
    if decision is None:
        raise Http404("No urgent flag has that number.")
    try:
        triage.urgent_flag_seen(decision=decision, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The flag on concern {decision.concern.reference} is seen.")
    return redirect("concerns:urgent")
