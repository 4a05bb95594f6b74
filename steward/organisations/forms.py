"""The organisation search form, shared by the web page and the API."""

from django import forms

from steward.core.nhsuk_forms import filter_field
from steward.organisations.models import Region
from steward.organisations.selectors import InvalidFilter, org_type_resolve, region_resolve

MAX_QUERY_LENGTH = 200


class OrganisationSearchForm(forms.Form):
    """Search terms from a query string: every field optional, every value checked.

    ``region`` takes a region's code, slug or name; ``type`` an organisation
    type value; ``page`` a whole number from 1. Cleaned values are ready for
    :func:`steward.organisations.selectors.organisation_search`.
    """

    q = filter_field("Name or ODS code", name="Search", max_length=MAX_QUERY_LENGTH)
    region = filter_field(
        "Region", name="Region", max_length=100, too_long="Choose a region from the list"
    )
    type = filter_field(
        "Type of organisation",
        name="Type",
        max_length=50,
        too_long="Choose a type of organisation from the list",
    )
    page = forms.CharField(
        label="Page",
        required=False,
        max_length=12,
        error_messages={
            "max_length": "Page must be a whole number, like 2",
            "null_characters_not_allowed": "Page must be a whole number, like 2",
        },
    )

    def __init__(self, *args, regions: list[Region] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = regions

    def clean_region(self) -> Region | None:
        try:
            return region_resolve(value=self.cleaned_data["region"], regions=self.regions)
        except InvalidFilter as exc:
            raise forms.ValidationError(
                "Choose a region from the list",
                code="unknown_region",
                params={"detail": exc.message},
            ) from exc

    def clean_type(self) -> str | None:
        try:
            return org_type_resolve(value=self.cleaned_data["type"])
        except InvalidFilter as exc:
            raise forms.ValidationError(
                "Choose a type of organisation from the list",
                code="unknown_type",
                params={"detail": exc.message},
            ) from exc

    def clean_page(self) -> int:
        value = self.cleaned_data["page"].strip()
        if not value:
            return 1
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise forms.ValidationError("Page must be a whole number, like 2", code="bad_page")
        return int(value)

    def search_kwargs(self) -> dict:
        """Arguments for ``organisation_search`` (call only once the form is valid)."""
        return {
            "q": self.cleaned_data["q"],
            "region": self.cleaned_data["region"],
            "org_type": self.cleaned_data["type"],
        }

    def page_out_of_range(self, *, number: int, num_pages: int) -> None:
        """Mark the page field wrong once the number of pages is known."""
        pages = "is 1 page" if num_pages == 1 else f"are {num_pages} pages"
        self.add_error("page", f"There is no page {number}: there {pages} of results")

    def error_summary_items(self) -> list[dict]:
        """Items for the NHS error summary, linking to each field shown on the page."""
        return [
            {"text": str(message), "href": "" if name == "page" else f"#{name}"}
            for name in self.fields
            for message in self.errors.get(name, [])
        ]

    def field_errors(self) -> dict[str, str]:
        """The first error message of each field that has one."""
        return {name: str(messages[0]) for name, messages in self.errors.items()}

    def api_errors(self) -> list[dict]:
        """Errors for the API, in the shape of its other validation errors.

        An unknown region or type says which values are accepted, since an API
        caller has no list to choose from.
        """
        errors = []
        for name, problems in self.errors.as_data().items():
            problem = problems[0]
            detail = (problem.params or {}).get("detail")
            message = detail if detail else " ".join(problem.messages)
            errors.append({"loc": ["query", name], "msg": message, "type": "value_error"})
        return errors
