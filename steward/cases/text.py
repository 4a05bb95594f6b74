"""The one check for free text the case services take (summaries, allegations,
reasons, grounds, conditions)."""

from django.core.exceptions import ValidationError

TEXT_LIMIT = 20_000


def clean_text(value, *, name: str, message: str, limit: int = TEXT_LIMIT) -> str:
    """Required free text: stripped, not empty, not too long, no null characters.
    ``message`` says what to enter when it is empty; errors name the field ``name``."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError({name: message})
    if len(text) > limit:
        raise ValidationError({name: f"This must be {limit:,} characters or fewer"})
    if "\x00" in text:
        raise ValidationError({name: "Remove the unusual characters and try again"})
    return text
