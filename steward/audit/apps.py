from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "steward.audit"
    label = "audit"
    verbose_name = "Audit trail"
