"""Reminding hearings officers that a review is due.

Conditions, suspensions and interim orders in force each have a date by which they
must be reviewed (``Sanction.review_by``); a review hearing needs the notice period
to arrange. ``reviews_remind`` tells the hearings officers on the day a review comes
within the notice period with no hearing arranged, and again on its review date if
still nothing is arranged: two reminders, never a daily stream.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from steward.accounts.selectors import role_holders
from steward.cases.sanctions import reviews_due
from steward.core import clock
from steward.core.formatting import uk_date
from steward.notifications.services import notify


def reviews_remind(*, today: dt.date | None = None) -> int:
    """Tell hearings officers about reviews that came due today; returns how many."""
    today = today or clock.today()
    entering = today + dt.timedelta(days=settings.CASES_HEARING_NOTICE_DAYS)
    due = [s for s in reviews_due(today=today) if s.review_by in {entering, today}]
    if not due:
        return 0
    lines = [
        f"- Case {s.case.reference}: review by {uk_date(s.review_by)}"
        + (" (today)" if s.review_by == today else "")
        for s in due
    ]
    count = len(due)
    notify(
        users=role_holders(["hearings_officer"]),
        subject=f"{count} review{'' if count == 1 else 's'} to arrange",
        body=(
            "These conditions, suspensions or interim orders must be reviewed, and no "
            "review or interim order hearing is arranged yet:\n" + "\n".join(lines)
        ),
        url=reverse("cases:hearings"),
        topic="cases",
    )
    return count
