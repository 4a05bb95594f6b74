"""The one "someone else changed this" refusal, shared by every app with optimistic
locking (a ``version`` field checked before a save).

Apps keep their own public name for it (``StaleEdit``, ``StaleConcern`` and so on) as a
subclass that only sets a message fitting what is being edited, so callers catch the
name they know and anything can be recognised with ``is_stale``.
"""

from django.core.exceptions import ValidationError

STALE_CODE = "stale"


class StaleEdit(ValidationError):
    """A save refused because the record changed after the person opened it."""

    default_message = (
        "Someone else changed this after you opened it, so your changes were not saved. "
        "Reload the page to see their changes, then make yours again."
    )

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default_message, code=STALE_CODE)


def is_stale(error: BaseException) -> bool:
    """Whether ``error`` is a stale-edit refusal (from any app)."""
    return getattr(error, "code", None) == STALE_CODE
