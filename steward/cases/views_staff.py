"""The regulator's case pages: the case list, a case (summary, history, allegations,
evidence, and for caseworkers the forms that build and move it) and the timeliness
view. Opening a case is in ``views_open``.

Viewing a case's summary and downloading evidence are recorded in the audit trail.
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

from steward.audit.services import audit_record_view
from steward.cases import (
    presenters,
    presenters_examiners,
    presenters_hearings,
    presenters_outcomes,
    selectors,
    services,
    timeliness,
)
from steward.cases.access import staff_case, with_error
from steward.cases.forms import (
    MAX_EVIDENCE_TEXT,
    AllegationForm,
    CaseSearchForm,
    ConductDateForm,
    EvidenceForm,
    MoveForm,
    UploadedFile,
)
from steward.cases.models import OPEN_STAGES
from steward.cases.stages import MOVES, hand_moves_from, stage_move
from steward.concerns.selectors import citable_standards, cited_titles
from steward.core import clock
from steward.core.formatting import uk_date
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required
from steward.organisations.presenters import pagination

PAGE_SIZE = 50
# Only these are served as what they are; anything else downloads as plain bytes.
SERVED_TYPES = frozenset(
    {
        "application/pdf",
        "text/plain",
        "text/csv",
        "image/png",
        "image/jpeg",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)


def detail_url(case) -> str:
    return reverse("cases:detail", kwargs={"reference": case.reference})


def file_response(request, evidence, *, reason: str) -> HttpResponse:
    """The file as a download, never shown in the page's origin. Its content is
    restricted: the download is recorded in the audit trail."""
    audit_record_view(actor=request.user, subject=evidence, fields=["content"], reason=reason)
    media_type = evidence.media_type if evidence.media_type in SERVED_TYPES else None
    response = HttpResponse(
        bytes(evidence.content), content_type=media_type or "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, evidence.file_name or "evidence"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store, private"
    return response


# --- The list -----------------------------------------------------------------------


@require_GET
@permission_required("cases.view_cases")
def case_list(request):
    name = (request.GET.get("stage") or selectors.DEFAULT_FILTER).strip()
    problems = []
    if name not in selectors.LIST_FILTERS:
        problems.append(
            {"text": "There is no such stage: choose one of the stages below.", "href": "#stages"}
        )
        name = selectors.DEFAULT_FILTER
    search_form = CaseSearchForm(request.GET)
    search = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    cases = selectors.case_list(name=name, search=search, user=request.user)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.case_counts(search=search, user=request.user)
    return render(
        request,
        "cases/staff/list.jinja",
        {
            "filter_name": name,
            "filter_label": selectors.LIST_FILTERS[name],
            "filters": presenters.filter_links(request, counts=counts, current=name),
            "problems": problems,
            "search_form": search_form,
            "search": search,
            "rows": presenters.case_rows(page),
            "page": page,
            "pagination": pagination(request, page),
            "can_open": request.user.has_perm("cases.open_case"),
        },
    )


# --- A case -------------------------------------------------------------------------


def _move_choices(case) -> list[tuple[str, str]]:
    return [(move, MOVES[move]) for move in hand_moves_from(case.stage)]


def _render_detail(request, case, *, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    user = request.user
    audit_record_view(actor=user, subject=case, fields=["summary"], reason="viewed the case page")
    allegations = selectors.allegations_for(case=case)
    moves = _move_choices(case)
    is_open = case.stage in OPEN_STAGES
    may_build = is_open and user.has_perm("cases.build_case", case)
    may_move = bool(moves) and user.has_perm("cases.move_case", case)
    error_form = next((form for form in forms.values() if form.errors), None)
    move_form = forms.get("move") or MoveForm(moves=moves, initial={"version": case.version})
    context = {
        "case": case,
        "registrant": presenters.registrant_link(
            case, registrar=user.has_perm("register.use_registrar_pages")
        ),
        "source": presenters.source_link(
            case,
            may_read_concerns=user.has_perm("concerns.read_concern"),
            may_read_referrals=user.has_perm("fitness.view_referrals"),
        ),
        "stage": presenters.stage_tag(case.stage),
        "opened_by": presenters.person_name(case.opened_by),
        "caseworker": presenters.person_name(case.caseworker),
        "history": presenters.history_rows(selectors.stage_history(case=case)),
        "allegations": presenters.allegation_views(allegations, cited_titles(allegations)),
        "evidence": presenters.evidence_rows(selectors.evidence_for(case=case), case=case),
        "deadlines": presenters.deadlines(
            selectors.hearings_for(case=case),
            selectors.appeal_deadlines_for(case=case),
            today=clock.today(),
            for_registrant=False,
        ),
        "may_build": may_build,
        "may_move": may_move,
        "is_open": is_open,
        "evidence_form": forms.get("evidence") or EvidenceForm(),
        "move_form": move_form,
        "move_radios": presenters.move_radios(move_form),
        "error_form": error_form,
        "max_evidence": MAX_EVIDENCE_TEXT,
        "allegation_url": reverse("cases:allegation_add", kwargs={"reference": case.reference}),
        "examiners": presenters_examiners.staff_section(case=case, user=user),
        "hearings": presenters_hearings.staff_section(case=case, user=user),
        "outcomes": presenters_outcomes.staff_section(case=case, user=user),
    }
    return render(request, "cases/staff/detail.jinja", context, status=status)


@require_GET
@permission_required("cases.view_cases")
def case_detail(request, reference):
    return _render_detail(request, staff_case(request, reference))


@require_POST
@permission_required("cases.build_case")
def evidence_add(request, reference):
    case = staff_case(request, reference)
    form, status = EvidenceForm.from_request(request)
    if form.is_valid():
        upload = UploadedFile(form.cleaned_data["file"])
        try:
            evidence = services.evidence_add(
                case=case,
                title=form.cleaned_data["title"],
                file_name=upload.file_name,
                media_type=upload.media_type,
                content=upload.content,
                actor=request.user,
                disclosed=form.cleaned_data["disclosed"] == "yes",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Evidence {evidence.number}, {evidence.title}, is added to the case"
                + (" and disclosed to the registrant." if evidence.disclosed else "."),
            )
            return redirect(detail_url(case) + "#evidence")
    return _render_detail(request, case, forms={"evidence": form}, status=status)


@require_POST
@permission_required("cases.move_case")
def case_move(request, reference):
    case = staff_case(request, reference)
    moves = _move_choices(case)
    form = MoveForm(request.POST, moves=moves)
    valid = form.is_valid()
    shown_version = form.cleaned_data.get("version")
    if shown_version is not None and shown_version != case.version:
        # Someone moved the case since the page was shown: offer the moves possible now.
        form = with_error(
            MoveForm(
                moves=moves,
                initial={"version": case.version, "reason": form.cleaned_data.get("reason", "")},
            ),
            "The case has moved on since you opened the page: it is now at "
            f"“{presenters.stage_tag(case.stage)['text'].lower()}”. Check its history and "
            "choose what happens next again.",
        )
    elif valid:
        try:
            change = stage_move(
                case=case,
                move=form.cleaned_data["move"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=shown_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Case {case.reference} is now at “{change.get_to_stage_display().lower()}”.",
            )
            return redirect(detail_url(case))
    return _render_detail(request, case, forms={"move": form})


@require_GET
@permission_required("cases.view_cases")
def evidence_download(request, reference, number):
    case = staff_case(request, reference)
    number = int(number)
    evidence = selectors.evidence_item(case=case, number=number)
    if evidence is None:
        raise Http404("The case has no evidence with that number.")
    return file_response(
        request, evidence, reason=f"downloaded evidence {evidence.number} of case {case.reference}"
    )


# --- Allegations --------------------------------------------------------------------


def _posted_conduct_on(request) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.POST.get("conduct_on", ""))
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@permission_required("cases.build_case")
def allegation_add(request, reference):
    case = staff_case(request, reference)
    back_url = detail_url(case) + "#allegations"
    asked = any(key.startswith("conduct_on_") for key in request.GET)
    conduct_on = _posted_conduct_on(request) if request.method == "POST" else None
    date_form = ConductDateForm(
        request.GET if asked and request.method == "GET" else None,
        initial={"conduct_on": conduct_on} if conduct_on else None,
    )
    if request.method == "GET" and asked and date_form.is_valid():
        conduct_on = date_form.cleaned_data["conduct_on"]
    form = None
    citable = None
    if conduct_on is not None:
        citable = citable_standards(conduct_on=min(conduct_on, clock.today()))
        form = AllegationForm(
            request.POST or None,
            citable=citable,
            initial={"conduct_on": conduct_on.isoformat()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                allegation = services.allegation_add(
                    case=case,
                    text=form.cleaned_data["text"],
                    conduct_on=form.cleaned_data["conduct_on"],
                    refs=form.cited_refs(),
                    actor=request.user,
                )
            except ValidationError as error:
                _allegation_errors(form, error)
            else:
                messages.success(
                    request, f"Allegation {allegation.number} is added to case {case.reference}."
                )
                return redirect(back_url)
    elif request.method == "POST":
        messages.error(request, "Give the date of the conduct again, then the allegation.")
        return redirect(reverse("cases:allegation_add", kwargs={"reference": case.reference}))
    return render(
        request,
        "cases/staff/allegation.jinja",
        {
            "case": case,
            "registrant": presenters.registrant_text(case),
            "date_form": date_form,
            "form": form,
            "conduct_on": uk_date(conduct_on),
            "version": citable.version if citable else None,
            "is_open": case.stage in OPEN_STAGES,
            "back_url": back_url,
        },
    )


def _allegation_errors(form, error: ValidationError) -> None:
    """The service names citations ``refs``: the form shows them by the standards."""
    if not hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return
    for name, errors in error.error_dict.items():
        field = {"refs": "standards", "text": "text"}.get(name)
        for item in errors:
            form.add_error(field, item.messages)


# --- Timeliness ---------------------------------------------------------------------


@require_GET
@permission_required("cases.see_timeliness")
def case_timeliness(request):
    report = timeliness.case_timeliness(today=clock.today())
    return render(request, "cases/staff/timeliness.jinja", presenters.timeliness_view(report))
