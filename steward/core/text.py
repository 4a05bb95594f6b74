"""Text as people search for it (accents, case, apostrophes and hyphens ignored), and
the one check for free text a service stores (:func:`clean_text`).

Search:

"Siobhán O'Connor-Hughes", "siobhan oconnor hughes" and "SIOBHAN O’CONNOR HUGHES"
all normalise to ``siobhan oconnor hughes``. Stored search columns and every query
go through :func:`search_text`, so matching behaves the same on SQLite and
PostgreSQL.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

# Apostrophes are dropped ("O'Connor" is "oconnor"), never turned into spaces.
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc\u0060\u00b4]")
# Everything that is not a letter or digit separates words (hyphens included).
_NOT_WORD = re.compile(r"[\W_]+")
# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def search_text(value: str | None) -> str:
    """Lower case, accents stripped, apostrophes removed, other punctuation as spaces."""
    # Decompose before and after folding: compatibility forms (like 𝕊) only
    # become plain letters when decomposed, and folding can add accents (İ → i̇).
    folded = unicodedata.normalize("NFKD", value or "").casefold().translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", folded)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", _APOSTROPHES.sub("", without_accents)).split())


def clean_text(
    value, *, name: str, limit: int, label: str = "This", required: str | None = None
) -> str:
    """Free text a service stores: ``value`` stripped, or a ValidationError on field
    ``name`` when it is empty and must not be (``required`` is the message), longer than
    ``limit`` characters, or holds the null character. Anything but a string is empty."""
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationError({name: required})
    if len(text) > limit:
        raise ValidationError({name: f"{label} must be {limit:,} characters or fewer"})
    if "\x00" in text:
        raise ValidationError(
            {name: f"{label} must not include unusual characters: remove them and try again"}
        )
    return text
