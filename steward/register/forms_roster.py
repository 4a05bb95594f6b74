"""Forms for an employer's board and senior manager roster.

Dates use core's ``NhsukDateField`` (the NHS.UK three-box date input).
"""

import datetime as dt

from django import forms

from steward.core import clock
from steward.core.formatting import uk_date
from steward.core.nhsuk_forms import NhsukDateField, NhsukForm, text_field, years_from_today
from steward.register.models import DisciplinaryActionKind, RoleCategory
from steward.register.numbers import clean_registration_number, registration_number_problem

# The NHS began on 5 July 1948: no NHS role starts before it.
NHS_BEGAN = dt.date(1948, 7, 5)
YES_NO = [("yes", "Yes"), ("no", "No")]
TERMS_MESSAGE = "Select whether the settlement agreement included confidentiality terms"


def yes_no_field(label: str, *, required_message: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={
            "required": required_message,
            "invalid_choice": required_message,
        },
    )


class RosterAddForm(NhsukForm):
    """Add someone to the roster: an existing registrant, or a new record, and their role."""

    on_register = forms.ChoiceField(
        label="Are they already on the register?",
        choices=[
            ("yes", "Yes, I have their registration number"),
            ("no", "No, add them to the register"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether they are already on the register",
            "invalid_choice": "Select whether they are already on the register",
        },
    )
    registration_number = text_field(
        "Registration number",
        max_length=20,
        hint="The letter M followed by 7 digits, like M1234567",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    legal_forenames = text_field(
        "Legal forename or forenames",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    legal_surname = text_field(
        "Legal surname",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    known_as = text_field(
        "Known as (optional)",
        max_length=200,
        hint="The forename they use at work, if different",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = NhsukDateField(
        name="Date of birth",
        label="Date of birth",
        required=False,
        help_text="For example, 15 3 1975",
        earliest=dt.date(1900, 1, 1),
        latest=clock.today,
    )
    email = forms.EmailField(
        label="Work email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter a work email address in the correct format, like name@nhs.net",
            "max_length": "Work email address must be 254 characters or fewer",
            "null_characters_not_allowed": "Work email address must not include unusual characters",
        },
    )

    title = text_field(
        "Job title",
        max_length=200,
        required_message="Enter their job title",
        hint="For example, Chief Nursing Officer",
    )
    category = forms.ChoiceField(
        label="Type of role",
        choices=RoleCategory.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of role",
            "invalid_choice": "Select the type of role",
        },
    )
    start_date = NhsukDateField(
        name="Start date",
        label="Start date",
        help_text="For example, 1 4 2026",
        earliest=NHS_BEGAN,
        latest=years_from_today(2),
        error_messages={"required": "Enter the date they started, or will start, in the role"},
    )
    is_interim = yes_no_field(
        "Is this an interim appointment?",
        required_message="Select whether this is an interim appointment",
    )
    employee_number = text_field(
        "Staff number (optional)",
        max_length=50,
        hint="Their number in your workforce system, such as the electronic staff record",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    EXISTING_FIELDS = ("registration_number",)
    NEW_FIELDS = ("legal_forenames", "legal_surname", "known_as", "date_of_birth", "email")

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("on_register")
        # Only the chosen branch counts: without JavaScript both are on the page.
        if choice == "yes":
            ignored = self.NEW_FIELDS
        elif choice == "no":
            ignored = self.EXISTING_FIELDS
        else:  # until they choose, problems in either branch would only confuse
            ignored = (*self.EXISTING_FIELDS, *self.NEW_FIELDS)
        for name in ignored:
            self._errors.pop(name, None)
            cleaned.pop(name, None)
        if choice == "yes" and "registration_number" not in self._errors:
            problem = registration_number_problem(cleaned.get("registration_number", ""))
            if problem:
                self.add_error("registration_number", problem)
            else:
                cleaned["registration_number"] = clean_registration_number(
                    cleaned["registration_number"]
                )
        if choice == "no":
            required = {
                "legal_forenames": "Enter their legal forename or forenames",
                "legal_surname": "Enter their legal surname",
                "date_of_birth": "Enter their date of birth",
                "email": "Enter their work email address",
            }
            for name, message in required.items():
                if name not in self._errors and not cleaned.get(name):
                    self.add_error(name, message)
        return cleaned

    def new_person(self) -> dict | None:
        """The new record's details, or None when adding someone already on the register."""
        if self.cleaned_data["on_register"] != "no":
            return None
        return {name: self.cleaned_data[name] for name in self.NEW_FIELDS}


class RoleEndForm(NhsukForm):
    """End a role: the date, why they left, and any settlement agreement."""

    end_date = NhsukDateField(
        name="End date",
        label="When did, or will, the role end?",
        help_text="For example, 31 3 2026",
        latest=years_from_today(2),
        error_messages={"required": "Enter the date the role ended, or will end"},
    )
    reason_for_leaving = text_field(
        "Reason for leaving",
        max_length=2000,
        required_message="Enter the reason they left the role",
        hint="This is not shown on the public register",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    settlement_agreement = yes_no_field(
        "Did they leave with a settlement agreement?",
        required_message="Select whether they left with a settlement agreement",
    )
    settlement_confidentiality_terms = forms.ChoiceField(
        label="Did the settlement agreement include confidentiality terms?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text="For example, a non-disclosure clause",
        error_messages={"invalid_choice": TERMS_MESSAGE},
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "required": "Something went wrong with the page. Reload it and try again.",
            "invalid": "Something went wrong with the page. Reload it and try again.",
            "min_value": "Something went wrong with the page. Reload it and try again.",
            "max_value": "Something went wrong with the page. Reload it and try again.",
        },
    )

    def __init__(self, *args, role, **kwargs):
        self.role = role
        kwargs.setdefault(
            "initial",
            {
                "end_date": role.end_date,
                "reason_for_leaving": role.reason_for_leaving,
                "settlement_agreement": ("yes" if role.settlement_agreement else "no")
                if role.end_date
                else None,
                "settlement_confidentiality_terms": (
                    "yes" if role.settlement_confidentiality_terms else "no"
                )
                if role.settlement_agreement
                else None,
                "version": role.version,
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        end = cleaned.get("end_date")
        if end is not None and end < self.role.start_date:
            self.add_error(
                "end_date",
                f"The end date must be on or after the date they started, "
                f"{uk_date(self.role.start_date)}",
            )
        if cleaned.get("settlement_agreement") == "yes":
            if not cleaned.get("settlement_confidentiality_terms"):
                self.add_error("settlement_confidentiality_terms", TERMS_MESSAGE)
        else:
            # Confidentiality terms only exist as part of a settlement agreement.
            cleaned["settlement_confidentiality_terms"] = "no"
        return cleaned

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "end_date": data["end_date"],
            "reason_for_leaving": data["reason_for_leaving"].strip(),
            "settlement_agreement": data["settlement_agreement"] == "yes",
            "settlement_confidentiality_terms": data["settlement_confidentiality_terms"] == "yes",
        }


class DisciplinaryActionForm(NhsukForm):
    """Record formal action against one of the organisation's people."""

    kind = forms.ChoiceField(
        label="What kind of action is it?",
        choices=DisciplinaryActionKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the kind of action",
            "invalid_choice": "Select the kind of action",
        },
    )
    started_on = NhsukDateField(
        name="Start date",
        label="When did the action start?",
        help_text="For example, 3 3 2026",
        earliest=NHS_BEGAN,
        latest=clock.today,
        error_messages={"required": "Enter the date the action started"},
    )
    summary = text_field(
        "Summary",
        max_length=5000,
        required_message="Enter a summary of the action and why it was taken",
        hint=(
            "What the action is and why it was taken. Only your organisation and the "
            "regulator can see this."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
