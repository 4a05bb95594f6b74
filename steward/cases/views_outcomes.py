"""Pages for determinations, sanctions and appeals.

- The panel sitting on a held hearing records its findings in stages (facts,
  impairment, sanction), each on its own page, from a task list.
- A hearings officer checks the whole determination and issues it; the PDF stored when
  it was issued is then downloadable by case staff and by the registrant (each download
  is recorded in the audit trail with the SHA-256 of the bytes served).
- The registrant appeals within the window; a hearings officer decides the appeal,
  which gives a new determination superseding the earlier one.
- A list of the outcome work waiting for the signed-in panel member or hearings officer.
"""

import hashlib
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from steward.audit.services import audit_record_view
from steward.cases import presenters_outcomes as present
from steward.cases import selectors
from steward.cases.access import own_case, staff_case, with_error
from steward.cases.appeals import AppealOutcome, appeal_decide, appeal_lodge
from steward.cases.determinations import (
    PANEL_KINDS,
    StaleDetermination,
    current_determination,
    determination_issue,
    facts_record,
    impairment_record,
    live_allegation_numbers,
    sanction_record,
)
from steward.cases.forms_hearings import ConfirmForm
from steward.cases.forms_outcomes import (
    AppealForm,
    AppealOutcomeForm,
    AppealReasonsForm,
    FactsForm,
    ImpairmentForm,
    SanctionChoiceForm,
    SanctionTermsForm,
    sanction_hints,
)
from steward.cases.models import (
    Allegation,
    Appeal,
    AppealStatus,
    Determination,
    Hearing,
    HearingStatus,
    SanctionKind,
    Stage,
)
from steward.cases.presenters import registrant_text
from steward.cases.rules import is_panel_member
from steward.cases.selectors import valid_id
from steward.cases.selectors_hearings import hearing_for_case
from steward.core import clock
from steward.core.formatting import uk_date
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required

WORK_PERMISSION = "cases.work_on_outcomes"

STALE = (
    "Another panel member changed this since you opened it. The page now shows what they "
    "recorded: check it, then record your changes again."
)


# --- Loading what a page is about -----------------------------------------------------


def _id(value) -> int:
    number = valid_id(value)
    if number is None:
        raise Http404("Nothing has that number.")
    return number


def _hearing(request, reference, hearing_id) -> Hearing:
    """The hearing, loaded once per request (the permission check needs it first)."""
    cached = getattr(request, "_outcome_hearing", None)
    if cached is not None:
        return cached
    hearing = hearing_for_case(case=staff_case(request, reference), hearing_id=hearing_id)
    if hearing is None:
        raise Http404("The case has no hearing with that number.")
    request._outcome_hearing = hearing
    return hearing


def _hearing_for_perm(request, reference, hearing_id, **kwargs):
    """Only panel members are told whether a hearing exists."""
    if not is_panel_member.test(request.user):
        return None
    return _hearing(request, reference, hearing_id)


def _draft(hearing: Hearing) -> Determination | None:
    """The hearing's determination (a draft until it is issued)."""
    return hearing.determinations.order_by("-created_at", "-pk").first()


def _case_determination(case, determination_id) -> Determination:
    determination = (
        Determination.objects.filter(case=case, pk=_id(determination_id))
        .select_related("hearing", "issued_by", "supersedes")
        .first()
    )
    if determination is None:
        raise Http404("The case has no determination with that number.")
    determination.case = case
    return determination


def _back_for(request, hearing) -> dict:
    """Panel members may not open the regulator's case page: they go back to their list."""
    if request.user.has_perm("cases.view_cases"):
        return {"href": present.case_url(hearing.case), "text": "Back to the case"}
    return {"href": reverse("cases:outcomes"), "text": "Back to your outcome work"}


def _stage_context(request, hearing, determination) -> dict:
    case = hearing.case
    return {
        "case": case,
        "hearing": hearing,
        "hearing_text": present.hearing_text(hearing),
        "registrant": registrant_text(case),
        "determination": determination,
        "back": {"href": present.outcome_url(hearing), "text": "Back to the panel's findings"},
    }


