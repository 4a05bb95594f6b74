"""Background work for django-q2 (``steward worker``): sanctions that lapse or start,
appeal windows that close, and reminders of reviews to arrange."""

from steward.cases import appeals, reviews, sanctions


def daily_sanctions_lapse() -> str:
    """End sanctions and interim orders whose time is up; start those due today."""
    ended = sanctions.sanctions_lapse()
    return f"{ended} sanction{'' if ended == 1 else 's'} ended."


def daily_appeal_windows_close() -> str:
    """Close cases whose appeal window passed with no appeal."""
    closed = appeals.appeal_windows_close()
    return f"Closed {closed} case{'' if closed == 1 else 's'} after the appeal window."


def daily_reviews_remind() -> str:
    """Tell hearings officers about reviews that came due today."""
    due = reviews.reviews_remind()
    return f"Reminded hearings officers of {due} review{'' if due == 1 else 's'}."
