"""Public pages of the standards: the version in force, its sanctions guidance, and
every published version. No sign-in needed; a draft is never shown here."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from steward.core import clock
from steward.standards import presenters, selectors


def _timeline() -> list[presenters.VersionEntry]:
    return presenters.version_timeline(
        versions=list(selectors.published_versions()), today=clock.today()
    )


def _entry(entries, number: int | None) -> presenters.VersionEntry:
    """The version asked for (None: the one in force); 404 when it is not published."""
    if number is None:
        entry = presenters.entry_in_force(entries)
    else:
        entry = next((e for e in entries if e.number == number), None)
    if entry is None:
        raise Http404("There is no published version of the standards with that number.")
    return entry


def _version_context(entries, entry, *, is_current_page: bool) -> dict:
    if is_current_page:
        page_url, sanctions_url = reverse("standards:current"), reverse("standards:sanctions")
    else:
        page_url = reverse("standards:version", kwargs={"number": entry.number})
        sanctions_url = reverse("standards:version_sanctions", kwargs={"number": entry.number})
    return {
        "page_url": page_url,
        "sanctions_url": sanctions_url,
        "entry": entry,
        "version": selectors.version_contents(version=entry.version),
        "entries": entries,
        "in_force": presenters.entry_in_force(entries),
        "scheduled": [e for e in entries if e.status == presenters.SCHEDULED],
        "earlier": [e for e in entries if e.status == presenters.EARLIER],
        "is_current_page": is_current_page,
        "outcome_range": presenters.outcome_range,
        "guidance_of": selectors.guidance_of,
    }


@require_GET
def current(request):
    entries = _timeline()
    if not entries:
        return render(request, "standards/none.jinja")
    entry = _entry(entries, None)
    return render(
        request, "standards/version.jinja", _version_context(entries, entry, is_current_page=True)
    )


@require_GET
def version_detail(request, number: int):
    entries = _timeline()
    entry = _entry(entries, number)
    return render(
        request,
        "standards/version.jinja",
        _version_context(entries, entry, is_current_page=False),
    )


@require_GET
def sanctions_guidance(request, number: int | None = None):
    entries = _timeline()
    if number is None and not entries:
        return render(request, "standards/none.jinja")
    entry = _entry(entries, number)
    context = _version_context(entries, entry, is_current_page=number is None)
    context["outcome_scale"] = presenters.outcome_scale()
    return render(request, "standards/sanctions.jinja", context)


@require_GET
def versions(request):
    return render(request, "standards/versions.jinja", {"entries": _timeline()})
