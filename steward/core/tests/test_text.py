"""Name normalisation for search: properties that must hold for any text."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from steward.core.text import clean_text, search_text

names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@given(names)
def test_is_idempotent(value):
    assert search_text(search_text(value)) == search_text(value)


@given(names)
def test_has_no_capitals_accents_apostrophes_or_stray_spaces(value):
    result = search_text(value)
    assert result == result.strip()
    assert "  " not in result
    assert "'" not in result and "’" not in result and "-" not in result
    assert not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFKD", result))
    assert result == result.casefold()


@given(st.lists(st.sampled_from(["Siobhán", "O'Connor", "Clarke-Bennett", "Zoë"]), min_size=1))
def test_case_and_punctuation_do_not_matter(words):
    typed = " ".join(words)
    assert search_text(typed.upper()) == search_text(typed.lower()) == search_text(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Siobhán O’Connor", "siobhan oconnor"),
        ("SIOBHAN O'CONNOR", "siobhan oconnor"),
        ("Zoë Clarke-Bennett", "zoe clarke bennett"),
        ("Margaret Ó Súilleabháin", "margaret o suilleabhain"),
        ("Søren Łukasz Æsir", "soren lukasz aesir"),
        ("Tomasz Wiśniewski", "tomasz wisniewski"),
        ("  D'Souza\t-  Helen ", "dsouza helen"),
        ("", ""),
    ],
)
def test_examples(typed, expected):
    assert search_text(typed) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("  ", "Enter your note"),
        (None, "Enter your note"),
        ("x" * 11, "Your note must be 10 characters or fewer"),
        ("a\x00b", "Your note must not include unusual characters: remove them and try again"),
    ],
)
def test_free_text_is_refused_with_a_message_on_its_field(value, message):
    with pytest.raises(ValidationError) as refused:
        clean_text(value, name="body", limit=10, label="Your note", required="Enter your note")
    assert refused.value.message_dict == {"body": [message]}


def test_free_text_is_stripped_and_may_be_left_out_unless_required():
    assert clean_text("  Ward 7 \n", name="body", limit=10) == "Ward 7"
    assert clean_text("", name="body", limit=10) == ""
