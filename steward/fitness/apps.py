from django.apps import AppConfig


class FitnessConfig(AppConfig):
    name = "steward.fitness"
    label = "fitness"
    verbose_name = "Fit and proper person test"
