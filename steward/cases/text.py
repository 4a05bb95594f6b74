"""Required free text for the case services (summaries, allegations, reasons, grounds,
conditions): the project's one text check, with the cases' usual limit."""

from steward.core.text import clean_text as _clean_text

TEXT_LIMIT = 20_000


def clean_text(value, *, name: str, message: str, limit: int = TEXT_LIMIT) -> str:
    """Required text: ``message`` says what to enter when it is empty."""
    return _clean_text(value, name=name, limit=limit, required=message)
