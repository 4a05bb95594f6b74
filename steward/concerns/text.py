"""Checking the free text the concerns services take: reports, messages, notes,
reasons and requests. One set of rules and messages for all of them."""

from django.core.exceptions import ValidationError


def text_clean(
    value, *, name: str, limit: int, label: str = "This", required: str | None = None
) -> str:
    """``value`` stripped, or a ValidationError on ``name``: ``required`` (the message)
    when it is empty and must not be, over ``limit`` characters, or holding a NUL
    character. Anything but a string counts as empty."""
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
