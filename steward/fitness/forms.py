"""Forms for the fit and proper person test pages, rendered as NHS.UK components."""

from django import forms

from steward.core import clock
from steward.core.nhsuk_forms import NhsukDateField, NhsukForm, text_field, version_field
from steward.fitness.models import AssessmentOutcome, CheckOutcome, CompetencyRating

OUTCOME_CHOICES = [
    (CheckOutcome.SATISFACTORY, "Satisfactory"),
    (CheckOutcome.CONCERN, "Concern"),
    (CheckOutcome.NOT_APPLICABLE, "Not applicable"),
    (CheckOutcome.PENDING, "Pending: not done yet"),
]


def radio_field(label: str, choices, *, message: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": message, "invalid_choice": message},
    )


class CheckForm(NhsukForm):
    outcome = radio_field(
        "What is the outcome of the check?",
        OUTCOME_CHOICES,
        message="Select the outcome of the check",
    )
    not_applicable_reason = text_field(
        "Why does this check not apply?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    checked_on = NhsukDateField(
        name="Date checked",
        label="When was the check done?",
        required=False,
        help_text="For example, 15 3 2026",
        latest=clock.today,
    )
    evidence_reference = text_field(
        "Evidence reference (optional)",
        max_length=200,
        hint="Where the evidence is kept, such as a certificate number or a file reference",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    note = text_field(
        "Note (optional)",
        max_length=4000,
        hint="Anything the person concluding the assessment should know",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = version_field()

    def __init__(self, *args, check, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "outcome": check.outcome,
                "not_applicable_reason": check.not_applicable_reason,
                "checked_on": check.checked_on,
                "evidence_reference": check.evidence_reference,
                "note": check.note,
                "version": check.version,
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == CheckOutcome.PENDING:
            # A pending check has no date or reason: ignore whatever was typed there.
            self._errors.pop("checked_on", None)
            cleaned["checked_on"] = None
            cleaned["not_applicable_reason"] = ""
            return cleaned
        if outcome and "checked_on" not in self._errors and not cleaned.get("checked_on"):
            self.add_error("checked_on", "Enter the date the check was done")
        if outcome == CheckOutcome.NOT_APPLICABLE:
            if (
                "not_applicable_reason" not in self._errors
                and not (cleaned.get("not_applicable_reason") or "").strip()
            ):
                self.add_error("not_applicable_reason", "Enter why this check does not apply")
        else:
            self._errors.pop("not_applicable_reason", None)
            cleaned["not_applicable_reason"] = ""
        return cleaned


class ConcludeForm(NhsukForm):
    outcome = radio_field(
        "What is your conclusion?",
        [
            (AssessmentOutcome.FIT, "Fit and proper"),
            (AssessmentOutcome.NOT_FIT, "Not fit and proper"),
        ],
        message="Select whether they are fit and proper",
    )
    reasons = text_field(
        "Your reasons",
        max_length=10_000,
        required_message="Enter the reasons for your conclusion",
        hint="Refer to the checks, and explain how you weighed any concern",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = version_field()


class CompetencyForm(NhsukForm):
    """One rating and the evidence for it per domain of the competency framework."""

    def __init__(self, *args, domains, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        existing = existing or {}
        for domain in self.domains:
            rating, evidence = existing.get(domain.ref, ("", ""))
            self.fields[f"rating_{domain.ref}"] = radio_field(
                f"How do you rate yourself for {domain.name}?",
                CompetencyRating.Rating.choices,
                message=f"Select how you rate yourself for {domain.name}",
            )
            self.fields[f"evidence_{domain.ref}"] = text_field(
                "Your evidence",
                max_length=4000,
                required_message=f"Enter evidence for your rating for {domain.name}",
                hint="Give examples from the past year",
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.initial.setdefault(f"rating_{domain.ref}", rating)
            self.initial.setdefault(f"evidence_{domain.ref}", evidence)

    def sections(self) -> list[dict]:
        return [
            {
                "domain": domain,
                "rating": self[f"rating_{domain.ref}"],
                "evidence": self[f"evidence_{domain.ref}"],
            }
            for domain in self.domains
        ]

    def ratings(self) -> dict[str, tuple[str, str]]:
        return {
            domain.ref: (
                self.cleaned_data[f"rating_{domain.ref}"],
                self.cleaned_data[f"evidence_{domain.ref}"],
            )
            for domain in self.domains
        }


class AttestationForm(NhsukForm):
    confirms = radio_field(
        "Do you confirm that all of these statements are true?",
        [
            ("yes", "Yes, I confirm all of these statements are true"),
            ("no", "No, I need to declare something"),
        ],
        message="Select whether you confirm the statements or need to declare something",
    )
    declarations = text_field(
        "What do you need to declare?",
        max_length=10_000,
        hint="Say which statement it is about, what happened and when",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("confirms") == "no" and not (cleaned.get("declarations") or "").strip():
            self.add_error("declarations", "Enter what you need to declare")
        if cleaned.get("confirms") == "yes":
            cleaned["declarations"] = ""
        return cleaned


class OpenYearForm(NhsukForm):
    year = forms.IntegerField(
        label="Year",
        min_value=1,
        max_value=9999,
        help_text="For example, 2026",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the year to open",
            "invalid": "Year must be a number, like 2026",
            "min_value": "Year must be a real year, like 2026",
            "max_value": "Year must be a real year, like 2026",
        },
    )
