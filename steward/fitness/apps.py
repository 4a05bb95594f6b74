import datetime as dt

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate

DAILY_REMINDERS_SCHEDULE = "fitness daily return reminders"
DAILY_REMINDERS_FUNC = "steward.fitness.tasks.daily_return_reminders"


def ensure_daily_reminders_schedule(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """Make sure the worker reminds chairs of annual returns every morning.

    Runs after every ``migrate``, so a fresh database and an upgraded one both
    get the schedule; an existing schedule keeps its next run time.
    """
    from django.utils import timezone

    if apps is None:
        return
    try:
        schedule_model = apps.get_model("django_q", "Schedule")
    except LookupError:  # django_q not migrated yet (a partial migrate)
        return
    first_run = (timezone.localtime() + dt.timedelta(days=1)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    schedule_model.objects.using(using).update_or_create(
        name=DAILY_REMINDERS_SCHEDULE,
        defaults={"func": DAILY_REMINDERS_FUNC, "schedule_type": "D", "repeats": -1},
        create_defaults={
            "func": DAILY_REMINDERS_FUNC,
            "schedule_type": "D",
            "repeats": -1,
            "next_run": first_run,
        },
    )


class FitnessConfig(AppConfig):
    name = "steward.fitness"
    label = "fitness"
    verbose_name = "Fit and proper person test"

    def ready(self) -> None:
        # Rules autodiscovery loads rules.py only; the annual return's permissions live apart.
        from steward.fitness import rules_returns  # noqa: F401

        post_migrate.connect(
            ensure_daily_reminders_schedule, sender=self, dispatch_uid="fitness-schedule"
        )
