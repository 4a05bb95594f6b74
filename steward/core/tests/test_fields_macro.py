"""The shared conditional-radios macro: each revealed block sits under its own answer."""

import re

from django import forms
from django.template import engines

from steward.core.nhsuk_forms import NhsukForm


class OnRegisterForm(NhsukForm):
    answer = forms.ChoiceField(
        label="Are they already on the register?",
        choices=[("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")],
        widget=forms.RadioSelect,
    )


TEMPLATE = (
    '{% from "nhsuk_forms/fields.jinja" import conditional_radios %}'
    '{{ conditional_radios(form.answer, {"no": "<p id=new>Add them</p>",'
    ' "yes": "<p id=existing>Number</p>"}, hint="Choose one") }}'
)


def _item(html: str, value: str) -> str:
    """The radio for ``value`` and whatever follows it up to the next radio."""
    start = html.index(f'value="{value}"')
    following = html.find('class="nhsuk-radios__item"', start)
    return html[start : following if following != -1 else len(html)]


def test_each_answer_reveals_only_its_own_block_and_the_hint_shows():
    html = engines["jinja2"].from_string(TEMPLATE).render({"form": OnRegisterForm()})
    assert "id=existing" in _item(html, "yes") and "id=new" not in _item(html, "yes")
    assert "id=new" in _item(html, "no")
    assert "nhsuk-radios__conditional" not in _item(html, "unsure")
    assert len(re.findall(r"class=\"nhsuk-radios__conditional ", html)) == 2
    assert "Choose one" in html
