"""Django forms rendered as NHS.UK design system components.

``field_params(bound_field, **overrides)`` turns a bound field into the
parameters of the matching NHS.UK macro (input, password input, select,
radios, checkboxes, textarea), errors included; the ``nhsuk_forms/fields.jinja``
macros render them. ``NhsukForm`` makes ``{{ form }}`` and
``bound_field.as_field_group()`` use the same rendering, so one source of
validation drives the NHS error summary and inline error messages.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from steward.core import clock
from steward.core.formatting import uk_date


def widget_kind(bound_field: forms.BoundField) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, DateInputWidget):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


def _value(bound_field: forms.BoundField) -> Any:
    value = bound_field.value()
    return "" if value is None else value


def field_params(bound_field: forms.BoundField, **overrides: Any) -> dict[str, Any]:
    """Parameters for the NHS.UK macro that renders this field."""
    kind = widget_kind(bound_field)
    if kind == "date":
        return {"kind": kind, "params": bound_field.date_input_params(**overrides)}
    field = bound_field.field
    attrs = dict(field.widget.attrs)
    attrs.pop("placeholder", None)  # NHS.UK: hints, never placeholders
    label_text = overrides.pop("label", None) or str(bound_field.label)
    is_page_heading = overrides.pop("is_page_heading", False)
    params: dict[str, Any] = {
        "id": bound_field.auto_id or bound_field.html_name,
        "name": bound_field.html_name,
    }
    label = {"text": label_text}
    if is_page_heading:
        label.update({"isPageHeading": True, "size": "l"})
    # A page may replace the field's help text, or drop it with hint=None.
    hint = overrides.pop("hint") if "hint" in overrides else field.help_text
    if isinstance(hint, dict):
        params["hint"] = hint
    elif hint:
        params["hint"] = {"text": str(hint)}
    if bound_field.errors:
        params["errorMessage"] = {"text": " ".join(str(e) for e in bound_field.errors)}

    passthrough = {
        k: attrs.pop(k)
        for k in ("autocomplete", "inputmode", "spellcheck", "autocapitalize")
        if k in attrs
    }
    if kind in {"input", "password", "textarea"}:
        params["label"] = label
        params["value"] = _value(bound_field)
        params.update(passthrough)
        if kind == "input":
            params["type"] = getattr(field.widget, "input_type", "text")
        if kind == "textarea":
            params["rows"] = attrs.pop("rows", 5)
    elif kind == "select":
        current = str(_value(bound_field))
        params["label"] = label
        params["items"] = [
            {"value": str(value), "text": str(text), "selected": str(value) == current}
            for value, text in field.choices
        ]
    elif kind in {"radios", "checkboxes"}:
        legend = {"text": label_text}
        if is_page_heading:
            legend.update({"isPageHeading": True, "size": "l"})
        params["fieldset"] = {"legend": legend}
        selected = _value(bound_field)
        selected = (
            {str(v) for v in selected} if isinstance(selected, list | tuple) else {str(selected)}
        )
        params["idPrefix"] = params.pop("id")
        params["items"] = [
            {"value": str(value), "text": str(text), "checked": str(value) in selected}
            for value, text in field.choices
        ]
    elif kind == "checkbox":
        params["idPrefix"] = params.pop("id")
        params["items"] = [
            {"value": "on", "text": label_text, "checked": bool(bound_field.value())}
        ]
    elif kind == "hidden":
        params["value"] = _value(bound_field)
    if attrs:
        params["attributes"] = {k: v for k, v in attrs.items() if v is not None}
    params.update(overrides)
    return {"kind": kind, "params": params}


def error_list(form: forms.BaseForm) -> list[dict[str, str]]:
    """The NHS error summary's list: each error links to its field."""
    items = [{"text": str(e)} for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS:
            continue
        bound = form[name]
        anchor = bound.auto_id or bound.html_name
        if widget_kind(bound) in {"radios", "checkboxes", "checkbox"}:
            anchor = f"{anchor}"
        items.extend({"text": str(e), "href": f"#{anchor}"} for e in errors)
    return items


RELOAD = "Something went wrong with the page. Reload it and try again."


def version_field(*, min_value: int = 1) -> forms.IntegerField:
    """The hidden version (optimistic locking) the page was drawn from; 0 may mean
    there was nothing yet. A missing or altered one asks the person to reload."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=min_value,
        max_value=2**31 - 1,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), RELOAD),
    )


def text_field(
    label: str,
    *,
    max_length: int,
    required_message: str | None = None,
    hint: str = "",
    **kwargs,
) -> forms.CharField:
    """A text field whose every error message follows the NHS pattern."""
    return forms.CharField(
        label=label,
        required=required_message is not None,
        max_length=max_length,
        help_text=hint,
        error_messages={
            "required": required_message or "",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
            "null_characters_not_allowed": (
                f"{label} must not include unusual characters: remove them and try again"
            ),
        },
        **kwargs,
    )


def filter_field(
    label: str, *, name: str, max_length: int, too_long: str | None = None, **kwargs
) -> forms.CharField:
    """An optional search or filter box read from a query string.

    ``name`` is how messages refer to it ("Search", "Region"); ``too_long`` is
    the message for an over-long value (for a value that should come from a
    list, say how to choose one)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        error_messages={
            "max_length": too_long or f"{name} must be {max_length:,} characters or fewer",
            "null_characters_not_allowed": f"{name} must not include a null character",
        },
        **kwargs,
    )


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: against the field it names
    when the form has that field, otherwise in the error summary."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class NhsukBoundField(forms.BoundField):
    def as_field_group(self):
        from django.template.loader import render_to_string

        return render_to_string("nhsuk_forms/field.jinja", {"field": self})


