"""The organisation search form, shared by the web page and the API."""

from django import forms

from steward.core.nhsuk_forms import filter_field
from steward.core.search_forms import QueryStringSearchForm
from steward.organisations.models import Region
from steward.organisations.selectors import InvalidFilter, org_type_resolve, region_resolve

MAX_QUERY_LENGTH = 200


class RegionSearchForm(QueryStringSearchForm):
    """A search whose results can be filtered by NHS England region (code, slug or name)."""

    region = filter_field(
        "Region", name="Region", max_length=100, too_long="Choose a region from the list"
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


class OrganisationSearchForm(RegionSearchForm):
    """Search terms from a query string: every field optional, every value checked.

    ``region`` takes a region's code, slug or name; ``type`` an organisation
    type value; ``page`` a whole number from 1. Cleaned values are ready for
    :func:`steward.organisations.selectors.organisation_search`.
    """

    field_order = ["q", "region", "type", "page"]

    q = filter_field("Name or ODS code", name="Search", max_length=MAX_QUERY_LENGTH)
    type = filter_field(
        "Type of organisation",
        name="Type",
        max_length=50,
        too_long="Choose a type of organisation from the list",
    )

    def clean_type(self) -> str | None:
        try:
            return org_type_resolve(value=self.cleaned_data["type"])
        except InvalidFilter as exc:
            raise forms.ValidationError(
                "Choose a type of organisation from the list",
                code="unknown_type",
                params={"detail": exc.message},
            ) from exc

    def search_kwargs(self) -> dict:
        """Arguments for ``organisation_search`` (call only once the form is valid)."""
        return {
            "q": self.cleaned_data["q"],
            "region": self.cleaned_data["region"],
            "org_type": self.cleaned_data["type"],
        }
