import datetime as dt

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate

from steward.core.schedules import daily_schedule

DAILY_CHECKPOINT_SCHEDULE = "audit daily checkpoint"
DAILY_CHECKPOINT_FUNC = "steward.audit.tasks.daily_checkpoint"


# The worker signs a checkpoint of the audit trail every night.
ensure_daily_checkpoint_schedule = daily_schedule(
    name=DAILY_CHECKPOINT_SCHEDULE, func=DAILY_CHECKPOINT_FUNC, at=dt.time(0, 15)
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
