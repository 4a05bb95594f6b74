"""Search text: how names are normalised so people find them however they type.

"Guy's and St Thomas'", "guys & st. thomas" and "GUYS AND ST THOMAS" all
normalise to the same words. The stored ``Organisation.search_name`` and every
query go through :func:`search_text`, so the comparison is plain substring
matching that behaves the same on SQLite and PostgreSQL.
"""

from steward.core.text import search_text

# A query word that is a common abbreviation also matches the words it stands for.
ABBREVIATIONS = {
    "icb": "integrated care board",
    "ft": "foundation trust",
}

# Enough for any real query, few enough to keep the SQL small whatever is typed.
MAX_QUERY_WORDS = 12


def query_words(value: str) -> list[str]:
    """The distinct words of a query, in order, at most ``MAX_QUERY_WORDS``."""
    words: list[str] = []
    for word in search_text(value).split():
        if word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]
