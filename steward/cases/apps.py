import datetime as dt

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from steward.core.schedules import daily_schedule

# Early each morning the worker ends sanctions whose time is up (and starts those due),
# then closes cases whose appeal window has passed.
ensure_lapse_schedule = daily_schedule(
    name="cases daily sanctions lapse",
    func="steward.cases.tasks.daily_sanctions_lapse",
    at=dt.time(0, 30),
)
ensure_appeal_schedule = daily_schedule(
    name="cases daily appeal windows close",
    func="steward.cases.tasks.daily_appeal_windows_close",
    at=dt.time(0, 45),
)
ensure_reviews_schedule = daily_schedule(
    name="cases daily reviews reminder",
    func="steward.cases.tasks.daily_reviews_remind",
    at=dt.time(7, 15),
)


class CasesConfig(AppConfig):
    name = "steward.cases"
    label = "cases"
    verbose_name = "Fitness-to-practise cases"

    def ready(self) -> None:
        from steward.cases import vetting_checks

        # Appointment vetting warns of open cases and shows interim orders.
        vetting_checks.register()
        post_migrate.connect(ensure_lapse_schedule, sender=self, dispatch_uid="cases-lapse")
        post_migrate.connect(ensure_appeal_schedule, sender=self, dispatch_uid="cases-appeals")
        post_migrate.connect(ensure_reviews_schedule, sender=self, dispatch_uid="cases-reviews")
