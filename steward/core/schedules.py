"""Daily background work that must exist on every database: one definition of how
an app makes sure its schedule is there."""

import datetime as dt
from functools import partial

from django.db import DEFAULT_DB_ALIAS


def ensure_daily_schedule(
    sender=None, using=DEFAULT_DB_ALIAS, apps=None, *, name: str, func: str, at: dt.time, **kwargs
) -> None:
    """Make sure django-q runs ``func`` every day, first at the next ``at`` (London time).

    Connected to ``post_migrate`` (see :func:`daily_schedule`), so a fresh database and
    an upgraded one both get the schedule; an existing schedule keeps its next run time.
    """
    from django.utils import timezone

    if apps is None:
        return
    try:
        schedule_model = apps.get_model("django_q", "Schedule")
    except LookupError:  # django_q not migrated yet (a partial migrate)
        return
    first_run = (timezone.localtime() + dt.timedelta(days=1)).replace(
        hour=at.hour, minute=at.minute, second=0, microsecond=0
    )
    schedule_model.objects.using(using).update_or_create(
        name=name,
        defaults={"func": func, "schedule_type": "D", "repeats": -1},
        create_defaults={"func": func, "schedule_type": "D", "repeats": -1, "next_run": first_run},
    )


def daily_schedule(*, name: str, func: str, at: dt.time):
    """A ``post_migrate`` receiver that makes sure the named daily schedule exists."""
    return partial(ensure_daily_schedule, name=name, func=func, at=at)
