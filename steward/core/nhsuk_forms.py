"""Django forms rendered as NHS.UK design system components.

``field_params(bound_field, **overrides)`` turns a bound field into the
parameters of the matching NHS.UK macro (input, password input, select,
radios, checkboxes, textarea), errors included; the ``nhsuk_forms/fields.jinja``
macros render them. ``NhsukForm`` makes ``{{ form }}`` and
``bound_field.as_field_group()`` use the same rendering, so one source of
validation drives the NHS error summary and inline error messages.
"""

from typing import Any

from django import forms


def widget_kind(bound_field: forms.BoundField) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
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


class NhsukBoundField(forms.BoundField):
    def as_field_group(self):
        from django.template.loader import render_to_string

        return render_to_string("nhsuk_forms/field.jinja", {"field": self})


class NhsukForm(forms.Form):
    bound_field_class = NhsukBoundField
    template_name = "nhsuk_forms/form.jinja"
