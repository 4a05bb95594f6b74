"""Public pages: find an NHS organisation, and see one. No sign-in needed."""

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from steward.organisations import presenters
from steward.organisations.forms import OrganisationSearchForm
from steward.organisations.models import Organisation
from steward.organisations.selectors import organisation_get, organisation_search, region_list


@require_GET
def organisation_list(request):
    regions = region_list()
    form = OrganisationSearchForm(request.GET, regions=regions)
    page = None
    if form.is_valid():
        paginator = Paginator(organisation_search(**form.search_kwargs()), presenters.PAGE_SIZE)
        number = form.cleaned_data["page"]
        try:
            page = paginator.page(number)
        except EmptyPage:
            form.page_out_of_range(number=number, num_pages=paginator.num_pages)

    valid = not form.errors
    selected_region = form.cleaned_data.get("region") if valid else None
    selected_type = form.cleaned_data.get("type") if valid else None
    context = {
        "form": form,
        "errors": form.error_summary_items(),
        "field_errors": form.field_errors(),
        "q_value": form.data.get("q", "") if "q" not in form.errors else "",
        "region_items": presenters.region_select_items(regions, selected_region),
        "type_items": presenters.type_select_items(selected_type),
        "show_results": page is not None,
        "rows": presenters.result_rows(page.object_list) if page is not None else [],
        "summary": presenters.results_summary(page) if page is not None else "",
        "pagination": presenters.pagination(request, page) if page is not None else None,
        "filtered": valid and any(form.search_kwargs().values()),
    }
    return render(request, "organisations/list.jinja", context, status=200 if valid else 400)


@require_GET
def organisation_detail(request, ods_code):
    try:
        organisation = organisation_get(ods_code=ods_code)
    except Organisation.DoesNotExist as exc:
        raise Http404("No organisation with that ODS code.") from exc
    return render(
        request,
        "organisations/detail.jinja",
        {"page": presenters.organisation_page(organisation)},
    )
