import datetime as dt

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate

DAILY_PURGE_SCHEDULE = "references daily retention purge"
DAILY_PURGE_FUNC = "steward.references.tasks.purge_expired_references"


def ensure_daily_purge_schedule(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """Make sure the worker deletes references past the person's 75th birthday every night.

    Runs after every ``migrate``; an existing schedule keeps its next run time.
    """
    from django.utils import timezone

    if apps is None:
        return
    try:
        schedule_model = apps.get_model("django_q", "Schedule")
    except LookupError:  # django_q not migrated yet (a partial migrate)
        return
    first_run = (timezone.localtime() + dt.timedelta(days=1)).replace(
        hour=1, minute=30, second=0, microsecond=0
    )
    schedule_model.objects.using(using).update_or_create(
        name=DAILY_PURGE_SCHEDULE,
        defaults={"func": DAILY_PURGE_FUNC, "schedule_type": "D", "repeats": -1},
        create_defaults={
            "func": DAILY_PURGE_FUNC,
            "schedule_type": "D",
            "repeats": -1,
            "next_run": first_run,
        },
    )


class ReferencesConfig(AppConfig):
    name = "steward.references"
    label = "references"
    verbose_name = "References and appointment vetting"

    def ready(self) -> None:
        post_migrate.connect(
            ensure_daily_purge_schedule, sender=self, dispatch_uid="references-purge-schedule"
        )
