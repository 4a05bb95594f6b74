"""Forms for the case examiners' pages: recording a decision, the registrant's answer to
undertakings, and declaring an interest. They check the shape of what was sent; the
services decide whether it is allowed (the pair of examiners, conflicts, the stage)."""

from django import forms

from steward.cases.forms import long_text, radios
from steward.cases.models import ExaminerOutcome
from steward.cases.text import TEXT_LIMIT
from steward.core.nhsuk_forms import NhsukDateField, NhsukForm, text_field, version_field

SEARCH_MAX = 100
DESCRIPTION_MAX = 500


class DecisionForm(NhsukForm):
    """The pair's decision. ``examiners`` maps a user id to every case examiner the
    signed-in examiner might name; which of them may decide is the service's to say."""

    version = version_field()
    other_examiner = forms.TypedChoiceField(
        label="Who decided the case with you?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the examiner who decided the case with you",
            "invalid_choice": "Choose the other examiner from the list",
        },
    )
    outcome = radios(
        "What did you decide?",
        choices=ExaminerOutcome.choices,
        message="Choose the case examiners' decision",
        invalid="Choose the case examiners' decision from the list",
    )
    undertakings = long_text(
        "The undertakings",
        hint="What the registrant agrees to do, one undertaking to a line. The registrant "
        "reads these before accepting or refusing them.",
        rows=6,
        max_length=TEXT_LIMIT,
    )
    published_summary = long_text(
        "Summary for the public register (optional)",
        hint="Shown on the registrant's public entry with the warning. Leave it blank for a "
        "plain sentence saying a warning was given.",
        rows=4,
        max_length=TEXT_LIMIT,
    )
    reasons = long_text(
        "Reasons for the decision",
        required_message="Enter the reasons for the decision",
        hint="The registrant is given these reasons.",
        rows=8,
        max_length=TEXT_LIMIT,
    )

    def __init__(self, *args, examiners: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_examiner"].choices = [
            (pk, examiner.name) for pk, examiner in examiners.items()
        ]


class UndertakingsAnswerForm(NhsukForm):
    version = version_field()
    answer = radios(
        "Do you accept the undertakings?",
        choices=[
            ("accept", "Yes, I accept the undertakings"),
            ("refuse", "No, I refuse them"),
        ],
        message="Choose whether you accept the undertakings",
    )


class InterestForm(NhsukForm):
    """Search for the organisation (``q``), choose it from the results
    (``organisation``: an ODS code), then describe the interest and its dates."""

    q = text_field(
        "Search for the organisation",
        max_length=SEARCH_MAX,
        hint="Its name or ODS code, for example Leeds Teaching Hospitals or RR8",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    organisation = forms.ChoiceField(
        label="Choose the organisation",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Search again, and select one of the results"},
    )
    description = text_field(
        "Describe the interest",
        max_length=DESCRIPTION_MAX,
        required_message="Describe the interest, for example “Non-executive director”",
        hint="For example, Non-executive director, a close relative works there, or a "
        "consultancy contract",
    )
    from_date = NhsukDateField(
        name="Start date",
        label="When did it start? (optional)",
        help_text="For example, 1 4 2019",
        required=False,
    )
    to_date = NhsukDateField(
        name="End date",
        label="When did it end? (optional)",
        help_text="Leave it blank if it continues. For example, 31 3 2023",
        required=False,
    )

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (organisation.ods_code, f"{organisation.name} ({organisation.ods_code})")
            for organisation in results
        ]

    def clean_organisation(self):
        """Chosen from the results: said against the radios when there are some, or
        against the search box when there are none to choose from."""
        code = self.cleaned_data.get("organisation")
        if not code:
            if self.fields["organisation"].choices:
                raise forms.ValidationError("Select the organisation the interest is in")
            if "q" not in self.errors:
                self.add_error(
                    "q", "Search for the organisation the interest is in, then select it"
                )
        return code

    @property
    def query(self) -> str:
        if not self.is_bound:
            return ""
        return (self.data.get("q") or "").strip()[:SEARCH_MAX]
