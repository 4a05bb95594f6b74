"""The public register's search form, shared by the web page and the API."""

from __future__ import annotations

from django import forms

from steward.core.nhsuk_forms import filter_field
from steward.organisations.models import Organisation, Region
from steward.organisations.selectors import (
    ODS_CODE_SHAPE,
    InvalidFilter,
    region_resolve,
)
from steward.register.models import RegisterStatus
from steward.register.public import MAX_PAGE

MAX_QUERY_LENGTH = 200
PAGE_MESSAGE = "Page must be a whole number, like 2"


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


class RegisterSearchForm(forms.Form):
    """Search terms from a query string: every field optional, every value checked.

    ``organisation`` takes an ODS code (any case), ``region`` a region's code,
    short name or name, ``status`` a register status, ``page`` a whole number
    from 1 to :data:`MAX_PAGE`.
    """

    q = filter_field("Name or registration number", name="Search", max_length=MAX_QUERY_LENGTH)
    organisation = filter_field(
        "Organisation",
        name="Organisation",
        max_length=20,
        too_long="Enter an organisation's ODS code, like RR8",
    )
    region = filter_field(
        "Region", name="Region", max_length=100, too_long="Choose a region from the list"
    )
    status = filter_field(
        "Register status",
        name="Status",
        max_length=50,
        too_long="Choose a register status from the list",
    )
    page = forms.CharField(
        label="Page",
        required=False,
        max_length=12,
        error_messages={"max_length": PAGE_MESSAGE, "null_characters_not_allowed": PAGE_MESSAGE},
    )

    def __init__(self, *args, regions: list[Region] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = regions

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

    def clean_region(self) -> Region | None:
        try:
            return region_resolve(value=self.cleaned_data["region"], regions=self.regions)
        except InvalidFilter as exc:
            raise forms.ValidationError(
                "Choose a region from the list",
                code="unknown_region",
                params={"detail": exc.message},
            ) from exc

    def clean_status(self) -> str | None:
        try:
            return status_resolve(self.cleaned_data["status"])
        except InvalidFilter as exc:
            raise forms.ValidationError(
                "Choose a register status from the list",
                code="unknown_status",
                params={"detail": exc.message},
            ) from exc

    def clean_page(self) -> int:
        value = self.cleaned_data["page"].strip()
        if not value:
            return 1
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise forms.ValidationError(PAGE_MESSAGE, code="bad_page")
        if int(value) > MAX_PAGE:
            raise forms.ValidationError(
                f"Only the first {MAX_PAGE} pages of results can be shown: "
                "search for a name, or choose an organisation, region or status",
                code="page_too_far",
            )
        return int(value)

    def search_kwargs(self) -> dict:
        """Arguments for ``public.public_search`` (call only once the form is valid)."""
        return {
            "q": self.cleaned_data["q"],
            "organisation": self.cleaned_data["organisation"],
            "region": self.cleaned_data["region"],
            "status": self.cleaned_data["status"],
        }

    def page_out_of_range(self, *, number: int, num_pages: int) -> None:
        pages = "is 1 page" if num_pages == 1 else f"are {num_pages:,} pages"
        self.add_error("page", f"There is no page {number}: there {pages} of results")

    def error_summary_items(self) -> list[dict]:
        return [
            {"text": str(message), "href": "" if name == "page" else f"#{name}"}
            for name in self.fields
            for message in self.errors.get(name, [])
        ]

    def field_errors(self) -> dict[str, str]:
        return {name: str(messages[0]) for name, messages in self.errors.items()}

    def api_errors(self) -> list[dict]:
        """Errors in the shape of the API's other validation errors, saying what is accepted."""
        errors = []
        for name, problems in self.errors.as_data().items():
            problem = problems[0]
            detail = (problem.params or {}).get("detail")
            message = detail if detail else " ".join(problem.messages)
            errors.append({"loc": ["query", name], "msg": message, "type": "value_error"})
        return errors
