"""Messages Steward sends to the people who use it: in the service and by email.

A notification says what happened and where to act; it never carries
restricted details (those stay behind the link, which checks permissions).
"""

from django.conf import settings
from django.db import models

from steward.core import clock


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    # Groups notifications about the same thing (e.g. "fitness.return.reminder").
    topic = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.subject
