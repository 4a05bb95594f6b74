"""Daily rate limits that keep nothing identifying (ADR 005).

Counts are per day, for each client and for everyone. A client is told apart by
an HMAC of its address under a random key made for that day; the key and the
counts of earlier days are deleted, so nothing links a count to an address
afterwards, and no time finer than the day is stored.
"""

import hashlib
import hmac
import os
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from steward.concerns.models import DailyCount, DailyLimitKey
from steward.core import clock

EVERYONE = "*"


@dataclass(frozen=True)
class Limit:
    bucket: str
    per_client_setting: str
    overall_setting: str

    @property
    def per_client(self) -> int:
        return getattr(settings, self.per_client_setting)

    @property
    def overall(self) -> int:
        return getattr(settings, self.overall_setting)


SUBMISSIONS = Limit(
    "submission", "CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY", "CONCERNS_SUBMISSIONS_PER_DAY"
)
CODE_FAILURES = Limit(
    "code_failure", "CONCERNS_CODE_FAILURES_PER_CLIENT_PER_DAY", "CONCERNS_CODE_FAILURES_PER_DAY"
)


def _today_key(today) -> bytes:
    found = DailyLimitKey.objects.filter(day=today).first()
    if found is not None:
        return bytes(found.key)
    DailyLimitKey.objects.filter(day__lt=today).delete()
    DailyCount.objects.filter(day__lt=today).delete()
    try:
        with transaction.atomic():
            return bytes(DailyLimitKey.objects.create(day=today, key=os.urandom(32)).key)
    except IntegrityError:  # another request made it first
        return bytes(DailyLimitKey.objects.get(day=today).key)


def _client(request, key: bytes) -> str:
    address = request.META.get("REMOTE_ADDR") or "unknown"
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def _count(today, bucket: str, client: str) -> int:
    row = DailyCount.objects.filter(day=today, bucket=bucket, client=client).first()
    return row.count if row else 0


def exceeded(request, limit: Limit) -> bool:
    """Whether this client, or everyone together, has used up today's allowance."""
    today = clock.today()
    client = _client(request, _today_key(today))
    return (
        _count(today, limit.bucket, client) >= limit.per_client
        or _count(today, limit.bucket, EVERYONE) >= limit.overall
    )


def spend(request, limit: Limit) -> None:
    """Count one use against this client's and everyone's allowance for today."""
    today = clock.today()
    client = _client(request, _today_key(today))
    for who in (client, EVERYONE):
        with transaction.atomic():
            updated = DailyCount.objects.filter(day=today, bucket=limit.bucket, client=who).update(
                count=F("count") + 1
            )
            if not updated:
                try:
                    with transaction.atomic():
                        DailyCount.objects.create(
                            day=today, bucket=limit.bucket, client=who, count=1
                        )
                except IntegrityError:
                    DailyCount.objects.filter(day=today, bucket=limit.bucket, client=who).update(
                        count=F("count") + 1
                    )
