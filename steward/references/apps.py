from django.apps import AppConfig


class ReferencesConfig(AppConfig):
    name = "steward.references"
    label = "references"
    verbose_name = "References and appointment vetting"