def stage_page(view):
    """A page for one of the panel's stages, for the members sitting on the hearing:
    it works on the hearing's draft determination only, and anything else goes back
    to the task list."""

    @permission_required("cases.sit_on_panel", _hearing_for_perm)
    @wraps(view)
    def wrapped(request, reference, hearing_id):
        hearing = _hearing(request, reference, hearing_id)
        determination = _draft(hearing)
        if determination is None:
            return redirect(present.outcome_url(hearing))
        if determination.issued_at is not None:
            messages.error(
                request,
                f"This determination was issued on {uk_date(determination.issued_at)} and "
                "cannot be changed. An appeal or a review gives a new determination that "
                "supersedes it.",
            )
            return redirect(present.outcome_url(hearing))
        return view(request, hearing, determination)

    return wrapped


# --- The panel's findings ------------------------------------------------------------


@require_GET
@permission_required("cases.sit_on_panel", _hearing_for_perm)
def hearing_outcome(request, reference, hearing_id):
    hearing = _hearing(request, reference, hearing_id)
    determination = _draft(hearing)
    context = _stage_context(request, hearing, determination)
    context["back"] = _back_for(request, hearing)
    context["panel"] = present.panel_text(hearing)
    if determination is None:
        if hearing.status != HearingStatus.HELD:
            context["nothing"] = (
                "The panel records its findings once the hearing has been recorded as held. "
                f"This hearing is {hearing.get_status_display().lower()}."
            )
        else:
            context["nothing"] = (
                f"There is no determination for the panel to record at this "
                f"{hearing.get_kind_display().lower()}."
            )
        return render(request, "cases/outcomes/hearing.jinja", context)
    live = live_allegation_numbers(hearing.case)
    context.update(
        {
            "tasks": present.outcome_tasks(determination, live=live, hearing=hearing),
            "complete": present.ready_to_issue(determination, live),
            "issued": uk_date(determination.issued_at),
        }
    )
    return render(request, "cases/outcomes/hearing.jinja", context)


def _live_allegations(case) -> list[Allegation]:
    return list(case.allegations.filter(withdrawn=False).order_by("number"))


