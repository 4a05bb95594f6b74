"""Background work for django-q2 (``steward worker``)."""

from steward.references import services


def purge_expired_references() -> str:
    """Delete references kept past the person's 75th birthday (scheduled nightly, see apps.py)."""
    count = services.references_purge_expired()
    return f"Deleted {count} board member references past their keep-until date."
