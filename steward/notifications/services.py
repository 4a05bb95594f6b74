"""Sending notifications: one row per person in Steward, and an email to each."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from steward.core import clock
from steward.notifications.models import Notification

logger = logging.getLogger(__name__)


def _email_text(body: str, url: str) -> str:
    """The body, then the full address of the page it is about."""
    return f"{body}\n\n{settings.SITE_URL.rstrip('/')}{url}" if url else body


def _email(subject: str, text: str, address: str) -> bool:
    """Send one email; False if the mail server refused. The log line names only the
    kind of failure, never the address or what the email said."""
    try:
        send_mail(subject, text, None, [address])
    except OSError as exc:  # mail server down: the in-service copy still stands
        logger.warning("notification email failed: %s", type(exc).__name__)
        return False
    return True


def notify(*, users: Iterable, subject: str, body: str, url: str = "", topic: str = "") -> int:
    """Tell each person in the service and by email; returns how many were told.

    Emails go after the transaction commits, so a rolled-back decision never
    sends one. Subject and body must not contain restricted details: the email
    says what happened and points to the page, which checks who may see it.
    """
    people = {user.pk: user for user in users if user is not None and user.is_active}
    if not people:
        return 0
    now = clock.now()
    rows = Notification.objects.bulk_create(
        Notification(user_id=pk, subject=subject, body=body, url=url, topic=topic, created_at=now)
        for pk in people
    )
    ids = [row.pk for row in rows if row.pk is not None]

    def send() -> None:
        text = _email_text(body, url)
        sent = [pk for pk, user in people.items() if _email(subject, text, user.email)]
        if ids:
            Notification.objects.filter(pk__in=ids, user_id__in=sent).update(emailed_at=clock.now())

    transaction.on_commit(send)
    return len(people)


def notify_address(*, email: str, subject: str, body: str, url: str = "") -> bool:
    """Email someone who has no Steward account (e.g. a registrant who never signed
    in), after the transaction commits. Same rules as ``notify``: no restricted details."""
    email = (email or "").strip()
    if "@" not in email:
        return False
    transaction.on_commit(lambda: _email(subject, _email_text(body, url), email))
    return True


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=clock.now())