@require_http_methods(["GET", "POST"])
@stage_page
def outcome_facts(request, hearing, determination):
    allegations = _live_allegations(hearing.case)
    numbers = [a.number for a in allegations]
    initial = FactsForm.initial_from(determination.facts, determination.version)
    if request.method == "POST":
        form = FactsForm(request.POST, numbers=numbers)
        if form.is_valid():
            try:
                facts_record(
                    determination=determination,
                    findings=form.findings(),
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except StaleDetermination:
                determination.refresh_from_db()
                form = with_error(
                    FactsForm(
                        initial=FactsForm.initial_from(determination.facts, determination.version),
                        numbers=numbers,
                    ),
                    STALE,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The findings of fact are recorded.")
                return redirect(present.outcome_url(hearing))
    else:
        form = FactsForm(initial=initial, numbers=numbers)
    context = _stage_context(request, hearing, determination)
    context.update(
        {
            "form": form,
            "rows": [
                {"allegation": allegation, "proved": proved, "reasons": reasons}
                for allegation, (_, proved, reasons) in zip(allegations, form.rows(), strict=True)
            ],
            "locked": determination.impaired is not None,
        }
    )
    return render(request, "cases/outcomes/facts.jinja", context)


@require_http_methods(["GET", "POST"])
@stage_page
def outcome_impairment(request, hearing, determination):
    live = live_allegation_numbers(hearing.case)
    ready = present.facts_complete(determination, live)
    may_be_impaired = present.any_proved(determination)

    def fresh_initial() -> dict:
        values = {"version": determination.version, "reasons": determination.impairment_reasons}
        if determination.impaired is not None:
            values["impaired"] = "yes" if determination.impaired else "no"
        return values

    if request.method == "POST":
        form = ImpairmentForm(request.POST, may_be_impaired=may_be_impaired)
        if form.is_valid():
            try:
                impairment_record(
                    determination=determination,
                    impaired=form.is_impaired() if may_be_impaired else False,
                    reasons=form.cleaned_data["reasons"],
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except StaleDetermination:
                determination.refresh_from_db()
                may_be_impaired = present.any_proved(determination)
                form = with_error(
                    ImpairmentForm(initial=fresh_initial(), may_be_impaired=may_be_impaired),
                    STALE,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The finding on impairment is recorded.")
                return redirect(present.outcome_url(hearing))
    else:
        form = ImpairmentForm(initial=fresh_initial(), may_be_impaired=may_be_impaired)
    proved, not_proved = present.proved_numbers(determination)
    context = _stage_context(request, hearing, determination)
    context.update(
        {
            "form": form,
            "ready": ready,
            "may_be_impaired": may_be_impaired,
            "proved": present.numbers_text(proved) if proved else "",
            "not_proved": present.numbers_text(not_proved) if not_proved else "",
            "locked": bool(determination.sanction),
            "facts_url": present.outcome_url(hearing, "cases:outcome_facts"),
        }
    )
    return render(request, "cases/outcomes/impairment.jinja", context)


def _sanction_kind(request, determination) -> tuple[SanctionChoiceForm, str | None]:
    """Which sanction the page asks about: chosen with ``?sanction=``, or the one
    recorded when nothing is chosen."""
    if "sanction" in request.GET:
        choice = SanctionChoiceForm(request.GET)
        if choice.is_valid():
            return choice, choice.cleaned_data["sanction"]
        return choice, None
    return SanctionChoiceForm(initial={"sanction": determination.sanction or None}), None


def sanction_terms_form(*, data=None, kind, case, initial=None, **kwargs) -> SanctionTermsForm:
    published = kind != SanctionKind.ADVICE and not case.health_related
    return SanctionTermsForm(data, kind=kind, published=published, initial=initial, **kwargs)


def sanction_context(form: SanctionTermsForm, *, case) -> dict:
    """What the sanction's terms template (``_sanction_fields.jinja``) needs."""
    kind = form.kind
    if case.health_related and kind != SanctionKind.ADVICE:
        not_published = present.NOT_PUBLISHED_HEALTH
    elif kind == SanctionKind.ADVICE:
        not_published = present.NOT_PUBLISHED_ADVICE
    else:
        not_published = ""
    return {
        "terms": form,
        "kind_label": kind.label,
        "not_published": not_published,
        "rejected_fields": form.rejected_fields(),
    }


@require_http_methods(["GET", "POST"])
@stage_page
def outcome_sanction(request, hearing, determination):
    case = hearing.case
    context = _stage_context(request, hearing, determination)
    context["ready"] = determination.impaired is True
    context["not_needed"] = determination.impaired is False
    context["impairment_url"] = present.outcome_url(hearing, "cases:outcome_impairment")
    choice, kind = _sanction_kind(request, determination)
    if kind is None:
        if request.method == "POST":  # the chosen sanction is part of the page's address
            return redirect(present.outcome_url(hearing, "cases:outcome_sanction"))
        context.update({"choice": choice, "hints": sanction_hints()})
        return render(request, "cases/outcomes/sanction_choice.jinja", context)

    def fresh_initial() -> dict:
        if determination.sanction == kind:
            return SanctionTermsForm.initial_from(determination)
        return {"version": determination.version}

    if request.method == "POST":
        form = sanction_terms_form(data=request.POST, kind=kind, case=case)
        if form.is_valid():
            try:
                sanction_record(
                    determination=determination,
                    reasons=form.cleaned_data["reasons"],
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.terms(),
                )
            except StaleDetermination:
                determination.refresh_from_db()
                form = with_error(
                    sanction_terms_form(kind=kind, case=case, initial=fresh_initial()), STALE
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"The sanction ({form.kind.label.lower()}) is recorded.")
                return redirect(present.outcome_url(hearing))
    else:
        form = sanction_terms_form(kind=kind, case=case, initial=fresh_initial())
    context.update(sanction_context(form, case=case))
    context.update(
        {
            "form": form,
            "action": present.outcome_url(hearing, "cases:outcome_sanction") + f"?sanction={kind}",
            "change_url": present.outcome_url(hearing, "cases:outcome_sanction"),
        }
    )
    return render(request, "cases/outcomes/sanction.jinja", context)


# --- Issuing ------------------------------------------------------------------------


def _issue_context(case, determination) -> dict:
    allegations = selectors.allegations_for(case=case)
    live = [a.number for a in allegations if not a.withdrawn]
    return {
        "case": case,
        "determination": determination,
        "registrant": registrant_text(case),
        "hearing_text": present.hearing_text(determination.hearing)
        if determination.hearing_id
        else "",
        "panel": present.panel_text(determination.hearing) if determination.hearing_id else [],
        "answers": present.answers(
            determination, allegations=allegations, health_related=case.health_related
        ),
        "ready": present.ready_to_issue(determination, live),
        "is_panel": determination.kind in PANEL_KINDS,
        "issued": uk_date(determination.issued_at),
        "pdf_href": present.pdf_url(determination, case) if determination.pdf_sha256 else "",
        "back": {"href": present.case_url(case), "text": "Back to the case"},
    }


@require_http_methods(["GET", "POST"])
@permission_required("cases.arrange_hearings")
def determination_issue_page(request, reference, determination_id):
    case = staff_case(request, reference)
    determination = _case_determination(case, determination_id)
    form = ConfirmForm(initial={"version": determination.version})
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["version"] != determination.version:
                form = with_error(
                    ConfirmForm(initial={"version": determination.version}),
                    "The panel changed this determination since you opened the page. "
                    "Check it again before you issue it.",
                )
            else:
                try:
                    determination_issue(determination=determination, actor=request.user)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    determination.refresh_from_db()
                    messages.success(
                        request,
                        f"The {determination.get_kind_display().lower()} is issued and the "
                        "registrant has been told."
                        + (
                            f" They can appeal until {uk_date(determination.appeal_by)}."
                            if determination.appeal_by
                            else ""
                        ),
                    )
                    return redirect(present.case_url(case))
    context = _issue_context(case, determination)
    context["form"] = form
    return render(request, "cases/outcomes/issue.jinja", context)


# --- The PDF ------------------------------------------------------------------------


def pdf_response(request, determination, *, reason: str) -> HttpResponse:
    """The PDF stored when the determination was issued, as a download. Its content is
    restricted: the download is recorded, with the SHA-256 of the bytes served."""
    content = bytes(determination.pdf)
    digest = hashlib.sha256(content).hexdigest()
    audit_record_view(
        actor=request.user,
        subject=determination,
        fields=["pdf"],
        reason=f"{reason} (SHA-256 {digest})",
    )
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{determination.case.reference}-determination-{determination.pk}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store, private"
    return response


def _issued(case, determination_id) -> Determination:
    determination = (
        Determination.objects.filter(
            case=case, pk=_id(determination_id), issued_at__isnull=False, pdf__isnull=False
        )
        .select_related("case")
        .first()
    )
    if determination is None:
        raise Http404("The case has no issued determination with that number.")
    return determination


@require_GET
@permission_required("cases.view_cases")
def determination_pdf(request, reference, determination_id):
    case = staff_case(request, reference)
    determination = _issued(case, determination_id)
    return pdf_response(
        request,
        determination,
        reason=f"downloaded the {determination.get_kind_display().lower()} on case "
        f"{case.reference}",
    )


@require_GET
@permission_required("cases.see_own_cases")
def mine_determination_pdf(request, reference, determination_id):
    case = own_case(request, reference)
    determination = _issued(case, determination_id)
    return pdf_response(
        request,
        determination,
        reason=f"the registrant downloaded the {determination.get_kind_display().lower()} "
        "on their case",
    )


# --- Appeals ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("cases.see_own_cases")
def mine_appeal(request, reference):
    case = own_case(request, reference, perm="cases.respond")
    current = current_determination(case)
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and current is not None and form.is_valid():
        try:
            appeal_lodge(
                determination=current, grounds=form.cleaned_data["grounds"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Your appeal has been sent. We will tell you the outcome, which will be a new "
                "decision.",
            )
            return redirect(present.mine_url(case))
    context = {
        "case": case,
        "form": form,
        "back": {"href": present.mine_url(case), "text": "Back to your case"},
        "current": current,
        "appealable": current is not None and current.appeal_by is not None,
    }
    if context["appealable"]:
        today = clock.today()
        lodged = current.appeals.filter(status=AppealStatus.LODGED).first()
        context.update(
            {
                "decision": present.decision_sentences(current, earlier=current.supersedes),
                "decision_title": f"{current.get_kind_display()}, issued on "
                f"{uk_date(current.issued_at)}",
                "deadline": uk_date(current.appeal_by),
                "passed": today > current.appeal_by,
                "lodged": uk_date(lodged.lodged_on) if lodged else "",
                "pdf_href": present.pdf_url(current, case, mine=True),
                "open": case.stage == Stage.APPEAL_WINDOW,
            }
        )
    return render(request, "cases/outcomes/appeal.jinja", context)


def _appeal(case, appeal_id) -> Appeal:
    appeal = (
        Appeal.objects.filter(pk=_id(appeal_id), determination__case=case)
        .select_related("determination__hearing", "determination__supersedes")
        .defer("determination__pdf")
        .first()
    )
    if appeal is None:
        raise Http404("The case has no appeal with that number.")
    appeal.determination.case = case
    return appeal


@require_http_methods(["GET", "POST"])
@permission_required("cases.arrange_hearings")
def appeal_decide_page(request, reference, appeal_id):
    case = staff_case(request, reference)
    appeal = _appeal(case, appeal_id)
    original = appeal.determination
    page = request.path
    context = {
        "case": case,
        "appeal": appeal,
        "lodged_on": uk_date(appeal.lodged_on),
        "original": original,
        "original_title": f"{original.get_kind_display()}, issued on {uk_date(original.issued_at)}",
        "original_outcome": present.outcome_text(original),
        "original_pdf": present.pdf_url(original, case) if original.pdf_sha256 else "",
        "back": {"href": present.case_url(case), "text": "Back to the case"},
        "decided": appeal.status != AppealStatus.LODGED,
    }
    if context["decided"]:
        decided = (
            Determination.objects.filter(pk=appeal.outcome_id).defer("pdf").first()
            if appeal.outcome_id
            else None
        )
        outcome = present.appeal_outcome(decided, original) if decided else None
        context["outcome"] = AppealOutcome(outcome).label if outcome else ""
        return render(request, "cases/outcomes/appeal_outcome.jinja", context)
    asked = "outcome" in request.GET
    choice = AppealOutcomeForm(request.GET if asked else None)
    if not asked or not choice.is_valid():
        if request.method == "POST":
            return redirect(page)
        context.update({"choice": choice, "hints": sanction_hints()})
        return render(request, "cases/outcomes/appeal_outcome.jinja", context)
    outcome = choice.cleaned_data["outcome"]
    kind = choice.cleaned_data["sanction"]
    if outcome == AppealOutcome.SUBSTITUTED:
        form = sanction_terms_form(
            data=request.POST if request.method == "POST" else None,
            kind=kind,
            case=case,
            reasons_label="Reasons for the decision on the appeal",
            reasons_message="Enter the reasons for the decision",
            with_version=False,
        )
        context.update(sanction_context(form, case=case))
    else:
        form = AppealReasonsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        terms = form.terms() if outcome == AppealOutcome.SUBSTITUTED else {}
        try:
            appeal_decide(
                appeal=appeal,
                outcome=outcome,
                reasons=form.cleaned_data["reasons"],
                actor=request.user,
                **terms,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "The appeal is decided. The new determination supersedes the earlier one, "
                "which is not changed, and the registrant has been told.",
            )
            return redirect(present.case_url(case))
    query = f"?outcome={outcome}" + (f"&sanction={kind}" if kind else "")
    context.update(
        {
            "form": form,
            "outcome_label": AppealOutcome(outcome).label,
            "substituted": outcome == AppealOutcome.SUBSTITUTED,
            "action": page + query,
            "change_url": page,
        }
    )
    return render(request, "cases/outcomes/appeal_decide.jinja", context)


# --- Outcome work waiting ----------------------------------------------------------------


@require_GET
@permission_required(WORK_PERMISSION)
def outcome_work(request):
    return render(request, "cases/outcomes/work.jinja", present.work_view(user=request.user))
