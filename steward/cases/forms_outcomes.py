"""Forms for the panel's findings, the sanction, issuing a determination and appeals.

They check the shape of what was typed; the services (``determinations``,
``appeals``) decide everything that needs the case, and their messages are shown on
these forms. The sanction's terms are one form (``SanctionTermsForm``) used both by
the panel and by a hearings officer substituting a sanction on appeal.
"""

from django import forms
from django.conf import settings

from steward.cases.appeals import AppealOutcome
from steward.cases.determinations import SANCTION_PHRASES
from steward.cases.forms import long_text, radios
from steward.cases.models import SANCTION_LADDER, SanctionKind
from steward.core.nhsuk_forms import NhsukDateField, NhsukForm, text_field, version_field
from steward.register.forms_roster import yes_no_field

PROVED = "proved"
NOT_PROVED = "not_proved"
FINDINGS = [(PROVED, "Proved"), (NOT_PROVED, "Not proved")]
SUMMARY_LIMIT = 2_000


def sanction_hints() -> dict[str, str]:
    """What each sanction means, under its choice."""
    years = settings.CASES_PUBLICATION_YEARS
    return {
        SanctionKind.ADVICE: "Guidance to the registrant. Never published.",
        SanctionKind.WARNING: f"Shown on the public register for {years.get('warning', 0)} years.",
        SanctionKind.CONDITIONS: "Conditions the registrant must meet, until an end date.",
        SanctionKind.SUSPENSION: "The registration is suspended for up to "
        f"{settings.CASES_SUSPENSION_MAX_MONTHS} months.",
        SanctionKind.BARRING: "Barred from NHS management, with no end date.",
    }


def sanction_choices() -> list[tuple[str, str]]:
    """The sanctions a panel can impose, least severe first."""
    return [(kind.value, kind.label) for kind in SANCTION_LADDER]


def lesser_sanctions(kind: str) -> list[SanctionKind]:
    """The sanctions less severe than ``kind``: the panel says why each is not enough."""
    ladder = list(SANCTION_LADDER)
    return ladder[: ladder.index(SanctionKind(kind))]


# --- Findings of fact -------------------------------------------------------------


class FactsForm(NhsukForm):
    """One finding (proved or not, with reasons) for each allegation not withdrawn."""

    version = version_field()

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = list(numbers)
        for number in self.numbers:
            self.fields[f"proved_{number}"] = radios(
                f"Was allegation {number} found proved?",
                choices=FINDINGS,
                message=f"Select whether allegation {number} was found proved or not proved",
            )
            self.fields[f"reasons_{number}"] = long_text(
                f"Reasons for the finding on allegation {number}",
                required_message=f"Enter the reasons for the finding on allegation {number}",
                rows=4,
            )

    def rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(n, self[f"proved_{n}"], self[f"reasons_{n}"]) for n in self.numbers]

    def findings(self) -> dict[int, tuple[bool, str]]:
        return {
            n: (self.cleaned_data[f"proved_{n}"] == PROVED, self.cleaned_data[f"reasons_{n}"])
            for n in self.numbers
        }

    @staticmethod
    def initial_from(facts: dict, version: int) -> dict:
        initial: dict = {"version": version}
        for key, finding in (facts or {}).items():
            if not isinstance(finding, dict):
                continue
            if isinstance(finding.get("proved"), bool):
                initial[f"proved_{key}"] = PROVED if finding["proved"] else NOT_PROVED
            initial[f"reasons_{key}"] = finding.get("reasons", "")
        return initial


# --- Impairment -------------------------------------------------------------------


