"""Forms for the concerns team's pages: assigning, writing to the reporter, staff
notes and triage. Services do the checking that needs the database; these check
the shape of what was typed."""

from django import forms

from steward.concerns.forms_report import long_text as report_long_text
from steward.concerns.forms_report import radio_params
from steward.concerns.models import TriageOutcome
from steward.concerns.triage import MAX_TEXT
from steward.core import clock
from steward.core.nhsuk_forms import RELOAD, NhsukDateField, NhsukForm, text_field, version_field
from steward.organisations.models import Organisation

# Who is told what, under each outcome on the triage form.
OUTCOME_HINTS = {
    TriageOutcome.CLOSE: "The person who raised it is told why, in your words below.",
    TriageOutcome.REFER_TO_EMPLOYER: (
        "The employer's chair, chief executive and HR lead are told. The manager is told a "
        "concern was raised, never by whom."
    ),
    TriageOutcome.OPEN_CASE: (
        "Recorded as a recommendation until the case is opened. The manager is told a "
        "concern was raised, never by whom."
    ),
    TriageOutcome.URGENT_ACTION: "The registrars are told at once. The manager is not told yet.",
}


def long_text(label: str, *, required_message: str | None = None, hint: str = "", rows: int = 5):
    """A long answer of up to ``MAX_TEXT`` characters, for the staff pages."""
    return report_long_text(
        label, max_length=MAX_TEXT, required_message=required_message, hint=hint, rows=rows
    )


class VersionForm(NhsukForm):
    """Buttons that change the concern (acknowledge) carry the version the page showed."""

    prefix = "acknowledge"
    version = version_field()


class AssignForm(NhsukForm):
    prefix = "assign"
    assignee = forms.ChoiceField(
        label="Caseworker",
        error_messages={
            "required": "Choose who to assign the concern to",
            "invalid_choice": "Choose a caseworker from the list",
        },
    )
    version = version_field()

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.caseworkers = {str(user.pk): user for user in caseworkers}
        self.fields["assignee"].choices = [
            ("", "Choose a caseworker"),
            ("none", "Nobody (unassign)"),
            *[(pk, user.full_name or user.email) for pk, user in self.caseworkers.items()],
        ]

    def chosen(self):
        """The caseworker chosen, or None to unassign."""
        value = self.cleaned_data["assignee"]
        return None if value == "none" else self.caseworkers[value]


class MessageForm(NhsukForm):
    prefix = "message"
    body = long_text(
        "Your message",
        required_message="Enter your message",
        hint="The person who raised the concern reads this in their inbox. Write in plain "
        "English, and do not say anything that would tell them who else was involved.",
        rows=6,
    )
    needs_reply = forms.BooleanField(label="The reporter needs to reply", required=False)
    is_feedback = forms.BooleanField(
        label="This is substantive feedback on their concern", required=False
    )


class NoteForm(NhsukForm):
    prefix = "note"
    body = long_text(
        "Add a note for the concerns team",
        required_message="Enter your note",
        hint="Notes are only for the concerns team. The person who raised the concern never "
        "sees them.",
        rows=4,
    )


def conduct_date_field(*, hint: str) -> NhsukDateField:
    """When the conduct happened (today or before), which picks the standards to cite."""
    return NhsukDateField(
        name="Date of the conduct",
        label="When did the conduct happen?",
        help_text=f"{hint} For example, 15 3 2026",
        latest=clock.today,
        error_messages={"required": "Enter the date of the conduct"},
    )


class ConductDateForm(NhsukForm):
    """The first step of triage: which version of the standards applies."""

    conduct_on = conduct_date_field(hint="The standards in force on this date apply.")


class CitingForm(NhsukForm):
    """A form that cites standards and never events from the version in force on the
    (hidden) date of the conduct: ``citable`` offers the choices."""

    conduct_on = forms.DateField(
        widget=forms.HiddenInput,
        input_formats=["%Y-%m-%d"],
        error_messages={"required": RELOAD, "invalid": RELOAD},
    )
    standards = forms.MultipleChoiceField(
        label="Standards the conduct may breach",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose standards from the list"},
    )
    never_events = forms.MultipleChoiceField(
        label="Never events",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose never events from the list"},
    )

    def __init__(self, *args, citable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standards"].choices = [
            (c.ref, f"{c.ref} {c.title}") for c in citable.standards
        ]
        self.fields["never_events"].choices = [
            (c.ref, f"{c.ref} {c.title}") for c in citable.never_events
        ]

    def cited_refs(self) -> list[str]:
        return [*self.cleaned_data.get("standards", []), *self.cleaned_data.get("never_events", [])]


class TriageForm(CitingForm):
    field_order = ["version", "conduct_on", "outcome", "standards", "never_events"]
    version = version_field()
    outcome = forms.ChoiceField(
        label="What do you want to do with the concern?",
        choices=TriageOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what to do with the concern",
            "invalid_choice": "Choose what to do with the concern",
        },
    )
    reasons = long_text(
        "Your reasons",
        required_message="Enter the reasons for your decision",
        hint="For the regulator's records. The person who raised the concern and the employer "
        "do not see this.",
    )
    reporter_explanation = long_text(
        "What to tell the person who raised it",
        hint="In plain English. Needed when you close the concern; for other outcomes a "
        "standard message is sent and this is added to it.",
    )
    referred_to = text_field(
        "ODS code of the employer",
        max_length=10,
        hint="Leave as it is to refer it to the organisation named in the concern, or the "
        "manager's current employer",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    employer_summary = long_text(
        "Summary for the employer",
        hint="The employer's chair, chief executive and HR lead read this. Never say who "
        "raised the concern or anything that could identify them.",
    )

    def clean_referred_to(self):
        code = self.cleaned_data["referred_to"].strip().upper()
        if not code:
            return None
        organisation = (
            Organisation.objects.filter(ods_code=code).first() if code.isalnum() else None
        )
        if organisation is None:
            raise forms.ValidationError(
                "No NHS organisation has that ODS code. Check it and try again"
            )
        return organisation

    def outcome_params(self) -> dict:
        """NHS radios parameters for the outcome, with who is told under each."""
        params = radio_params(self["outcome"], hints=OUTCOME_HINTS, heading=False)
        params["fieldset"]["legend"]["size"] = "s"
        return params
