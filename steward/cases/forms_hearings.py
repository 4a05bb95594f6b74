"""Forms for the hearing, panel and interim order pages. They check the shape of what
was typed; the services (``hearings``, ``panels``, ``sanctions``) decide everything
that needs the case: the notice period, the stage, the panel's make-up, conflicts,
the longest an interim order may last."""

from django import forms
from django.conf import settings

from steward.cases.forms import MAX_TEXT, UploadForm, file_field, long_text, radios
from steward.cases.models import SanctionKind
from steward.core.nhsuk_forms import (
    NhsukDateField,
    NhsukForm,
    text_field,
    version_field,
    years_from_today,
)

DATE_EXAMPLE = "For example, 27 3 2027"
LOCATION_HINT = "For example, Hearing centre, 2 Piccadilly Place, Manchester, or Remote (video)"
INTERIM_KINDS = [
    (SanctionKind.CONDITIONS.value, "Interim conditions"),
    (SanctionKind.SUSPENSION.value, "Interim suspension"),
]
REVIEW_OUTCOMES = [
    ("continue", "Continue the order"),
    ("vary", "Vary the order"),
    ("revoke", "Revoke the order"),
]


def hearing_date_field(label: str) -> NhsukDateField:
    # The notice period is the service's to enforce (its message says which date is
    # the earliest); the form only keeps out dates typed years ahead by mistake.
    return NhsukDateField(
        name="Date of the hearing",
        label=label,
        help_text=DATE_EXAMPLE,
        latest=years_from_today(3),
        error_messages={"required": "Enter the date of the hearing"},
    )


def location_field() -> forms.CharField:
    return text_field(
        "Where the hearing will be held",
        max_length=300,
        required_message="Enter where the hearing will be held, or say it will be held remotely",
        hint=LOCATION_HINT,
    )


class ScheduleForm(NhsukForm):
    kind = radios("What kind of hearing is it?", message="Choose the kind of hearing")
    starts_on = hearing_date_field("When does the hearing start?")
    location = location_field()

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds


class RescheduleForm(NhsukForm):
    starts_on = hearing_date_field("When does the hearing start now?")
    location = location_field()
    reason = long_text(
        "Why is the hearing being moved?",
        required_message="Enter why the hearing is being moved",
        hint="Kept in the case's records. The registrant and the panel are told the new date, "
        "not the reason.",
        rows=3,
    )
    version = version_field()


class PanelForm(NhsukForm):
    members = forms.MultipleChoiceField(
        label="Who sits on the panel?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose three people: at least one lay member and one manager member.",
        error_messages={
            "required": "Choose three people for the panel",
            "invalid_choice": "Choose the panel from the list of panel members",
        },
    )
    chair = radios(
        "Who chairs the panel?",
        message="Choose who chairs the panel",
        hint="The chair must be one of the three, and a lay member.",
    )
    version = version_field()

    def __init__(self, *args, people: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = people
        self.fields["chair"].choices = people

    def clean_members(self):
        chosen = self.cleaned_data["members"]
        if len(chosen) != 3:
            raise forms.ValidationError(
                f"Choose exactly three people for the panel: you chose {len(chosen)}"
            )
        return [int(pk) for pk in chosen]

    def clean_chair(self):
        return int(self.cleaned_data["chair"])


class ConfirmForm(NhsukForm):
    """A page that only asks "are you sure?": the version the page was drawn from."""

    version = version_field()


class InterimOrderForm(NhsukForm):
    hearing = radios(
        "At which hearing was the order made?", message="Choose the interim order hearing"
    )
    kind = radios(
        "What kind of interim order is it?",
        message="Choose interim conditions or an interim suspension",
        choices=INTERIM_KINDS,
    )
    conditions = long_text(
        "The conditions",
        hint="Each condition the registrant must keep to, in plain English. The registrant "
        "and their employers see them.",
        rows=6,
    )
    months = forms.IntegerField(
        label="How many months does the order last?",
        min_value=1,
        max_value=10_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter how many months the order lasts, like 6",
            "invalid": "Enter how many months the order lasts as a number, like 6",
            "min_value": "Enter how many months the order lasts, like 6",
            "max_value": "Enter how many months the order lasts, like 6",
        },
    )

    def __init__(self, *args, hearings: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hearing"].choices = hearings
        self.fields["months"].help_text = (
            f"At most {settings.CASES_INTERIM_MAX_MONTHS} months. The order is reviewed at "
            f"least every {settings.CASES_INTERIM_REVIEW_MONTHS} months."
        )

    def clean_hearing(self):
        return int(self.cleaned_data["hearing"])


# Hearings officers may review an order without a hearing ("on the papers").
ON_THE_PAPERS = "papers"


class InterimReviewForm(NhsukForm):
    hearing = radios("At which hearing was the order reviewed?", message="Choose the hearing")
    outcome = radios(
        "What did the review decide?",
        message="Choose whether to continue, vary or revoke the order",
        choices=REVIEW_OUTCOMES,
    )
    kind = forms.ChoiceField(
        label="What kind of order is it now?",
        choices=INTERIM_KINDS,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose interim conditions or an interim suspension"},
    )
    conditions = long_text("The conditions now", rows=5)
    reasons = long_text(
        "Reasons for the decision",
        required_message="Enter the reasons for the decision",
        hint="The registrant is told the outcome.",
        rows=5,
    )

    def __init__(self, *args, hearings: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hearing"].choices = hearings

    def clean_hearing(self):
        value = self.cleaned_data["hearing"]
        return None if value == ON_THE_PAPERS else int(value)


class HearingResponseForm(UploadForm):
    prefix = "response"
    response = text_field(
        "Your response",
        max_length=MAX_TEXT,
        required_message="Enter your response",
        hint="What you want the panel to know: whether you accept the allegations, your "
        "side of what happened, and anything you want to say about the panel.",
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    file = file_field()
    file_title = text_field(
        "What is the file?",
        max_length=300,
        hint="For example, Statement from my line manager. Leave it blank if you are not "
        "sending a file.",
    )

    file_required = False
