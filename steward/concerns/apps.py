import datetime as dt

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from steward.core.schedules import daily_schedule

DAILY_DIGEST_SCHEDULE = "concerns daily digest"
DAILY_DIGEST_FUNC = "steward.concerns.tasks.concerns_daily_digest"

# The worker tells the concerns team every morning what waits for them (counts only).
ensure_daily_digest_schedule = daily_schedule(
    name=DAILY_DIGEST_SCHEDULE, func=DAILY_DIGEST_FUNC, at=dt.time(7, 0)
)


class ConcernsConfig(AppConfig):
    name = "steward.concerns"
    label = "concerns"
    verbose_name = "Concerns and speaking up"

    def ready(self) -> None:
        post_migrate.connect(
            ensure_daily_digest_schedule, sender=self, dispatch_uid="concerns-schedule"
        )
