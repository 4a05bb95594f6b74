from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "steward.register"
    label = "register"
    verbose_name = "Register of managers"
