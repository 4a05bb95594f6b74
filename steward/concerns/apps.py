from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "steward.concerns"
    label = "concerns"
    verbose_name = "Concerns and speaking up"
