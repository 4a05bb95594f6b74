"""The roster's NHS date field: any typing gives a date or a clear message, never a crash."""

import datetime as dt

from django import forms
from hypothesis import given
from hypothesis import strategies as st

from steward.register.forms_roster import NhsukDateField


class DateForm(forms.Form):
    when = NhsukDateField(name="Start date", earliest=dt.date(1948, 7, 5))


def clean(day, month, year):
    form = DateForm({"when_day": day, "when_month": month, "when_year": year})
    return form.is_valid(), form


@given(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12))
def test_any_typing_gives_a_date_or_a_message(day, month, year):
    valid, form = clean(day, month, year)
    if valid:
        assert isinstance(form.cleaned_data["when"], dt.date)
    else:
        message = " ".join(form.errors["when"])
        assert message.startswith(("Start date", "Enter the start date"))


@given(st.dates(min_value=dt.date(1948, 7, 5), max_value=dt.date(9999, 12, 31)))
def test_real_dates_round_trip(value):
    valid, form = clean(str(value.day), str(value.month), str(value.year))
    assert valid
    assert form.cleaned_data["when"] == value


def test_leading_zeros_and_spaces_are_fine():
    valid, form = clean(" 07 ", "03", "2026")
    assert valid
    assert form.cleaned_data["when"] == dt.date(2026, 3, 7)


def test_unbound_form_shows_initial_date_in_three_boxes():
    form = DateForm(initial={"when": dt.date(2026, 3, 7)})
    params = form["when"].date_input_params()
    assert [item["value"] for item in params["items"]] == ["7", "3", "2026"]
    assert params["items"][0]["id"] == "id_when"
    assert "errorMessage" not in params
