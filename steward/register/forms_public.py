"""The public register's search form, shared by the web page and the API."""

from __future__ import annotations

from django import forms

from steward.core.nhsuk_forms import filter_field
from steward.organisations.forms import RegionSearchForm
from steward.organisations.models import Organisation
from steward.organisations.selectors import (
    ODS_CODE_SHAPE,
    InvalidFilter,
)
from steward.register.models import RegisterStatus
from steward.register.public import MAX_PAGE

MAX_QUERY_LENGTH = 200


def _shown(value: str) -> str:
    printable = "".join(ch if ch.isprintable() else "?" for ch in value.strip())
    return printable if len(printable) <= 20 else f"{printable[:20]}…"


def status_resolve(value: str | None) -> str | None:
    """A register status from its value (``suspended``) or words (``Suspended``), any case."""
    wanted = (value or "").strip().casefold().replace("-", "_")
    if not wanted:
        return None
    for choice in RegisterStatus:
        if wanted in (choice.value, choice.label.casefold(), choice.value.replace("_", " ")):
            return choice.value
    raise InvalidFilter(
        "status",
        f"Unknown status '{_shown(value or '')}': use " + ", ".join(RegisterStatus.values),
    )


class RegisterSearchForm(RegionSearchForm):
    """Search terms from a query string: every field optional, every value checked.

    ``organisation`` takes an ODS code (any case), ``region`` a region's code,
    short name or name, ``status`` a register status, ``page`` a whole number
    from 1 to :data:`MAX_PAGE`.
    """

    field_order = ["q", "organisation", "region", "status", "page"]
    max_page = MAX_PAGE
    too_far_message = (
        f"Only the first {MAX_PAGE} pages of results can be shown: "
        "search for a name, or choose an organisation, region or status"
    )

    q = filter_field("Name or registration number", name="Search", max_length=MAX_QUERY_LENGTH)
    organisation = filter_field(
        "Organisation",
        name="Organisation",
        max_length=20,
        too_long="Enter an organisation's ODS code, like RR8",
    )
    status = filter_field(
        "Register status",
        name="Status",
        max_length=50,
        too_long="Choose a register status from the list",
    )

    def clean_organisation(self) -> Organisation | None:
        value = self.cleaned_data["organisation"].strip()
        if not value:
            return None
        organisation = None
        if ODS_CODE_SHAPE.match(value):
            organisation = (
                Organisation.objects.only("id", "ods_code", "name")
                .filter(ods_code=value.upper())
                .first()
            )
        if organisation is None:
            raise forms.ValidationError(
                "Enter the ODS code of an NHS organisation, like RR8",
                code="unknown_organisation",
                params={"detail": f"No NHS organisation has the ODS code '{_shown(value)}'"},
            )
        return organisation

    def clean_status(self) -> str | None:
        try:
            return status_resolve(self.cleaned_data["status"])
        except InvalidFilter as exc:
            raise forms.ValidationError(
                "Choose a register status from the list",
                code="unknown_status",
                params={"detail": exc.message},
            ) from exc

    def search_kwargs(self) -> dict:
        """Arguments for ``public.public_search`` (call only once the form is valid)."""
        return {
            "q": self.cleaned_data["q"],
            "organisation": self.cleaned_data["organisation"],
            "region": self.cleaned_data["region"],
            "status": self.cleaned_data["status"],
        }
