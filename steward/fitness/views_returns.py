"""Pages for the annual return: the chair's return page, the region's overview, and
returning a submission to the chair."""

import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from steward.audit.services import audit_record_view
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required
from steward.fitness import presenters_returns as presenters
from steward.fitness import returns
from steward.fitness.forms_returns import ReturnSubmitForm, SendBackForm
from steward.fitness.models import AnnualReturn, ReturnStatus
from steward.organisations.models import Organisation, Region

CODE = re.compile(r"^[A-Za-z0-9]{1,10}$")
NOT_FOUND = "Page not found"


def _organisation(request, ods_code: str, year: int, **kwargs):
    if not CODE.match(ods_code) or not returns.year_is_valid(year):
        raise Http404(NOT_FOUND)
    request.fitness_organisation = get_object_or_404(
        Organisation.objects.select_related("region"), ods_code=ods_code.upper()
    )
    return request.fitness_organisation


def _region(request, region_code: str, year: int, **kwargs):
    if not CODE.match(region_code) or not returns.year_is_valid(year):
        raise Http404(NOT_FOUND)
    request.fitness_region = get_object_or_404(Region, code=region_code.upper())
    return request.fitness_region


def _annual_return(request, pk: int, **kwargs):
    request.fitness_return = get_object_or_404(
        AnnualReturn.objects.select_related("organisation__region"), pk=pk
    )
    return request.fitness_return


def _back(request, organisation, year: int) -> dict:
    if organisation.region and request.user.has_perm(
        "fitness.view_region_returns", organisation.region
    ):
        return {
            "href": returns.region_url(region=organisation.region, year=year),
            "text": f"Back to {organisation.region.name}",
        }
    return {
        "href": reverse("fitness:organisation_start"),
        "text": "Back to the fit and proper person test",
    }


@require_http_methods(["GET", "POST"])
@permission_required("fitness.view_annual_return", fn=_organisation)
def return_detail(request, ods_code: str, year: int):
    organisation = request.fitness_organisation
    may_submit = request.user.has_perm("fitness.submit_annual_return", organisation)
    form = None
    if request.method == "POST":
        if not may_submit:
            raise PermissionDenied
        form = ReturnSubmitForm(request.POST)
        if form.is_valid():
            try:
                annual_return = returns.annual_return_submit(
                    organisation=organisation,
                    year=year,
                    chair_statement=form.cleaned_data["chair_statement"],
                    expected_version=form.cleaned_data["version"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                late = " after the deadline" if annual_return.submitted_late else ""
                messages.success(
                    request,
                    f"The {year} return was submitted to the regional director{late}.",
                )
                return redirect(request.path)
    view = returns.organisation_return(organisation=organisation, year=year)
    if form is None:
        form = ReturnSubmitForm(
            initial={
                "version": view.version,
                "chair_statement": view.annual_return.chair_statement if view.annual_return else "",
            }
        )
    if view.assessments:
        audit_record_view(
            actor=request.user,
            subject=organisation,
            fields=["fitness_outcomes"],
            reason=f"viewed the {year} annual fit and proper return and its outcomes",
        )
    context = presenters.return_page(view, may_submit=may_submit)
    context.update(
        {
            "form": form,
            "back": _back(request, organisation, year),
            "may_send_back": view.annual_return is not None
            and view.annual_return.status == ReturnStatus.SUBMITTED
            and request.user.has_perm("fitness.send_back_annual_return", view.annual_return),
        }
    )
    return render(request, "fitness/returns/detail.jinja", context)


@require_GET
def region_start(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("fitness.use_region_returns"):
        raise PermissionDenied
    regions = returns.regions_directed_by(user=request.user)
    if len(regions) == 1:
        region = regions[0]
        year = returns.region_default_year(region=region)
        return redirect(returns.region_url(region=region, year=year))
    return render(
        request,
        "fitness/returns/choose_region.jinja",
        {
            "choices": [
                {
                    "region": region,
                    "href": returns.region_url(
                        region=region, year=returns.region_default_year(region=region)
                    ),
                }
                for region in regions
            ]
        },
    )


@require_GET
@permission_required("fitness.view_region_returns", fn=_region)
def region_detail(request, region_code: str, year: int):
    region = request.fitness_region
    overview = returns.region_overview(region=region, year=year)
    context = presenters.region_page(overview, years=returns.region_years(region=region))
    return render(request, "fitness/returns/region.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("fitness.send_back_annual_return", fn=_annual_return)
def send_back(request, pk: int):
    annual_return = request.fitness_return
    organisation = annual_return.organisation
    page_url = returns.return_url(organisation=organisation, year=annual_return.year)
    form = SendBackForm(request.POST or None, initial={"version": annual_return.version})
    if request.method == "POST" and form.is_valid():
        try:
            returns.annual_return_send_back(
                annual_return=annual_return,
                comments=form.cleaned_data["comments"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The {annual_return.year} return was returned to the chair of "
                f"{organisation.name} with your comments.",
            )
            return redirect(page_url)
    return render(
        request,
        "fitness/returns/send_back.jinja",
        {
            "form": form,
            "annual_return": annual_return,
            "organisation": organisation,
            "is_submitted": annual_return.status == ReturnStatus.SUBMITTED,
            "returned_on": annual_return.returned_at,
            "back_url": page_url,
        },
    )
