import datetime as dt

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate

DAILY_CHECKPOINT_SCHEDULE = "audit daily checkpoint"
DAILY_CHECKPOINT_FUNC = "steward.audit.tasks.daily_checkpoint"


def ensure_daily_checkpoint_schedule(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """Make sure the worker signs a checkpoint every night.

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
    london_now = timezone.localtime()
    first_run = (london_now + dt.timedelta(days=1)).replace(
        hour=0, minute=15, second=0, microsecond=0
    )
    schedule_model.objects.using(using).update_or_create(
        name=DAILY_CHECKPOINT_SCHEDULE,
        defaults={"func": DAILY_CHECKPOINT_FUNC, "schedule_type": "D", "repeats": -1},
        create_defaults={
            "func": DAILY_CHECKPOINT_FUNC,
            "schedule_type": "D",
            "repeats": -1,
            "next_run": first_run,
        },
    )


class AuditConfig(AppConfig):
    name = "steward.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from steward.audit import guards

        connection_created.connect(guards.register_sqlite_function, dispatch_uid="audit-sqlite")
        post_migrate.connect(
            ensure_daily_checkpoint_schedule, sender=self, dispatch_uid="audit-schedule"
        )
