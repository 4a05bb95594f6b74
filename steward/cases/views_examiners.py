"""Case examiners' pages: their queue, recording a pair's decision, the registrant's
answer to undertakings offered, and the declared interests conflicts are checked
against.

The decision, the answer and the declaration are the services' (``examiners``,
``conflicts``): these views parse the form, call them and show their refusals.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from steward.cases import presenters, selectors_examiners
from steward.cases import presenters_examiners as present
from steward.cases.access import own_case, redrawn, staff_case, with_error
from steward.cases.conflicts import interest_declare
from steward.cases.examiners import examiner_decide, undertakings_respond
from steward.cases.forms_examiners import (
    SEARCH_MAX,
    DecisionForm,
    InterestForm,
    UndertakingsAnswerForm,
)
from steward.cases.models import ExaminerOutcome, Stage, UndertakingsResponse
from steward.cases.views_staff import detail_url
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required
from steward.organisations.presenters import pagination
from steward.organisations.selectors import organisation_search

PAGE_SIZE = 50
SEARCH_RESULTS = 20
# The registrant's pages: as views_mine, anyone who keeps their own register record.
MINE_PERMISSION = "cases.see_own_cases"
CHANGED = (
    "The case has changed since you opened this page: it is now at “{stage}”. Check it "
    "and record the decision again."
)
MINE_CHANGED = (
    "Your case has changed since you opened this page. Read the undertakings again, then "
    "give your answer."
)


def _stage_text(case) -> str:
    return Stage(case.stage).label.lower()


# --- The queue ----------------------------------------------------------------------


@require_GET
@permission_required("cases.decide_as_examiner")
def examiners_queue(request):
    page = Paginator(selectors_examiners.queue(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/examiners/queue.jinja",
        {
            "rows": present.queue_rows(page),
            "page": page,
            "pagination": pagination(request, page),
            "may_declare": request.user.has_perm("cases.declare_interests"),
        },
    )


# --- Recording the decision ---------------------------------------------------------


def _decide(request, case, form, choices) -> bool:
    """Record the decision from a valid form; False (with the refusal on the form) when
    the service refuses it."""
    values = form.cleaned_data
    other = choices.valid[values["other_examiner"]]
    lay, manager = present.examiner_pair(user=request.user, mine=choices.mine, other=other)
    outcome = values["outcome"]
    try:
        decision = examiner_decide(
            case=case,
            outcome=outcome,
            reasons=values["reasons"],
            undertakings=values["undertakings"] if outcome == ExaminerOutcome.UNDERTAKINGS else "",
            published_summary=(
                values["published_summary"]
                if outcome == ExaminerOutcome.WARNING and not case.health_related
                else ""
            ),
            lay_examiner=lay,
            manager_examiner=manager,
            actor=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    case.refresh_from_db()
    messages.success(
        request,
        f"The case examiners' decision on case {case.reference} is recorded: "
        f"{ExaminerOutcome(decision.outcome).label.lower()}. The case is now at "
        f"“{_stage_text(case)}”.",
    )
    return True


@require_http_methods(["GET", "POST"])
@permission_required("cases.decide_as_examiner")
def examiner_decide_page(request, reference):
    case = staff_case(request, reference)
    choices = present.decision_choices(case=case, user=request.user)
    if request.method == "POST":
        form = DecisionForm(request.POST, examiners=choices.valid)
        if form.is_valid():
            if form.cleaned_data["version"] != case.version:
                form = redrawn(
                    DecisionForm,
                    request.POST,
                    version=case.version,
                    message=CHANGED.format(stage=_stage_text(case)),
                    examiners=choices.valid,
                )
            elif _decide(request, case, form, choices):
                return redirect(detail_url(case) + "#examiners")
    else:
        form = DecisionForm(initial={"version": case.version}, examiners=choices.valid)
    return render(
        request,
        "cases/examiners/decide.jinja",
        {
            "case": case,
            "registrant": presenters.registrant_text(case),
            "stage": presenters.stage_tag(case.stage),
            "at_stage": case.stage == Stage.CASE_EXAMINERS,
            "form": form,
            "choices": choices,
            "other_radios": present.other_examiner_radios(form, choices),
            "outcome_radios": present.outcome_radios(form, case=case),
            "back_url": detail_url(case),
        },
    )


# --- The registrant's answer to undertakings ----------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(MINE_PERMISSION)
def mine_undertakings(request, reference):
    case = own_case(request, reference, perm="cases.respond")
    decision = selectors_examiners.undertakings_offered(case=case)
    if decision is None:
        raise Http404("No undertakings have been offered on your case.")
    mine_url = reverse("cases:mine_detail", kwargs={"reference": case.reference})
    if request.method == "POST":
        form = UndertakingsAnswerForm(request.POST)
        if form.is_valid():
            accept = form.cleaned_data["answer"] == "accept"
            if form.cleaned_data["version"] != case.version:
                form = redrawn(
                    UndertakingsAnswerForm, request.POST, version=case.version, message=MINE_CHANGED
                )
            else:
                try:
                    undertakings_respond(decision=decision, accept=accept, actor=request.user)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        "You accepted the undertakings. Your case is decided without a hearing."
                        if accept
                        else "You refused the undertakings. Your case has been referred to a "
                        "panel hearing: we will send you notice of the hearing.",
                    )
                    return redirect(mine_url + "#examiners")
    else:
        form = UndertakingsAnswerForm(initial={"version": case.version})
    pending = decision.undertakings_response == UndertakingsResponse.PENDING
    waiting = pending and case.stage == Stage.UNDERTAKINGS_OFFERED
    offer = present.mine_decisions([decision], case=case)[0]
    return render(
        request,
        "cases/examiners/undertakings.jinja",
        {
            "case": case,
            "offer": offer,
            "waiting": waiting,
            "answered": (
                "These undertakings are no longer open: your case has moved on."
                if pending
                else offer.reply
            ),
            "form": form,
            "back_url": mine_url,
        },
    )


# --- Declared interests -------------------------------------------------------------


def _results(query: str) -> list:
    query = query.replace("\x00", "").strip()[:SEARCH_MAX]
    if not query:
        return []
    return list(organisation_search(q=query)[:SEARCH_RESULTS])


def _typed(data, results) -> dict:
    """What was typed, to show again after a search (never checked, never an error)."""
    codes = [organisation.ods_code for organisation in results]
    chosen = data.get("organisation", "")
    if len(codes) == 1:
        chosen = codes[0]
    return {
        "q": data.get("q", ""),
        "organisation": chosen if chosen in codes else "",
        "description": data.get("description", ""),
        **{
            name: [data.get(f"{name}_{part}", "") for part in ("day", "month", "year")]
            for name in ("from_date", "to_date")
        },
    }


def _declare(request, form, results) -> bool:
    """Declare the interest from the form; False (with the problems on it) otherwise."""
    if not form.is_valid():
        return False
    code = form.cleaned_data["organisation"]
    organisation = next(o for o in results if o.ods_code == code)
    values = form.cleaned_data
    try:
        interest_declare(
            user=request.user,
            organisation=organisation,
            description=values["description"],
            from_date=values["from_date"],
            to_date=values["to_date"],
            actor=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, f"Your interest in {organisation.name} is declared.")
    return True


@require_http_methods(["GET", "POST"])
@permission_required("cases.declare_interests")
def interests(request):
    results: list = []
    searched = False
    if request.method == "POST":
        query = InterestForm(request.POST).query
        results = _results(query)
        if request.POST.get("action") == "search":
            searched = True
            form = InterestForm(initial=_typed(request.POST, results), results=results)
            if not query:
                with_error(form, "Enter the organisation's name or ODS code", field="q")
        else:
            searched = bool(query)
            form = InterestForm(request.POST, results=results)
            if _declare(request, form, results):
                return redirect(reverse("cases:interests") + "#interests")
    else:
        form = InterestForm()
    return render(
        request,
        "cases/examiners/interests.jinja",
        {
            "form": form,
            "rows": present.interest_rows(selectors_examiners.interests_of(user=request.user)),
            "results": results,
            "organisation_radios": present.organisation_radios(form, results) if results else None,
            "no_results": searched and not results,
            "many_results": len(results) >= SEARCH_RESULTS,
            "may_decide": request.user.has_perm("cases.decide_as_examiner"),
        },
    )