class NhsukForm(forms.Form):
    bound_field_class = NhsukBoundField
    template_name = "nhsuk_forms/form.jinja"


# --- Dates: the NHS.UK date input (three boxes) ---------------------------------

MAX_PART_LENGTH = 4

DateBound = dt.date | Callable[[], dt.date] | None


def _resolve(bound: DateBound) -> dt.date | None:
    return bound() if callable(bound) else bound


def years_from_today(years: int) -> Callable[[], dt.date]:
    def bound() -> dt.date:
        today = clock.today()
        try:
            return today.replace(year=today.year + years)
        except ValueError:  # 29 February
            return today.replace(year=today.year + years, day=28)

    return bound


class DateInputWidget(forms.MultiWidget):
    """Three text boxes named ``<name>_day``, ``<name>_month`` and ``<name>_year``."""

    def __init__(self, attrs=None):
        super().__init__(
            {"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}, attrs
        )

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}_{part}", "") for part in ("day", "month", "year")]

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}_{part}" not in data for part in ("day", "month", "year"))


class DateBoundField(NhsukBoundField):
    def date_parts(self) -> dict[str, str]:
        value = self.value()
        if isinstance(value, dt.date):
            parts = [str(value.day), str(value.month), str(value.year)]
        elif isinstance(value, list | tuple) and len(value) == 3:
            # Shown back as typed, less any NUL characters.
            parts = [str(p or "").replace("\x00", "") for p in value]
        else:
            parts = ["", "", ""]
        return dict(zip(("day", "month", "year"), parts, strict=True))

    def date_input_params(self, **overrides) -> dict:
        """Parameters for the NHS.UK ``dateInput`` macro, errors included.

        The first box takes the field's own id, so the error summary's link
        (``#id_<name>``) puts the cursor in it.
        """
        base_id = self.auto_id or self.html_name
        parts = self.date_parts()
        has_error = bool(self.errors)
        items = [
            {
                "id": base_id if part == "day" else f"{base_id}_{part}",
                "name": f"{self.html_name}_{part}",
                "label": label,
                "value": parts[part],
                "width": 4 if part == "year" else 2,
                "classes": "nhsuk-input--error" if has_error else "",
            }
            for part, label in (("day", "Day"), ("month", "Month"), ("year", "Year"))
        ]
        legend = {"text": overrides.pop("label", None) or str(self.label)}
        if overrides.pop("is_page_heading", False):
            legend.update({"isPageHeading": True, "size": "l"})
        else:
            legend["size"] = "s"
        params: dict = {
            "id": f"{base_id}_date",
            "fieldset": {"legend": legend},
            "items": items,
        }
        hint = overrides.pop("hint") if "hint" in overrides else self.field.help_text
        if hint:
            params["hint"] = {"text": str(hint)}
        if has_error:
            params["errorMessage"] = {"text": " ".join(str(e) for e in self.errors)}
        params.update(overrides)
        return params


class NhsukDateField(forms.Field):
    """A date typed into three boxes, with the NHS.UK error messages.

    ``name`` is how messages refer to the date ("Start date"); ``earliest`` and
    ``latest`` bound it (a date, or a function returning one, for "today").
    """

    widget = DateInputWidget

    def __init__(
        self,
        *,
        name: str,
        earliest: DateBound = None,
        latest: DateBound = None,
        **kwargs,
    ):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter the {name.lower()}")
        super().__init__(**kwargs)
        self.name = name
        self.earliest = earliest
        self.latest = latest

    def get_bound_field(self, form, field_name):
        return DateBoundField(form, self, field_name)

    def to_python(self, value) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, list | tuple) or len(value) != 3:
            return None
        day, month, year = (str(p or "").strip() for p in value)
        if not (day or month or year):
            return None
        named = zip(("day", "month", "year"), (day, month, year), strict=True)
        missing = [label for label, part in named if not part]
        if missing:
            raise forms.ValidationError(
                f"{self.name} must include a {' and a '.join(missing)}", code="incomplete"
            )
        parts = (day, month, year)
        if any(len(p) > MAX_PART_LENGTH or not (p.isascii() and p.isdigit()) for p in parts):
            raise forms.ValidationError(
                f"{self.name} must be a real date, written in numbers, like 27 3 2024",
                code="invalid",
            )
        if len(year) != 4:
            raise forms.ValidationError(
                f"{self.name} must include a year with 4 numbers, like 2024", code="invalid_year"
            )
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise forms.ValidationError(
                f"{self.name} must be a real date, like 27 3 2024", code="invalid"
            ) from exc

    def validate(self, value) -> None:
        super().validate(value)
        if value is None:
            return
        earliest, latest = _resolve(self.earliest), _resolve(self.latest)
        if earliest and value < earliest:
            raise forms.ValidationError(
                f"{self.name} must be on or after {uk_date(earliest)}", code="too_early"
            )
        if latest and value > latest:
            raise forms.ValidationError(
                f"{self.name} must be on or before {uk_date(latest)}", code="too_late"
            )

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(data) != initial
        except forms.ValidationError:
            return True
