"""Forms for editing the draft of the standards and publishing it.

The forms only parse what was typed; the rules (references, outcome ranges,
dates) live in ``services`` so the pages and any other caller share them.
"""

from django import forms

from steward.core.nhsuk_forms import NhsukDateField, NhsukForm, text_field
from steward.standards.models import Outcome
from steward.standards.services import MAX_SUMMARY, MAX_TEXT, MAX_TITLE

RELOAD = "Something went wrong with the page. Go back to the draft and try again."
# Generous: the service checks each line and how many there are.
MAX_LINES_TEXT = 20_000


def _revision_field(required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        required=required,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={key: RELOAD for key in ("required", "invalid", "min_value", "max_value")},
    )


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class StandardForm(NhsukForm):
    ref = text_field(
        "Reference",
        max_length=10,
        required_message="Enter the reference, like CC13",
        hint="CC followed by a number, like CC13. Concerns and findings cite the standard by it.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    title = text_field("Title", max_length=MAX_TITLE, required_message="Enter the title")
    text = text_field(
        "Text of the standard",
        max_length=MAX_TEXT,
        required_message="Enter the text of the standard",
        hint="In plain English, say what the manager does and where the line sits.",
        widget=_textarea(6),
    )

    def __init__(self, *args, with_revision: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_revision:
            self.fields["revision"] = _revision_field()


class DomainForm(NhsukForm):
    name = text_field("Name", max_length=MAX_TITLE, required_message="Enter the name")
    description = text_field(
        "Description",
        max_length=MAX_TEXT,
        required_message="Enter the description",
        widget=_textarea(4),
    )
    what_good_looks_like = text_field(
        "What good looks like",
        max_length=MAX_LINES_TEXT,
        required_message="Enter at least one statement of what good looks like",
        hint="One statement on each line.",
        widget=_textarea(8),
    )
    revision = _revision_field()


class NeverEventForm(NhsukForm):
    # Rendered as NHS checkboxes by the page (see item_form.jinja).
    checkbox_fields = frozenset({"standards"})

    ref = text_field(
        "Reference",
        max_length=10,
        required_message="Enter the reference, like NE9",
        hint="NE followed by a number, like NE9.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    title = text_field("Title", max_length=MAX_TITLE, required_message="Enter the title")
    description = text_field(
        "Description (optional)",
        max_length=MAX_TEXT,
        hint="What the conduct is, in plain English.",
        widget=_textarea(4),
    )
    standards = forms.MultipleChoiceField(
        label="Which standards does it breach?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={
            "required": "Select at least one standard this never event breaches",
            "invalid_choice": "Select standards from the list",
        },
    )

    def __init__(self, *args, standards, with_revision: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standards"].choices = [(s.ref, f"{s.ref}: {s.title}") for s in standards]
        if with_revision:
            self.fields["revision"] = _revision_field()


OUTCOME_CHOICES = [("", "Choose an outcome"), *Outcome.choices]


class GuidanceForm(NhsukForm):
    least_severe = forms.ChoiceField(
        label="Least severe outcome",
        choices=OUTCOME_CHOICES,
        error_messages={
            "required": "Select the least severe outcome",
            "invalid_choice": "Select the least severe outcome from the list",
        },
    )
    most_severe = forms.ChoiceField(
        label="Most severe outcome",
        choices=OUTCOME_CHOICES,
        error_messages={
            "required": "Select the most severe outcome",
            "invalid_choice": "Select the most severe outcome from the list",
        },
    )
    guidance = text_field(
        "Guidance",
        max_length=MAX_TEXT,
        required_message="Enter the guidance",
        hint="Where in the range a case usually falls, and why.",
        widget=_textarea(5),
    )
    aggravating_factors = text_field(
        "Aggravating factors",
        max_length=MAX_LINES_TEXT,
        required_message="Enter at least one aggravating factor",
        hint="What points towards the more severe end of the range. One on each line.",
        widget=_textarea(6),
    )
    mitigating_factors = text_field(
        "Mitigating factors",
        max_length=MAX_LINES_TEXT,
        required_message="Enter at least one mitigating factor",
        hint="What points towards the less severe end of the range. One on each line.",
        widget=_textarea(6),
    )
    # Empty when the item has no guidance yet.
    revision = _revision_field(required=False)


class PublishForm(NhsukForm):
    effective_from = NhsukDateField(
        name="Date it takes effect",
        label="When does this version take effect?",
        help_text="Today or later. For example, 1 4 2027",
        error_messages={"required": "Enter the date this version takes effect"},
    )
    summary = text_field(
        "Summary of changes",
        max_length=MAX_SUMMARY,
        required_message="Enter a summary of what changed from the version before",
        hint="Shown with the version on the public list of versions.",
        widget=_textarea(5),
    )


class ConfirmForm(NhsukForm):
    """A button and nothing else: the page says what will happen."""
