import datetime as dt

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from steward.core.schedules import daily_schedule

DAILY_PURGE_SCHEDULE = "references daily retention purge"
DAILY_PURGE_FUNC = "steward.references.tasks.purge_expired_references"


# The worker deletes references past the person's 75th birthday every night.
ensure_daily_purge_schedule = daily_schedule(
    name=DAILY_PURGE_SCHEDULE, func=DAILY_PURGE_FUNC, at=dt.time(1, 30)
)


class ReferencesConfig(AppConfig):
    name = "steward.references"
    label = "references"
    verbose_name = "References and appointment vetting"

    def ready(self) -> None:
        post_migrate.connect(
            ensure_daily_purge_schedule, sender=self, dispatch_uid="references-purge-schedule"
        )
