"""The audit trail's filter form: forgiving about formats, never a 500."""

import re

from django import forms
from django.contrib.auth import get_user_model

from steward.audit.selectors import MAX_SEQ, EventFilters
from steward.core.nhsuk_forms import NhsukForm

# ISO first (links and the API use it), then the ways people in the UK write dates.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y", "%d-%m-%Y"]
FROM_DATE_ERROR = "The from date must be a real date, like 27/3/2026 or 2026-03-27"
TO_DATE_ERROR = "The to date must be a real date, like 31/3/2026 or 2026-03-31"
ACTION_PREFIX = re.compile(r"^[a-z0-9_.]*$")
MODEL_LABEL = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
USER_REF = re.compile(r"^(?:user:)?(\d+)$")


class EventFilterForm(NhsukForm):
    action = forms.CharField(
        required=False,
        max_length=100,
        label="Action starts with",
        help_text="For example, accounts.role",
    )
    actor = forms.CharField(
        required=False,
        max_length=254,
        label="Done by",
        help_text="An email address, a user number such as user:12, or a system name such "
        "as steward demo",
    )
    subject_type = forms.CharField(
        required=False, max_length=100, label="Subject type", help_text="For example, accounts.user"
    )
    subject_id = forms.CharField(required=False, max_length=100, label="Subject ID")
    date_from = forms.DateField(
        required=False,
        input_formats=DATE_FORMATS,
        label="From date",
        help_text="For example, 27/3/2026",
        error_messages={"invalid": FROM_DATE_ERROR},
    )
    date_to = forms.DateField(
        required=False,
        input_formats=DATE_FORMATS,
        label="To date",
        help_text="For example, 31/3/2026",
        error_messages={"invalid": TO_DATE_ERROR},
    )
    restricted_views = forms.BooleanField(
        required=False, label="Only show who viewed restricted data"
    )

    def clean_action(self) -> str:
        value = self.cleaned_data["action"].strip().lower()
        if not ACTION_PREFIX.match(value):
            raise forms.ValidationError(
                "Action can only contain lower-case letters, numbers, underscores and full stops"
            )
        return value

    def clean_subject_type(self) -> str:
        value = self.cleaned_data["subject_type"].strip().lower()
        if value and not MODEL_LABEL.match(value):
            raise forms.ValidationError(
                "Enter the subject type as app and model, like accounts.user"
            )
        return value

    def clean_subject_id(self) -> str:
        return self.cleaned_data["subject_id"].strip()

    def clean_actor(self) -> dict:
        value = " ".join(self.cleaned_data["actor"].split())
        if not value:
            return {}
        if "@" in value:
            user_id = (
                get_user_model()
                .objects.filter(email__iexact=value)
                .values_list("pk", flat=True)
                .first()
            )
            if user_id is None:
                raise forms.ValidationError("No one signs in to Steward with that email address")
            return {"actor_id": user_id}
        match = USER_REF.match(value.lower())
        if match:
            if len(match.group(1)) > 18:
                raise forms.ValidationError("That user number is too large")
            return {"actor_id": int(match.group(1))}
        if value.lower() in {"system", "anonymous"} or value.lower().startswith("system: "):
            return {
                "actor_label": value.lower() if value.lower() in {"system", "anonymous"} else value
            }
        return {"actor_label": f"system: {value}"}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return cleaned

    def filters(self) -> EventFilters:
        data = self.cleaned_data
        return EventFilters(
            action_prefix=data["action"],
            subject_type=data["subject_type"],
            subject_id=data["subject_id"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            restricted_views_only=data["restricted_views"],
            **data["actor"],
        )


def parse_cursor(value: str | None) -> int | None:
    """A paging cursor from the query string; anything odd means the first page."""
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_SEQ else None
