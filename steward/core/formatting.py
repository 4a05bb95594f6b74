"""Formatting for people: UK dates, Europe/London times."""

import datetime as dt

from django.utils import timezone


def uk_date(value: dt.date | dt.datetime | None) -> str:
    """'3 March 2026'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: dt.datetime | None) -> str:
    """'3 March 2026 at 2:05pm' in Europe/London."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    hour = local.hour % 12 or 12
    return f"{uk_date(local)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
