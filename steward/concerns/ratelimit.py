"""Daily rate limits that keep nothing identifying (ADR 005).

Counts are per day, for each client and for everyone.

- Everyone's count ("*") is a row in :class:`DailyCount`: a date, a bucket and a
  number; nothing about any client.
- Each client's count lives only in this process's memory (a private Django
  local-memory cache, never the shared cache, which is the database in
  production). A client is the group :func:`steward.core.clients.client_group`
  gives (an IPv4 address, or an IPv6 /64), known in memory only by an HMAC under
  a random key that this process makes each day and never writes anywhere. The
  counts expire at the end of the day and are dropped with the key when the day
  changes. Nothing derived from a client's address reaches the database or a log.

Each process counts on its own, so with several server processes a client may
reach the per-client limit once in each; the overall limit, kept in the
database, holds across all of them.

A client's count for today can never be more than everyone's. So when
everyone's count for today is nothing (no row yet), this process forgets its
own counts for that bucket too: they cannot be today's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import os
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from steward.concerns.models import DailyCount
from steward.core import clock
from steward.core.clients import client_group

EVERYONE = "*"
# Marks a journey's answers as sent (``journey.send``): kept as long as a journey's
# answers signed that day could still be sent again.
JOURNEY_SENT = "journey_sent"
# Clients this process remembers at most; beyond that the least recently seen are
# forgotten (the overall limit still holds).
MAX_CLIENTS = 100_000


@dataclass(frozen=True)
class Limit:
    bucket: str
    per_client_setting: str
    # None: everyone's uses are counted but not limited.
    overall_setting: str | None = None
    # Also counted each time this limit is checked and not reached: the caller goes
    # on to do the costly thing (hash a receipt code), whether or not it then fails.
    checks: Limit | None = None

    @property
    def per_client(self) -> int:
        return getattr(settings, self.per_client_setting)

    @property
    def overall(self) -> int | None:
        return getattr(settings, self.overall_setting) if self.overall_setting else None


SUBMISSIONS = Limit(
    "submission", "CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY", "CONCERNS_SUBMISSIONS_PER_DAY"
)
# Every receipt code presented, right or wrong: each costs an Argon2 hash.
CODE_CHECKS = Limit("code_check", "CONCERNS_INBOX_READS_PER_CLIENT_PER_DAY")
CODE_FAILURES = Limit(
    "code_failure",
    "CONCERNS_CODE_FAILURES_PER_CLIENT_PER_DAY",
    "CONCERNS_CODE_FAILURES_PER_DAY",
    checks=CODE_CHECKS,
)
LIMITS = (SUBMISSIONS, CODE_CHECKS, CODE_FAILURES)


# --- This process's memory -------------------------------------------------------

_lock = threading.Lock()
_day: dt.date | None = None
_key = b""
# Raised to forget a bucket's counts at once (old keys are then never read again).
_generations: dict[str, int] = {}
_counts = LocMemCache(
    "steward.concerns.ratelimit.per-client",
    {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": MAX_CLIENTS, "CULL_FREQUENCY": 4}},
)


def _todays_key(today: dt.date) -> bytes:
    """This process's random key for today; a new day brings a new key, and the
    counts made under the old one are dropped (and old rows purged)."""
    global _day, _key
    with _lock:
        if _day == today:
            return _key
        _day, _key = today, os.urandom(32)
        _counts.clear()
        key = _key
    purge_old_days(today=today)
    return key


def _forget(bucket: str) -> None:
    with _lock:
        _generations[bucket] = _generations.get(bucket, 0) + 1


def _client_key(request, bucket: str, key: bytes) -> str:
    digest = hmac.new(key, client_group(request).encode(), hashlib.sha256).hexdigest()
    return f"{bucket}:{_generations.get(bucket, 0)}:{digest}"


def _seconds_left_today() -> int:
    now = clock.now()
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    midnight = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time()))
    return max(1, math.ceil((midnight - now).total_seconds()))


def _client_add(name: str) -> None:
    timeout = _seconds_left_today()
    if _counts.add(name, 1, timeout=timeout):
        return
    try:
        _counts.incr(name)
    except ValueError:  # expired between add and incr
        _counts.set(name, 1, timeout=timeout)


# --- Everyone's count, in the database ----------------------------------------------


def _everyone(today: dt.date, bucket: str) -> int:
    row = DailyCount.objects.filter(day=today, bucket=bucket, client=EVERYONE).first()
    return row.count if row else 0


def _everyone_add(today: dt.date, bucket: str) -> bool:
    """Count one use for everyone; whether it was the first today."""
    rows = DailyCount.objects.filter(day=today, bucket=bucket, client=EVERYONE)
    with transaction.atomic():
        if rows.update(count=F("count") + 1):
            return False
        try:
            with transaction.atomic():
                DailyCount.objects.create(day=today, bucket=bucket, client=EVERYONE, count=1)
            return True
        except IntegrityError:  # another request made it first
            rows.update(count=F("count") + 1)
            return False


# --- Checking and counting --------------------------------------------------------


def _reached(request, limit: Limit, today: dt.date, key: bytes) -> bool:
    everyone = _everyone(today, limit.bucket)
    if everyone == 0:
        _forget(limit.bucket)
        mine = 0
    else:
        mine = _counts.get(_client_key(request, limit.bucket, key), 0)
    overall = limit.overall
    return (overall is not None and everyone >= overall) or mine >= limit.per_client


def _spend(request, limit: Limit, today: dt.date, key: bytes) -> None:
    if _everyone_add(today, limit.bucket):
        _forget(limit.bucket)
    _client_add(_client_key(request, limit.bucket, key))


def exceeded(request, limit: Limit) -> bool:
    """Whether this client, or everyone together, has used up today's allowance.

    For a limit with ``checks`` (wrong receipt codes), a check that passes also
    counts one use of that allowance (receipt codes presented, right or wrong),
    because the caller hashes the code next; and that allowance being used up
    refuses too."""
    today = clock.today()
    key = _todays_key(today)
    if _reached(request, limit, today, key):
        return True
    if limit.checks is not None:
        if _reached(request, limit.checks, today, key):
            return True
        _spend(request, limit.checks, today, key)
    return False


def spend(request, limit: Limit) -> None:
    """Count one use against this client's and everyone's allowance for today."""
    today = clock.today()
    _spend(request, limit, today, _todays_key(today))


def purge_old_days(*, today: dt.date | None = None) -> int:
    """Delete the counts of earlier days (for the daily digest; also done by each
    process on its first use of a new day), and anything an earlier version kept
    per client. Returns the number of rows deleted."""
    today = today or clock.today()
    kept_days = max(1, math.ceil(settings.CONCERNS_JOURNEY_MAX_AGE_SECONDS / 86400))
    sent_until = today - dt.timedelta(days=kept_days)
    old = Q(day__lt=today) & ~Q(bucket=JOURNEY_SENT)
    old |= Q(bucket=JOURNEY_SENT, day__lt=sent_until)
    per_client = Q(bucket__in=[limit.bucket for limit in LIMITS]) & ~Q(client=EVERYONE)
    deleted, _ = DailyCount.objects.filter(old | per_client).delete()
    return deleted
