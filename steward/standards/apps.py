from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "steward.standards"
    label = "standards"
    verbose_name = "Standards"
