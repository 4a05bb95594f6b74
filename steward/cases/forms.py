"""Forms for the case pages. They check the shape of what was typed and look up
what it names (a registration number, an ODS code); the services do every check
that needs the case itself."""

import mimetypes
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from django import forms

from steward.cases.services import MAX_EVIDENCE_BYTES
from steward.concerns.forms_staff import CitingForm, conduct_date_field
from steward.core.nhsuk_forms import (
    NhsukForm,
    filter_field,
    text_field,
    version_field,
)
from steward.organisations.models import Organisation
from steward.register.forms_roster import yes_no_field
from steward.register.models import Registrant
from steward.register.numbers import clean_registration_number, registration_number_problem

MAX_TEXT = 10_000
MAX_SEARCH = 20
SEARCH_HELP = (
    "Search by case reference, like FTP-2026-0001, or by registration number, like M1234567"
)
# Room in a request for the form's other fields beside the file.
FORM_ALLOWANCE_BYTES = 64 * 1024
MAX_EVIDENCE_TEXT = f"{MAX_EVIDENCE_BYTES // (1024 * 1024)} MB"


def long_text(
    label: str,
    *,
    required_message: str | None = None,
    hint: str = "",
    rows: int = 5,
    max_length: int = MAX_TEXT,
):
    return text_field(
        label,
        max_length=max_length,
        required_message=required_message,
        hint=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def radios(
    label: str, *, message: str, choices=(), hint: str = "", invalid: str = ""
) -> forms.ChoiceField:
    """A required choice as radios: ``message`` when nothing (or, without ``invalid``,
    something not offered) is chosen."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": message, "invalid_choice": invalid or message},
    )


# --- Files --------------------------------------------------------------------------


def request_too_large(request) -> bool:
    """An upload larger than evidence may be, from its Content-Length."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_EVIDENCE_BYTES + FORM_ALLOWANCE_BYTES


def safe_file_name(name: str) -> str:
    """The file's own name (no folders, no control characters), at most 255 characters."""
    base = PureWindowsPath(PurePosixPath(str(name or "")).name).name
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return cleaned[:255] or "evidence"


def media_type_for(name: str) -> str:
    """Judged from the name, never from what the browser claims."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def file_problem(uploaded) -> str | None:
    if uploaded.size == 0:
        return "The selected file is empty. Choose the file again"
    if uploaded.size > MAX_EVIDENCE_BYTES:
        return f"The selected file must be smaller than {MAX_EVIDENCE_TEXT}"
    return None


def file_field() -> forms.FileField:
    return forms.FileField(
        required=False,
        error_messages={
            "invalid": "The selected file could not be read. Choose the file again",
            "missing": "Choose a file",
            "empty": "The selected file is empty. Choose the file again",
            "max_length": "The file's name is too long. Rename the file and try again",
        },
    )


class UploadForm(NhsukForm):
    """A form with a ``file`` field (declared by each form, in its place): the file is
    checked here, and refused whole when the request was too large to read."""

    file_required = True

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    @classmethod
    def from_request(cls, request):
        """The form bound to a POST, and the status to answer with: 413, with the form
        saying why, when the request is larger than an upload may be."""
        if request_too_large(request):
            form = cls(request.POST, {}, too_large=True)
            form.is_valid()
            return form, 413
        return cls(request.POST, request.FILES), 200

    def clean_file(self):
        if self.too_large:
            raise forms.ValidationError(
                f"The selected file must be smaller than {MAX_EVIDENCE_TEXT}"
            )
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            if self.file_required:
                raise forms.ValidationError("Choose a file")
            return uploaded
        problem = file_problem(uploaded)
        if problem:
            raise forms.ValidationError(problem)
        return uploaded


class UploadedFile:
    """What a view hands to ``evidence_add``: the name, type and bytes of a file."""

    def __init__(self, uploaded):
        self.file_name = safe_file_name(uploaded.name)
        self.media_type = media_type_for(self.file_name)
        self.content = b"".join(uploaded.chunks())


# --- The case list ------------------------------------------------------------------


class CaseSearchForm(NhsukForm):
    q = filter_field(
        "Search by case reference or registration number",
        name="Search",
        max_length=MAX_SEARCH + 20,
        too_long=SEARCH_HELP,
        help_text="For example, FTP-2026-0123 or M1234567",
    )

    def clean_q(self):
        from steward.cases.selectors import clean_search, search_problem

        value = clean_search(self.cleaned_data.get("q"))
        problem = search_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


# --- Building a case ----------------------------------------------------------------


class ConductDateForm(NhsukForm):
    """The first step of adding an allegation: which version of the standards applies."""

    conduct_on = conduct_date_field(hint="The standards in force on this date are cited.")


class AllegationForm(CitingForm):
    field_order = ["conduct_on", "text", "standards", "never_events"]
    text = long_text(
        "The allegation",
        required_message="Enter the allegation",
        hint="What the registrant is alleged to have done, in plain English. The registrant "
        "sees this.",
        rows=6,
    )

    def clean(self):
        cleaned = super().clean()
        if (
            not self.errors.get("standards")
            and not self.errors.get("never_events")
            and not cleaned.get("standards")
            and not cleaned.get("never_events")
        ):
            self.add_error(
                "standards", "Choose at least one standard or never event the conduct may breach"
            )
        return cleaned


class EvidenceForm(UploadForm):
    prefix = "evidence"
    file = file_field()
    title = text_field(
        "Title",
        max_length=300,
        required_message="Enter a title for the evidence",
        hint="For example, Minutes of the board meeting on 3 March 2026",
    )
    disclosed = yes_no_field(
        "Disclose it to the registrant?",
        required_message="Choose whether to disclose the evidence to the registrant",
    )


class MoveForm(NhsukForm):
    prefix = "move"
    move = forms.ChoiceField(
        label="What happens next?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what happens next",
            "invalid_choice": "Choose what happens next from the list",
        },
    )
    reason = long_text(
        "Reason",
        required_message="Enter the reason for this step",
        hint="Kept in the case's history for the regulator's records.",
        rows=3,
    )
    version = version_field()

    def __init__(self, *args, moves: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move"].choices = moves


# --- Opening a case -----------------------------------------------------------------


def registration_number_field(*, required: bool = True) -> forms.CharField:
    return text_field(
        "Registration number",
        max_length=20,
        required_message="Enter the registration number" if required else None,
        hint="The letter M followed by 7 digits, like M1234567",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def registrant_for(value: str) -> Registrant:
    number = clean_registration_number(value)
    problem = registration_number_problem(number)
    if problem:
        raise forms.ValidationError(problem.rstrip("."))
    registrant = Registrant.objects.filter(registration_number=number).first()
    if registrant is None:
        raise forms.ValidationError(
            f"Nobody on the register has the registration number {number}. Check it and try again"
        )
    return registrant


class OpenCaseForm(NhsukForm):
    """What every new case needs: the regulator's summary, and whether it concerns health."""

    summary = long_text(
        "Summary of the matter",
        required_message="Enter a summary of the matter",
        hint="The regulator's description of the matter. The registrant sees it, so never "
        "say who raised a concern or anything that could identify them.",
        rows=6,
    )
    health_related = forms.BooleanField(
        label="The matter is related to the registrant's health",
        required=False,
        help_text="Health-related matters are never published.",
    )


class OwnMotionCaseForm(OpenCaseForm):
    field_order = ["registration_number", "summary", "health_related"]
    registration_number = registration_number_field()

    def clean_registration_number(self):
        return registrant_for(self.cleaned_data["registration_number"])


class EmployerCaseForm(OwnMotionCaseForm):
    field_order = ["registration_number", "ods_code", "summary", "health_related"]
    ods_code = text_field(
        "ODS code of the referring organisation",
        max_length=10,
        required_message="Enter the ODS code of the organisation that referred the manager",
        hint="For example, RR8",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_ods_code(self):
        code = "".join(self.cleaned_data["ods_code"].split()).upper()
        organisation = (
            Organisation.objects.filter(ods_code=code).first() if code.isalnum() else None
        )
        if organisation is None:
            raise forms.ValidationError(
                "No NHS organisation has that ODS code. Check it and try again"
            )
        return organisation


# --- The registrant's response ------------------------------------------------------


class ResponseForm(UploadForm):
    prefix = "response"
    text = long_text(
        "Your response",
        hint="What you want the regulator to know about the case. You can also send a file, "
        "such as a statement or a letter.",
        rows=8,
    )
    file = file_field()
    file_title = text_field(
        "What is the file?",
        max_length=300,
        hint="For example, Letter from my line manager. Leave it blank if you are not "
        "sending a file.",
    )

    file_required = False

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("text", "").strip() and not cleaned.get("file"):
            self.add_error("text", "Enter your response or choose a file to send")
        return cleaned
