"""Opening a case, from each source: a concern recommended for a case, a director
found not fit and proper, an employer's referral, or the regulator's own motion.
After opening, the caseworker goes to the case's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from steward.cases import presenters, selectors, services
from steward.cases.forms import EmployerCaseForm, OpenCaseForm, OwnMotionCaseForm
from steward.cases.models import CaseSource
from steward.cases.views_staff import PAGE_SIZE, detail_url
from steward.concerns.selectors import cited_titles
from steward.core.formatting import uk_date
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required


@require_GET
@permission_required("cases.open_case")
def case_open_start(request):
    recommendations = Paginator(selectors.concern_recommendations(), PAGE_SIZE).get_page(
        request.GET.get("concerns")
    )
    referrals = Paginator(selectors.not_fit_referrals_open(), PAGE_SIZE).get_page(
        request.GET.get("referrals")
    )
    return render(
        request,
        "cases/staff/open.jinja",
        {
            "recommendations": presenters.recommendation_rows(recommendations),
            "recommendations_page": recommendations,
            "referrals": presenters.not_fit_rows(referrals),
            "referrals_page": referrals,
        },
    )


def _opened(request, case):
    messages.success(request, f"Case {case.reference} is open, at triage.")
    return redirect(detail_url(case))


def _open(form, **values):
    """Open the case, or put the service's refusal on the form (None then)."""
    data = form.cleaned_data
    try:
        return services.case_open(
            summary=data["summary"], health_related=data["health_related"], **values
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@require_http_methods(["GET", "POST"])
@permission_required("cases.open_case")
def case_open_concern(request, pk):
    decision = selectors.concern_recommendation(pk=pk)
    if decision is None:
        raise Http404("No concern waits for a case with that number.")
    concern = decision.concern
    subject = concern.subject_registrant
    form = OpenCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = _open(
            form,
            registrant=subject,
            source=CaseSource.CONCERN,
            concern_decision=decision,
            actor=request.user,
        )
        if case is not None:
            return _opened(request, case)
    titles = cited_titles([decision])
    return render(
        request,
        "cases/staff/open_concern.jinja",
        {
            "form": form,
            "decision": decision,
            "concern": concern,
            "manager": str(subject) if subject else "",
            "decided": uk_date(decision.decided_at),
            "cited": [
                {"ref": ref, "title": titles.get((decision.standards_version_id, ref), "")}
                for ref in decision.cited_refs or []
            ],
            "concern_url": reverse("concerns:detail", kwargs={"reference": concern.reference})
            if request.user.has_perm("concerns.read_concern")
            else "",
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("cases.open_case")
def case_open_not_fit(request, pk):
    referral = selectors.not_fit_referral_open(pk=pk)
    if referral is None:
        raise Http404("No not fit and proper referral waits for a case with that number.")
    assessment = referral.assessment
    form = OpenCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = _open(
            form,
            registrant=assessment.registrant,
            source=CaseSource.NOT_FIT,
            not_fit_referral=referral,
            actor=request.user,
        )
        if case is not None:
            return _opened(request, case)
    return render(
        request,
        "cases/staff/open_not_fit.jinja",
        {
            "form": form,
            "referral": referral,
            "registrant": str(assessment.registrant),
            "organisation": assessment.organisation.name,
            "referred": uk_date(referral.created_at),
            "referral_url": reverse("fitness:referral", kwargs={"pk": referral.pk})
            if request.user.has_perm("fitness.view_referrals")
            else "",
        },
    )


def _open_on_a_number(request, form_class, *, source: str, heading: str, intro: str):
    """Open a case on a registration number typed in (an employer's referral names the
    employer too)."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        named = {}
        if source == CaseSource.EMPLOYER:
            named["referring_organisation"] = form.cleaned_data["ods_code"]
        case = _open(
            form,
            registrant=form.cleaned_data["registration_number"],
            source=source,
            actor=request.user,
            **named,
        )
        if case is not None:
            return _opened(request, case)
    return render(
        request,
        "cases/staff/open_form.jinja",
        {"form": form, "heading": heading, "intro": intro},
    )


@require_http_methods(["GET", "POST"])
@permission_required("cases.open_case")
def case_open_employer(request):
    return _open_on_a_number(
        request,
        EmployerCaseForm,
        source=CaseSource.EMPLOYER,
        heading="Open a case on an employer's referral",
        intro="An NHS organisation has referred one of its managers to the regulator.",
    )


@require_http_methods(["GET", "POST"])
@permission_required("cases.open_case")
def case_open_own_motion(request):
    return _open_on_a_number(
        request,
        OwnMotionCaseForm,
        source=CaseSource.OWN_MOTION,
        heading="Open a case on the regulator's own motion",
        intro="The regulator has learned of a matter itself, for example from the news "
        "or another regulator, and nobody has referred it.",
    )
