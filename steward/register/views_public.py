"""The public register: search, one person's entry, and the whole register as CSV.

No sign-in needed. Pages show only public fields (see ``register/public.py``).
Every request counts towards the client's rate limit (``REGISTER_PUBLIC_RATE``).
"""

import csv
from functools import wraps

from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from steward.organisations.presenters import region_select_items
from steward.organisations.selectors import region_list
from steward.register import public, ratelimit
from steward.register.forms_public import RegisterSearchForm


def rate_limited(view):
    """Refuse with the NHS 429 page when a client has made too many requests."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        wait = ratelimit.retry_after(request)
        if wait is not None:
            response = render(
                request,
                "register/public/too_many_requests.jinja",
                {"message": ratelimit.too_many_message(wait)},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@rate_limited
def register_search(request):
    regions = region_list()
    form = RegisterSearchForm(request.GET, regions=regions)
    results = None
    if form.is_valid():
        number = form.cleaned_data["page"]
        results = public.public_search(**form.search_kwargs(), page=number)
        if number > results.num_pages:
            form.page_out_of_range(number=number, num_pages=results.num_pages)
            results = None

    valid = not form.errors
    cleaned = form.cleaned_data if valid else {}
    organisation = cleaned.get("organisation")
    context = {
        "errors": form.error_summary_items(),
        "field_errors": form.field_errors(),
        "q_value": form.data.get("q", "") if "q" not in form.errors else "",
        # What was typed stays in the box, so a mistake can be corrected.
        "organisation_value": (
            organisation.ods_code
            if organisation
            else "".join(ch for ch in form.data.get("organisation", "") if ch.isprintable())[:20]
        ),
        "organisation_name": organisation.name if organisation else "",
        "region_items": region_select_items(regions, cleaned.get("region")),
        "status_items": public.status_select_items(cleaned.get("status")),
        "show_results": results is not None,
        "rows": public.result_rows(results.registrants) if results else [],
        "summary": public.results_summary(results) if results else "",
        "pagination": public.pagination(request, results) if results else None,
        "number_problem": public.number_hint(cleaned.get("q", "")) if results else None,
        "filtered": valid and any(form.search_kwargs().values()),
    }
    return render(request, "register/public/search.jinja", context, status=200 if valid else 400)


@require_GET
@rate_limited
def register_entry(request, registration_number):
    try:
        lookup = public.public_registrant_lookup(registration_number=registration_number)
    except public.NotOnRegister as exc:
        return render(
            request,
            "register/public/not_found.jinja",
            {"number": exc.number, "problem": exc.problem},
            status=404,
        )
    registrant = lookup.registrant
    if lookup.merged_from or registration_number != registrant.registration_number:
        # Merged duplicates and numbers typed in lower case or with spaces go to
        # the one address of the record.
        return redirect(public.entry_url(registrant), permanent=lookup.merged_from is None)
    page = public.entry_page(public.public_entry_data(registrant))
    return render(request, "register/public/entry.jinja", {"page": page})


@require_GET
@rate_limited
def register_barred(request):
    """Everyone barred from NHS management now, with a link to each decision's summary."""
    number, problem = public.barred_page_number(request.GET.get("page"))
    if problem is None:
        page = public.barred_list(page=number)
        problem = public.missing_page(number, page.num_pages)
    if problem is not None:
        context = {"errors": [{"text": problem}], "rows": [], "problem": problem}
        return render(request, "register/public/barred.jinja", context, status=400)
    context = {
        "errors": [],
        "rows": public.barred_rows(page),
        "summary": public.barred_summary(page),
        "pagination": public.pagination(request, page),
    }
    return render(request, "register/public/barred.jinja", context)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer streaming."""

    def write(self, value):
        return value


def _csv_lines():
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(public.CSV_HEADER)
    for batch in public.public_register_batches():
        yield "".join(writer.writerow(public.csv_row(registrant)) for registrant in batch)


@require_GET
@rate_limited
def register_download(request):
    """The whole public register, streamed a batch at a time: memory stays flat."""
    response = StreamingHttpResponse(_csv_lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="register-of-nhs-managers.csv"'
    return response
