"""Background work for django-q2 (``steward worker``)."""

from steward.fitness import returns


def daily_return_reminders() -> str:
    """Remind chairs of annual returns due soon or overdue (scheduled daily, see apps.py)."""
    sent = returns.send_return_reminders()
    return f"Sent {sent} annual fit and proper return reminder{'' if sent == 1 else 's'}."
