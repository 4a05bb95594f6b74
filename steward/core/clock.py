"""The one place "now" comes from, so tests can move time.

Model fields use ``default=clock.now``, which binds this function, so moving
time sets ``_offset`` (read on every call) rather than replacing ``now``.
"""

import datetime as dt

from django.utils import timezone

_offset = dt.timedelta(0)


def now() -> dt.datetime:
    return timezone.now() + _offset


def today() -> dt.date:
    return timezone.localdate(now())


def localdate(value: dt.datetime) -> dt.date:
    """The date in Europe/London of an aware datetime."""
    return timezone.localdate(value)


def travel_to(moment: dt.datetime | dt.date) -> None:
    """Move "now" to ``moment`` (midday London time for a date); tests only."""
    global _offset
    if isinstance(moment, dt.date) and not isinstance(moment, dt.datetime):
        moment = timezone.make_aware(dt.datetime.combine(moment, dt.time(12, 0)))
    _offset = moment - timezone.now()


def travel_back() -> None:
    global _offset
    _offset = dt.timedelta(0)
