"""Forms for appointments and references, rendered with the NHS.UK components."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django import forms

from steward.core import clock
from steward.core.nhsuk_forms import NhsukDateField, NhsukForm, text_field, years_from_today
from steward.references import questions
from steward.register.forms_roster import yes_no_field
from steward.register.models import RoleCategory
from steward.register.numbers import clean_registration_number, registration_number_problem


def a_year_ago() -> dt.date:
    return clock.today() - relativedelta(years=1)


class ProposeForm(NhsukForm):
    registration_number = text_field(
        "Registration number",
        max_length=20,
        required_message="Enter the registration number of the person you want to appoint",
        hint="The letter M followed by 7 digits, like M1234567. It is on their public "
        "register entry.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role_title = text_field(
        "Job title",
        max_length=200,
        required_message="Enter the job title of the role",
        hint="For example, Chief Finance Officer",
    )
    role_category = forms.ChoiceField(
        label="Type of role",
        choices=RoleCategory.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of role",
            "invalid_choice": "Select the type of role",
        },
    )
    proposed_start_date = NhsukDateField(
        name="Proposed start date",
        label="Proposed start date",
        help_text="For example, 1 4 2027",
        earliest=a_year_ago,
        latest=years_from_today(2),
    )

    def clean_registration_number(self) -> str:
        value = self.cleaned_data["registration_number"]
        problem = registration_number_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return clean_registration_number(value)


class StartForm(NhsukForm):
    start_date = NhsukDateField(
        name="Start date",
        label="Start date",
        help_text="The day they start in the role. For example, 1 4 2027",
        earliest=a_year_ago,
        latest=years_from_today(2),
    )
    override_reason = forms.CharField(
        label="Reason to proceed without every reference",
        required=False,
        max_length=2000,
        help_text="Only the chair can record this. It is kept in the audit trail and shown "
        "to the regional director.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": "The reason must be 2,000 characters or fewer",
            "null_characters_not_allowed": "The reason must not include unusual characters",
        },
    )

    def __init__(self, *args, allow_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_override = allow_override
        if not allow_override:
            del self.fields["override_reason"]


class WithdrawForm(NhsukForm):
    reason = text_field(
        "Why is the appointment being withdrawn?",
        max_length=2000,
        required_message="Enter why the appointment is withdrawn",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _details_field() -> forms.CharField:
    return forms.CharField(
        label="Give details",
        required=False,
        max_length=questions.MAX_DETAILS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Details must be {questions.MAX_DETAILS:,} characters or fewer",
            "null_characters_not_allowed": "Details must not include unusual characters",
        },
    )


class ReferenceForm(NhsukForm):
    """The fixed questions: every one answered yes or no, details for each yes."""

    roles_and_dates = text_field(
        questions.ROLES_AND_DATES_LABEL,
        max_length=questions.MAX_DETAILS,
        required_message=questions.ROLES_AND_DATES_REQUIRED,
        hint="Each role they held with you, with the date it started and ended. "
        "For example, Director of Finance, 1 April 2019 to 31 March 2024",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, allow_on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for stem in questions.STEMS:
            self.fields[stem] = yes_no_field(
                questions.QUESTIONS[stem], required_message=questions.ANSWER_REQUIRED[stem]
            )
            self.fields[f"{stem}_details"] = _details_field()
        self.fields["referee_name"] = text_field(
            "Referee's full name",
            max_length=200,
            required_message="Enter the referee's full name",
            hint="The person giving the reference, usually the chair or chief executive",
        )
        self.fields["referee_job_title"] = text_field(
            "Referee's job title",
            max_length=200,
            required_message="Enter the referee's job title",
        )
        self.allow_on_behalf = allow_on_behalf
        if allow_on_behalf:
            self.fields["on_behalf_of_referee"] = forms.BooleanField(
                label="I am completing this reference on the named referee's behalf",
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        for stem in questions.STEMS:
            details = (cleaned.get(f"{stem}_details") or "").strip()
            if cleaned.get(stem) == "yes" and not details and f"{stem}_details" not in self.errors:
                self.add_error(f"{stem}_details", questions.DETAILS_REQUIRED[stem])
        return cleaned

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in questions.ANSWER_FIELDS}

    def referee(self) -> dict:
        """Who gives the reference, as the services take it."""
        data = self.cleaned_data
        return {
            "referee_name": data["referee_name"],
            "referee_job_title": data["referee_job_title"],
            "on_behalf_of_referee": data.get("on_behalf_of_referee", False),
        }

    @property
    def question_fields(self) -> list[tuple]:
        """(answer field, details field) for each question, in order."""
        return [(self[stem], self[f"{stem}_details"]) for stem in questions.STEMS]

    @classmethod
    def initial_from(cls, reference) -> dict:
        initial = {name: getattr(reference, name) for name in questions.ANSWER_FIELDS}
        initial.update(
            referee_name=reference.referee_name, referee_job_title=reference.referee_job_title
        )
        return initial
