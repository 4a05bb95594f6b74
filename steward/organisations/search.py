"""Search text: how names are normalised so people find them however they type.

"Guy's and St Thomas'", "guys & st. thomas" and "GUYS AND ST THOMAS" all
normalise to the same words. The stored ``Organisation.search_name`` and every
query go through :func:`search_text`, so the comparison is plain substring
matching that behaves the same on SQLite and PostgreSQL.
"""

import re
import unicodedata

# Apostrophes are dropped (so "Guy's" is "guys"), not turned into spaces.
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc\u0060\u00b4]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")

# A query word that is a common abbreviation also matches the words it stands for.
ABBREVIATIONS = {
    "icb": "integrated care board",
    "ft": "foundation trust",
}

# Enough for any real query, few enough to keep the SQL small whatever is typed.
MAX_QUERY_WORDS = 12


def search_text(value: str) -> str:
    """Lower case, accents stripped, apostrophes removed, other punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = _APOSTROPHES.sub("", without_accents.casefold())
    return " ".join(_NOT_WORD.sub(" ", lowered).split())


def query_words(value: str) -> list[str]:
    """The distinct words of a query, in order, at most ``MAX_QUERY_WORDS``."""
    words: list[str] = []
    for word in search_text(value).split():
        if word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]