class ImpairmentForm(NhsukForm):
    """Whether fitness to practise is impaired, with reasons. When nothing was found
    proved it cannot be, so the question is not asked: only the reasons are."""

    impaired = yes_no_field(
        "Is the registrant's fitness to practise impaired?",
        required_message="Select whether the registrant's fitness to practise is impaired",
    )
    reasons = long_text(
        "Reasons for the finding on impairment",
        required_message="Enter the reasons for the finding on impairment",
        rows=6,
    )
    version = version_field()

    def __init__(self, *args, may_be_impaired: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_be_impaired:
            del self.fields["impaired"]

    def is_impaired(self) -> bool:
        return self.cleaned_data.get("impaired") == "yes"


# --- The sanction -------------------------------------------------------------------


class SanctionChoiceForm(NhsukForm):
    """The first question: which sanction (asked with GET, so the next page can ask
    exactly what that sanction needs)."""

    sanction = radios(
        "Which sanction does the panel impose?",
        choices=sanction_choices,
        message="Select the sanction",
        invalid="Select a sanction from the list",
    )


class SanctionTermsForm(NhsukForm):
    """What one sanction needs: reasons, why each less severe sanction is not enough,
    conditions and dates where it has them, and the published summary where the public
    register shows it (never advice, never a health-related case)."""

    def __init__(
        self,
        *args,
        kind: str,
        published: bool,
        reasons_label: str = "Reasons for the sanction",
        reasons_message: str = "Enter the reasons for the sanction",
        with_version: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.kind = SanctionKind(kind)
        self.published = published
        self.lesser = lesser_sanctions(kind)
        self.fields["reasons"] = long_text(reasons_label, required_message=reasons_message, rows=6)
        for lesser in self.lesser:
            phrase = SANCTION_PHRASES[lesser]
            self.fields[f"rejected_{lesser.value}"] = long_text(
                f"Why would {phrase} not be enough?",
                required_message=f"Say why {phrase} would not be enough",
                rows=3,
            )
        if self.kind == SanctionKind.CONDITIONS:
            self.fields["conditions"] = long_text(
                "The conditions",
                required_message="Write down the conditions the registrant must meet",
                hint="Each condition on its own line. The registrant and their employers see them.",
                rows=6,
            )
        if self.kind != SanctionKind.ADVICE:
            self.fields["effective_from"] = NhsukDateField(
                name="Date it takes effect",
                label="When does it take effect?",
                required=False,
                help_text="Leave this empty for it to take effect on the day the "
                "determination is issued. For example, 1 8 2026",
            )
        if self.kind in (SanctionKind.CONDITIONS, SanctionKind.SUSPENSION):
            what = "conditions" if self.kind == SanctionKind.CONDITIONS else "suspension"
            hint = "For example, 1 2 2027"
            if self.kind == SanctionKind.SUSPENSION:
                months = settings.CASES_SUSPENSION_MAX_MONTHS
                hint = f"A suspension lasts at most {months} months. {hint}"
            self.fields["ends_on"] = NhsukDateField(
                name=f"Date the {what} end" if what == "conditions" else "Date the suspension ends",
                label=f"When do the {what} end?"
                if what == "conditions"
                else "When does the suspension end?",
                help_text=hint,
                error_messages={
                    "required": "Enter the date the conditions end"
                    if what == "conditions"
                    else "Enter the date the suspension ends"
                },
            )
        if self.published:
            self.fields["published_summary"] = text_field(
                "Summary for the public register",
                max_length=SUMMARY_LIMIT,
                required_message="Enter the summary the public register will show with the "
                "sanction",
                hint="Shown on the registrant's public entry while the sanction is published. "
                "Plain English; no health details, no names of other people.",
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        if with_version:
            self.fields["version"] = version_field()

    def rejected_fields(self) -> list[forms.BoundField]:
        return [self[f"rejected_{lesser.value}"] for lesser in self.lesser]

    def terms(self) -> dict:
        """The keyword arguments ``sanction_record`` and ``appeal_decide`` take."""
        data = self.cleaned_data
        return {
            "sanction": self.kind.value,
            "less_severe_rejected": {
                lesser.value: data.get(f"rejected_{lesser.value}", "") for lesser in self.lesser
            },
            "conditions": data.get("conditions", ""),
            "effective_from": data.get("effective_from"),
            "ends_on": data.get("ends_on"),
            "published_summary": data.get("published_summary", ""),
        }

    @staticmethod
    def initial_from(determination) -> dict:
        """A recorded sanction, to change it (the same kind only)."""
        initial = {
            "version": determination.version,
            "reasons": determination.sanction_reasons,
            "conditions": determination.conditions,
            "effective_from": determination.effective_from,
            "ends_on": determination.ends_on,
            "published_summary": determination.published_summary,
        }
        for key, text in (determination.less_severe_rejected or {}).items():
            initial[f"rejected_{key}"] = text
        return initial


# --- Appeals ------------------------------------------------------------------------


class AppealForm(NhsukForm):
    grounds = long_text(
        "Your grounds for appeal",
        required_message="Enter the grounds for your appeal",
        hint="Say why you think the decision is wrong: for example, the facts found, the "
        "finding on impairment, or the sanction. You can send documents that support your "
        "appeal with your response on your case page.",
        rows=10,
    )


class AppealOutcomeForm(NhsukForm):
    """The first question on deciding an appeal (asked with GET): the outcome, and for a
    substituted sanction, which one."""

    outcome = radios(
        "What is the outcome of the appeal?",
        choices=AppealOutcome.choices,
        message="Select the outcome of the appeal",
        invalid="Select an outcome from the list",
    )
    sanction = forms.ChoiceField(
        label="Which sanction replaces it?",
        widget=forms.RadioSelect,
        choices=sanction_choices,
        required=False,
        error_messages={"invalid_choice": "Select a sanction from the list"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == AppealOutcome.SUBSTITUTED and not cleaned.get("sanction"):
            self.add_error("sanction", "Select the sanction that replaces the earlier one")
        if cleaned.get("outcome") != AppealOutcome.SUBSTITUTED:
            cleaned["sanction"] = ""
        return cleaned


class AppealReasonsForm(NhsukForm):
    """The reasons for dismissing or allowing an appeal."""

    reasons = long_text(
        "Reasons for the decision on the appeal",
        required_message="Enter the reasons for the decision",
        hint="The registrant reads these in the appeal determination.",
        rows=8,
    )
