"""What every search page reads from its query string: a page number, and the
ways its errors are shown (NHS error summary, inline messages, API errors)."""

from django import forms

PAGE_MESSAGE = "Page must be a whole number, like 2"


class QueryStringSearchForm(forms.Form):
    """Base for search forms: every field optional, every value checked.

    Subclasses add their filters and set ``field_order`` (the order of the
    error summary) and, if deep pages are too costly, ``max_page``.
    """

    max_page: int | None = None
    too_far_message = "There are too many pages of results: search for something narrower"

    page = forms.CharField(
        label="Page",
        required=False,
        max_length=12,
        error_messages={"max_length": PAGE_MESSAGE, "null_characters_not_allowed": PAGE_MESSAGE},
    )

    def clean_page(self) -> int:
        value = self.cleaned_data["page"].strip()
        if not value:
            return 1
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise forms.ValidationError(PAGE_MESSAGE, code="bad_page")
        if self.max_page is not None and int(value) > self.max_page:
            raise forms.ValidationError(self.too_far_message, code="page_too_far")
        return int(value)

    def page_out_of_range(self, *, number: int, num_pages: int) -> None:
        """Mark the page field wrong once the number of pages is known."""
        pages = "is 1 page" if num_pages == 1 else f"are {num_pages:,} pages"
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
        """Errors in the shape of the API's other validation errors.

        A value that should come from a list says which values are accepted
        (the error's ``detail``), since an API caller has no list to choose from.
        """
        errors = []
        for name, problems in self.errors.as_data().items():
            problem = problems[0]
            detail = (problem.params or {}).get("detail")
            message = detail if detail else " ".join(problem.messages)
            errors.append({"loc": ["query", name], "msg": message, "type": "value_error"})
        return errors
