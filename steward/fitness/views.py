"""Pages of the fit and proper person test (the assessments): the organisation's
year, one assessment and its checks, concluding, the director's own tasks, the
regulator's referrals and opening a year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from steward.accounts.rules import is_employer_at
from steward.audit.services import audit_record_view
from steward.core import clock
from steward.core.formatting import uk_date
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required
from steward.fitness import presenters, selectors, services
from steward.fitness.forms import (
    AttestationForm,
    CheckForm,
    CompetencyForm,
    ConcludeForm,
    OpenYearForm,
)
from steward.fitness.models import (
    AUTOMATIC_CHECKS,
    DIRECTOR_CHECKS,
    CheckKind,
    FitnessAssessment,
    FitnessCheck,
    NotFitReferral,
)
from steward.organisations.models import Organisation

FIRST_URL_YEAR = 2000
LAST_URL_YEAR = 2100
# Ids beyond this cannot be in the database (looking them up would overflow it).
MAX_ID = 2**63 - 1


def year_url(organisation, year: int) -> str:
    return reverse(
        "fitness:organisation_year", kwargs={"ods_code": organisation.ods_code, "year": year}
    )


def assessment_url(assessment) -> str:
    return reverse("fitness:assessment", kwargs={"pk": assessment.pk})


# --- Loading the object a permission is checked against --------------------------------


def _organisation(request, ods_code, year):
    if not FIRST_URL_YEAR <= int(year) <= LAST_URL_YEAR:
        raise Http404("No fit and proper person assessments for that year.")
    request.fitness_organisation = get_object_or_404(
        Organisation.objects.select_related("region"), ods_code=ods_code
    )
    return request.fitness_organisation


def _assessment(request, pk, **kwargs):
    if pk > MAX_ID:
        raise Http404("No assessment with that number.")
    try:
        request.fitness_assessment = selectors.assessment_get(pk=pk)
    except FitnessAssessment.DoesNotExist as exc:
        raise Http404("No assessment with that number.") from exc
    return request.fitness_assessment


# --- The organisation's year -----------------------------------------------------------


@require_GET
@permission_required("fitness.start")
def organisation_start(request):
    """An employer at one organisation goes to its current year; at several, chooses."""
    from steward.register.roster import employer_organisations

    organisations = [
        o
        for o in employer_organisations(user=request.user)
        if request.user.has_perm("fitness.view_organisation", o)
    ]
    if not organisations:
        raise PermissionDenied
    year = clock.today().year
    if len(organisations) == 1:
        return redirect(year_url(organisations[0], year))
    return render(
        request,
        "fitness/choose.jinja",
        {
            "choices": [{"organisation": o, "href": year_url(o, year)} for o in organisations],
            "year": year,
        },
    )


@require_GET
@permission_required("fitness.view_organisation", fn=_organisation)
def organisation_year(request, ods_code, year):
    organisation = request.fitness_organisation
    overview = selectors.organisation_year_overview(organisation=organisation, year=int(year))
    rows = [
        {
            "row": row,
            "tag": presenters.status_tag(row.status, decided=row.decided),
            "href": assessment_url(row.assessment) if row.assessment else None,
            "category": row.role_category,
        }
        for row in overview.rows
    ]
    return render(
        request,
        "fitness/organisation_year.jinja",
        {
            "organisation": organisation,
            "year": int(year),
            "overview": overview,
            "rows": rows,
            "counts": presenters.counts_text(overview.counts),
            "chart": presenters.status_chart(
                overview.counts, organisation_name=organisation.name, year=int(year)
            )
            if overview.total
            else None,
            "other_years": [
                {"year": other, "href": year_url(organisation, other)}
                for other in overview.other_years
            ],
            "is_current_year": int(year) == clock.today().year,
            "read_only": not is_employer_at(request.user, organisation),
        },
    )


# --- One assessment ------------------------------------------------------------------


def _conclusion_state(request, assessment, pending: list[str]) -> dict:
    """Whether the viewer may conclude now, and if not yet, why."""
    reason = None
    if pending and not assessment.is_concluded:
        reason = (
            "This assessment can be concluded once every check has an outcome. Still "
            f"pending: {', '.join(pending)}."
        )
    may_conclude = request.user.has_perm("fitness.conclude", assessment)
    return {
        "may_conclude": may_conclude and not assessment.is_concluded and not pending,
        "blocked_reason": reason,
        "who": presenters.conclude_who(assessment),
        "url": reverse("fitness:conclude", kwargs={"pk": assessment.pk}),
    }


ASSESSMENT_FIELDS = (
    "fitness_check_notes",
    "fitness_competency_evidence",
    "fitness_conclusion_reasons",
    "fitness_self_attestation",
)


@require_GET
@permission_required("fitness.view_assessment", fn=_assessment)
def assessment_detail(request, pk):
    assessment = request.fitness_assessment
    progress = selectors.assessment_progress(assessment)
    history = None
    # The assessment itself is restricted (check notes and evidence, the director's
    # ratings and attestation, the conclusion's reasons): every view is recorded.
    viewed = list(ASSESSMENT_FIELDS)
    reason = "viewed a fit and proper person assessment"
    if request.user.has_perm("fitness.view_restricted_history", assessment):
        history = selectors.restricted_history(assessment=assessment)
        viewed += selectors.HISTORY_FIELDS
        reason = "assessor viewed a fit and proper person assessment and the restricted history"
    audit_record_view(
        actor=request.user, subject=assessment.registrant, fields=viewed, reason=reason
    )
    attestation = getattr(assessment, "self_attestation", None)
    return render(
        request,
        "fitness/assessment.jinja",
        {
            "assessment": assessment,
            "registrant": assessment.registrant,
            "status_tag": presenters.status_tag(progress.status, decided=progress.decided),
            "summary_rows": presenters.summary_rows(
                assessment, status=progress.status, decided=progress.decided
            ),
            "check_rows": presenters.check_rows(
                assessment,
                selectors.checks_in_order(assessment),
                may_record=request.user.has_perm("fitness.record_checks", assessment),
            ),
            "ratings": list(assessment.competency_ratings.all()),
            "attestation": attestation,
            "conclusion_rows": presenters.conclusion_rows(assessment)
            if assessment.is_concluded
            else [],
            "conclusion": _conclusion_state(request, assessment, progress.pending),
            "history": history,
            "back_url": year_url(assessment.organisation, assessment.year),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("fitness.record_checks", fn=_assessment)
def check_record(request, pk, kind):
    assessment = request.fitness_assessment
    if kind not in CheckKind.values or kind in AUTOMATIC_CHECKS or kind in DIRECTOR_CHECKS:
        raise Http404("That is not a check you record.")
    if assessment.is_concluded:
        messages.info(
            request,
            f"This assessment was concluded on {uk_date(assessment.concluded_at)}, so its "
            "checks can no longer change.",
        )
        return redirect(assessment_url(assessment))
    try:
        check = selectors.check_get(assessment=assessment, kind=kind)
    except FitnessCheck.DoesNotExist as exc:
        raise Http404("That assessment has no such check.") from exc
    form = CheckForm(request.POST or None, check=check)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_record(
                check=check,
                expected_version=data["version"],
                outcome=data["outcome"],
                checked_on=data["checked_on"],
                evidence_reference=data["evidence_reference"],
                not_applicable_reason=data["not_applicable_reason"],
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{presenters.check_name(check)} recorded for "
                f"{assessment.registrant.display_name}.",
            )
            return redirect(assessment_url(assessment))
    return render(
        request,
        "fitness/check.jinja",
        {
            "form": form,
            "assessment": assessment,
            "check": check,
            "guidance": presenters.CHECK_GUIDANCE.get(kind, ""),
            "check_name": presenters.check_name(check),
            "back_url": assessment_url(assessment),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("fitness.conclude", fn=_assessment)
def conclude(request, pk):
    assessment = request.fitness_assessment
    if assessment.is_concluded:
        messages.info(
            request,
            f"This assessment was concluded on {uk_date(assessment.concluded_at)}. A "
            "concluded assessment cannot be changed.",
        )
        return redirect(assessment_url(assessment))
    pending = selectors.assessment_progress(assessment).pending
    form = ConcludeForm(request.POST or None, initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concluded = services.assessment_conclude(
                assessment=assessment,
                expected_version=data["version"],
                outcome=data["outcome"],
                reasons=data["reasons"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            outcome = concluded.get_outcome_display().lower()
            text = f"{assessment.registrant.display_name} is {outcome}."
            if concluded.outcome != "fit_and_proper":
                text += " The regulator has been told."
            messages.success(request, text)
            return redirect(assessment_url(assessment))
    return render(
        request,
        "fitness/conclude.jinja",
        {
            "form": form,
            "assessment": assessment,
            "pending": pending,
            "back_url": assessment_url(assessment),
        },
    )


# --- The director's own ------------------------------------------------------------


@require_GET
@permission_required("fitness.view_own_assessments")
def mine(request):
    assessments = selectors.own_assessments(user=request.user)
    items = []
    for assessment in assessments:
        status = selectors.status_of(assessment)
        items.append(
            {
                "assessment": assessment,
                "tag": presenters.status_tag(status, decided=assessment.decided_count),
                "tasks": presenters.own_task_items(assessment),
                "conclusion_rows": presenters.conclusion_rows(assessment)
                if assessment.is_concluded
                else [],
            }
        )
    return render(request, "fitness/mine.jinja", {"items": items})


def _own_open(request, assessment):
    if assessment.is_concluded:
        messages.info(
            request,
            f"Your {assessment.year} assessment was concluded on "
            f"{uk_date(assessment.concluded_at)}, so it can no longer change.",
        )
        return redirect("fitness:mine")
    return None


@require_http_methods(["GET", "POST"])
@permission_required("fitness.complete_own", fn=_assessment)
def competency(request, pk):
    from steward.standards.selectors import version_in_force

    assessment = request.fitness_assessment
    closed = _own_open(request, assessment)
    if closed:
        return closed
    version = version_in_force(on=clock.today())
    domains = list(version.competency_domains.all()) if version else []
    existing = {r.domain_ref: (r.rating, r.evidence) for r in assessment.competency_ratings.all()}
    form = CompetencyForm(request.POST or None, domains=domains, existing=existing)
    if request.method == "POST" and domains and form.is_valid():
        try:
            services.competency_self_assessment_submit(
                assessment=assessment, ratings=form.ratings(), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Your {assessment.year} competency self-assessment has been saved."
            )
            return redirect("fitness:mine")
    return render(
        request,
        "fitness/competency.jinja",
        {
            "form": form,
            "assessment": assessment,
            "version": version,
            "back_url": reverse("fitness:mine"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("fitness.complete_own", fn=_assessment)
def attestation(request, pk):
    assessment = request.fitness_assessment
    closed = _own_open(request, assessment)
    if closed:
        return closed
    current = getattr(assessment, "self_attestation", None)
    initial = {}
    if current is not None:
        initial = {
            "confirms": "yes" if current.confirms_requirements else "no",
            "declarations": current.declarations,
        }
    form = AttestationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_attestation_submit(
                assessment=assessment,
                confirms_requirements=form.cleaned_data["confirms"] == "yes",
                declarations=form.cleaned_data["declarations"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your {assessment.year} self-attestation has been saved.")
            return redirect("fitness:mine")
    return render(
        request,
        "fitness/attestation.jinja",
        {
            "form": form,
            "assessment": assessment,
            "statements": services.ATTESTATION_STATEMENTS,
            "back_url": reverse("fitness:mine"),
        },
    )


# --- The regulator's referrals -------------------------------------------------------


@require_GET
@permission_required("fitness.view_referrals")
def referrals(request):
    from django.core.paginator import Paginator

    from steward.organisations.presenters import pagination

    page = Paginator(selectors.referrals_list(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "fitness/referrals.jinja",
        {"page": page, "pagination": pagination(request, page)},
    )


@require_http_methods(["GET", "POST"])
@permission_required("fitness.view_referrals")
def referral_detail(request, pk):
    if pk > MAX_ID:
        raise Http404("No referral with that number.")
    try:
        referral = selectors.referral_get(pk=pk)
    except NotFitReferral.DoesNotExist as exc:
        raise Http404("No referral with that number.") from exc
    errors = []
    if request.method == "POST":
        if not request.user.has_perm("fitness.acknowledge_referral"):
            raise PermissionDenied
        try:
            services.referral_acknowledge(referral=referral, actor=request.user)
        except ValidationError as error:
            errors = [{"text": message} for message in error.messages]
        else:
            messages.success(request, f"Referral {referral.reference} acknowledged.")
            return redirect("fitness:referral", pk=referral.pk)
    assessment = referral.assessment
    audit_record_view(
        actor=request.user,
        subject=assessment.registrant,
        fields=["fitness_outcome", "conclusion_reasons"],
        reason="regulator viewed a not fit and proper referral",
    )
    return render(
        request,
        "fitness/referral.jinja",
        {
            "referral": referral,
            "assessment": assessment,
            "conclusion_rows": presenters.conclusion_rows(assessment),
            "concerns": selectors.referral_checks_of_concern(referral=referral),
            "errors": errors,
            "back_url": reverse("fitness:referrals"),
        },
    )


# --- Opening a year ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("fitness.open_year")
def open_year(request):
    form = OpenYearForm(request.POST or None, initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.assessments_open_year(
                year=form.cleaned_data["year"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Opened {result['opened']:,} assessments for {result['year']} at "
                f"{result['organisations']:,} organisations. {result['already_open']:,} board "
                "members already had one.",
            )
            return redirect("fitness:open_year")
    years = selectors.year_counts()
    return render(
        request,
        "fitness/open_year.jinja",
        {
            "form": form,
            "in_post": services.board_in_post_count(),
            "years": years,
            "chart": presenters.years_chart(years) if years else None,
            "today": clock.today(),
        },
    )
