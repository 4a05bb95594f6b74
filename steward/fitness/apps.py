import datetime as dt

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from steward.core.schedules import daily_schedule

DAILY_REMINDERS_SCHEDULE = "fitness daily return reminders"
DAILY_REMINDERS_FUNC = "steward.fitness.tasks.daily_return_reminders"


# The worker reminds chairs of annual returns every morning.
ensure_daily_reminders_schedule = daily_schedule(
    name=DAILY_REMINDERS_SCHEDULE, func=DAILY_REMINDERS_FUNC, at=dt.time(7, 0)
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
