"""Placeholder until the audit app lands: the interface other apps call."""


def audit_record(*, actor, action, reason="", subject=None, payload=None):
    return None


def audit_record_view(*, actor, subject, fields, reason=""):
    return None
