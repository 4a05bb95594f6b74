"""Background work for concerns (``steward worker``): the daily digest.

Caseworkers learn of new concerns from this digest, never from a notification at
the moment a concern arrives: a notification's time would date an anonymous
submission more finely than the day (ADR 005). The digest holds counts only.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from steward.accounts.selectors import role_holders
from steward.audit.services import audit_record
from steward.concerns import ratelimit
from steward.concerns.models import Concern, ConcernStatus, DetrimentFlag, IdentityReveal
from steward.concerns.selectors import overdue_q, replied_q
from steward.core import clock
from steward.core.formatting import uk_date
from steward.notifications.models import Notification
from steward.notifications.services import notify

DIGEST_TOPIC = "concerns-digest:{day}"


def digest_counts(*, today: dt.date) -> dict[str, int]:
    """What waits for the concerns team, counted (three queries)."""
    yesterday = today - dt.timedelta(days=1)
    overdue = overdue_q(today)
    counts = Concern.objects.aggregate(
        received_yesterday=Count("pk", filter=Q(received_on=yesterday)),
        still_new=Count("pk", filter=Q(status=ConcernStatus.NEW, received_on__lt=yesterday)),
        acknowledgement_overdue=Count(
            "pk", filter=overdue & Q(acknowledged_on__isnull=True, acknowledge_by__lt=today)
        ),
        feedback_overdue=Count(
            "pk", filter=overdue & Q(first_feedback_on__isnull=True, feedback_by__lt=today)
        ),
        awaiting_reporter=Count("pk", filter=Q(status=ConcernStatus.AWAITING_REPORTER)),
        reporter_replied=Count("pk", filter=replied_q()),
    )
    counts["detriment_flags"] = DetrimentFlag.objects.filter(reviewed_at__isnull=True).count()
    return counts


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _team_lines(counts: dict[str, int]) -> list[str]:
    lines = []
    if counts["received_yesterday"]:
        lines.append(
            _plural(counts["received_yesterday"], "new concern", "new concerns")
            + " received yesterday"
        )
    if counts["still_new"]:
        lines.append(
            _plural(
                counts["still_new"],
                "concern received earlier is still new",
                "concerns received earlier are still new",
            )
        )
    if counts["acknowledgement_overdue"]:
        lines.append(
            _plural(
                counts["acknowledgement_overdue"],
                "acknowledgement is overdue",
                "acknowledgements are overdue",
            )
        )
    if counts["feedback_overdue"]:
        lines.append(
            _plural(
                counts["feedback_overdue"],
                "concern is overdue for feedback",
                "concerns are overdue for feedback",
            )
        )
    if counts["awaiting_reporter"]:
        lines.append(
            _plural(
                counts["awaiting_reporter"],
                "concern is waiting for the person who raised it",
                "concerns are waiting for the people who raised them",
            )
        )
    if counts["reporter_replied"]:
        lines.append(
            _plural(
                counts["reporter_replied"],
                "concern has a reply from the person who raised it",
                "concerns have replies from the people who raised them",
            )
        )
    if counts["detriment_flags"]:
        lines.append(
            _plural(
                counts["detriment_flags"],
                "detriment flag needs review",
                "detriment flags need review",
            )
        )
    return lines


def concerns_daily_digest(*, today: dt.date | None = None) -> int:
    """Tell each caseworker what waits for the team, and each custodian how many
    requests to reveal wait for them: one notification (and email) a person a day,
    counts only. A second run the same day sends nothing; nobody is told when there
    is nothing to report. Returns how many people were told."""
    today = today or clock.today()
    ratelimit.purge_old_days(today=today)
    topic = DIGEST_TOPIC.format(day=today.isoformat())
    caseworkers = {user.pk: user for user in role_holders("caseworker")}
    custodians = {user.pk: user for user in role_holders("custodian")}
    people = {**caseworkers, **custodians}
    if not people:
        return 0
    already = set(
        Notification.objects.filter(topic=topic, user_id__in=list(people)).values_list(
            "user_id", flat=True
        )
    )
    team_lines = _team_lines(digest_counts(today=today)) if caseworkers else []
    # Requests waiting for a custodian; a custodian cannot decide their own.
    askers = list(
        IdentityReveal.objects.filter(status="requested").values_list("requested_by_id", flat=True)
    )
    team_url = reverse("concerns:queue")
    told = 0
    with transaction.atomic():
        for pk, user in people.items():
            if pk in already:
                continue
            lines = list(team_lines) if pk in caseworkers else []
            waiting = len([a for a in askers if a != pk]) if pk in custodians else 0
            if waiting:
                lines.append(
                    _plural(
                        waiting,
                        "request to reveal a reporter's identity is waiting for a custodian",
                        "requests to reveal a reporter's identity are waiting for a custodian",
                    )
                )
            if not lines:
                continue
            body = (
                f"What is waiting for you on {uk_date(today)}:\n\n"
                + "\n".join(f"- {line}" for line in lines)
                + "\n\nSign in to Steward to see them."
            )
            url = team_url if pk in caseworkers and team_lines else reverse("concerns:reveals")
            told += notify(
                users=[user],
                subject=f"Concerns waiting on {uk_date(today)}",
                body=body,
                url=url,
                topic=topic,
            )
        if told:
            audit_record(
                actor="concerns daily digest",
                action="concerns.digest.sent",
                reason="daily digest of concerns waiting for the team",
                payload={"day": today, "people": told},
            )
    return told
