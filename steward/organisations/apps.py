from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "steward.organisations"
    label = "organisations"
    verbose_name = "NHS organisations"
