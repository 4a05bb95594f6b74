"""Forms for the registrant's and the registrar's signed-in pages.

Dates use core's ``NhsukDateField`` (the NHS.UK three-box date input).
"""

import datetime as dt

from django import forms

from steward.core import clock
from steward.core.nhsuk_forms import NhsukDateField, NhsukForm, text_field
from steward.register.applications import MAX_PREVIOUS_NAMES
from steward.register.models import RegisterStatus
from steward.register.numbers import clean_registration_number, registration_number_problem

EARLIEST_BIRTH = dt.date(1900, 1, 1)


def _text(
    label: str,
    *,
    missing: str | None = None,
    required: bool = True,
    max_length: int = 200,
    help_text: str = "",
    **kwargs,
) -> forms.CharField:
    required_message = (missing or f"Enter {label.lower()}") if required else None
    return text_field(
        label, max_length=max_length, required_message=required_message, hint=help_text, **kwargs
    )


def _email_field() -> forms.EmailField:
    return forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the right format, like name@example.com",
            "required": "Enter your email address",
        },
    )


def _phone_field() -> forms.CharField:
    return _text(
        "Phone number (optional)",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class ApplicationForm(NhsukForm):
    legal_forenames = _text(
        "Legal forename or forenames",
        missing="Enter your legal forename or forenames",
        help_text="As on your passport or other official documents",
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
    )
    legal_surname = _text(
        "Legal surname",
        missing="Enter your legal surname",
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
    )
    known_as = _text(
        "Known as (optional)",
        required=False,
        help_text="The first name you use at work, if it is not your legal forename",
    )
    previous_names = forms.CharField(
        label="Previous names (optional)",
        required=False,
        max_length=MAX_PREVIOUS_NAMES * 410,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=(
            "Any names you were known by before, one per line, like Jane Smith. If a surname "
            "has more than one word, write it first with a comma, like de la Cruz, Maria. "
            "Only the registrar sees these: they are never shown on the public register."
        ),
    )
    date_of_birth = NhsukDateField(
        name="Date of birth",
        label="Date of birth",
        earliest=EARLIEST_BIRTH,
        latest=clock.today,
        help_text="For example, 15 3 1984",
    )
    email = _email_field()
    phone = _phone_field()

    def as_session(self) -> dict:
        data = dict(self.cleaned_data)
        data["date_of_birth"] = data["date_of_birth"].isoformat()
        return data

    @classmethod
    def initial_from_session(cls, data: dict) -> dict:
        initial = dict(data)
        try:
            initial["date_of_birth"] = dt.date.fromisoformat(data.get("date_of_birth", ""))
        except (TypeError, ValueError):
            initial.pop("date_of_birth", None)
        return initial


class ContactDetailsForm(NhsukForm):
    email = _email_field()
    phone = _phone_field()
    address = forms.CharField(
        label="Postal address (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "Reload the page, then make your changes again",
            "invalid": "Reload the page, then make your changes again",
            "min_value": "Reload the page, then make your changes again",
        },
    )


class QualificationForm(NhsukForm):
    title = _text(
        "Qualification",
        missing="Enter the qualification's title",
        help_text="For example, MSc Healthcare Leadership",
    )
    awarding_body = _text(
        "Awarded by",
        missing="Enter who awarded the qualification",
        help_text="The university, college or professional body",
    )
    awarded_on = NhsukDateField(
        name="Date awarded",
        label="Date awarded (optional)",
        required=False,
        latest=clock.today,
        help_text="For example, 15 3 2016",
    )
    evidence_reference = _text(
        "Certificate or reference number (optional)",
        required=False,
        help_text="Helps the registrar check it with the awarding body",
    )


class ApplicationDecisionForm(NhsukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve: add them to the register"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or refuse the application"},
    )
    reason = forms.CharField(
        label="Reasons",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed if you refuse. The applicant will see them.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reasons for refusing the application")
        return data


class QualificationDecisionForm(NhsukForm):
    decision = forms.ChoiceField(
        label="Could you verify this qualification?",
        choices=[("verified", "Yes, it is verified"), ("not_verified", "No, it is not verified")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the qualification is verified"},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if it is not verified. The registrant will see it.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "not_verified" and not (data.get("note") or "").strip():
            self.add_error("note", "Say why the qualification could not be verified")
        return data


class StatusChangeForm(NhsukForm):
    to_status = forms.ChoiceField(
        label="New status",
        choices=[("", "Choose a status"), *RegisterStatus.choices],
        error_messages={"required": "Choose the new status"},
    )
    effective_on = NhsukDateField(
        name="Date it takes effect",
        label="Date it takes effect",
        required=False,
        latest=clock.today,
        help_text="Leave blank for today. For example, 15 3 2026",
    )
    reason = forms.CharField(
        label="Reason",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is kept in the record's status history",
        error_messages={"required": "Enter the reason for this change"},
    )

    def __init__(self, *args, registrant=None, **kwargs):
        self.registrant = registrant
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        effective = data.get("effective_on")
        if self.registrant is not None and effective and effective < self.registrant.status_since:
            self.add_error(
                "effective_on",
                "The date cannot be before the current status started "
                f"({self.registrant.status_since.day} "
                f"{self.registrant.status_since:%B %Y})",
            )
        return data


class RegistrationNumberField(forms.CharField):
    def to_python(self, value):
        return clean_registration_number(super().to_python(value))

    def validate(self, value):
        problem = registration_number_problem(value)
        if problem:
            raise forms.ValidationError(problem.rstrip("."), code="invalid")


class MergeFindForm(NhsukForm):
    duplicate = RegistrationNumberField(
        label="Registration number of the duplicate record",
        max_length=20,
        help_text="The record to merge into this one, like M1234567. Its number will lead here.",
        error_messages={"required": "Enter the registration number of the duplicate record"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
    )


class MergeConfirmForm(NhsukForm):
    reason = forms.CharField(
        label="Why are these the same person?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for merging these records"},
    )
    duplicate_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    survivor_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RecordSearchForm(NhsukForm):
    q = forms.CharField(
        label="Name or registration number",
        required=False,
        max_length=200,
        help_text="Finds previous names too",
    )
