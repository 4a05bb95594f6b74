from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "steward.cases"
    label = "cases"
    verbose_name = "Fitness-to-practise cases"
