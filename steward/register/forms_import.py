"""The upload form for a workforce-system CSV file (the web page; the API shares the checks)."""

from pathlib import Path

from django import forms

from steward.core.nhsuk_forms import NhsukForm

# Uploads run while the person waits; larger files go through the command line.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_TEXT = "5MB"
# What browsers and API clients send for a .csv file (Excel on Windows says
# vnd.ms-excel; some clients send octet-stream). The name must end in .csv too.
CSV_CONTENT_TYPES = frozenset(
    {
        "text/csv",
        "application/csv",
        "text/comma-separated-values",
        "application/vnd.ms-excel",
        "text/plain",
        "application/octet-stream",
        "",
    }
)

MODE_CHECK_THEN_IMPORT = "import"
MODE_SKIP_INVALID = "skip_invalid"
MODE_DRY_RUN = "dry_run"
MODES = (
    (MODE_CHECK_THEN_IMPORT, "Import the file only if every row is correct"),
    (MODE_SKIP_INVALID, "Import the correct rows and list the rows with problems"),
    (MODE_DRY_RUN, "Only check the file and say what would change"),
)


def upload_problem(uploaded) -> str | None:
    """What is wrong with an uploaded file before it is read, in NHS error message style."""
    if uploaded is None:
        return "Select a CSV file"
    name = Path(uploaded.name or "").name
    content_type = (getattr(uploaded, "content_type", "") or "").split(";")[0].strip().lower()
    if not name.lower().endswith(".csv") or content_type not in CSV_CONTENT_TYPES:
        return "The selected file must be a CSV"
    if uploaded.size == 0:
        return "The selected file is empty"
    if uploaded.size > MAX_UPLOAD_BYTES:
        return f"The selected file must be smaller than {MAX_UPLOAD_TEXT}"
    return None


def request_too_large(request) -> bool:
    """Refuse an oversized upload from its Content-Length, before Django reads the body."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_UPLOAD_BYTES + 64 * 1024  # room for the form's other fields


class ImportUploadForm(NhsukForm):
    file = forms.FileField(
        label="Upload a CSV file",
        required=False,
        help_text=f"A CSV export from your workforce system, smaller than {MAX_UPLOAD_TEXT}.",
    )
    mode = forms.ChoiceField(
        label="What should Steward do with the file?",
        choices=MODES,
        initial=MODE_CHECK_THEN_IMPORT,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what Steward should do with the file",
            "invalid_choice": "Select what Steward should do with the file",
        },
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].error_messages.update(
            {
                "empty": "The selected file is empty",
                "invalid": "The selected file must be a CSV",
                "missing": "Select a CSV file",
            }
        )

    def clean_file(self):
        if self.too_large:
            raise forms.ValidationError(f"The selected file must be smaller than {MAX_UPLOAD_TEXT}")
        uploaded = self.cleaned_data.get("file")
        problem = upload_problem(uploaded)
        if problem:
            raise forms.ValidationError(problem)
        return uploaded

    @property
    def dry_run(self) -> bool:
        return self.cleaned_data["mode"] == MODE_DRY_RUN

    @property
    def skip_invalid(self) -> bool:
        return self.cleaned_data["mode"] == MODE_SKIP_INVALID
