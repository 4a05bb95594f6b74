"""A small per-client rate limit for the public register, kept in Django's cache.

The rate is the setting ``REGISTER_PUBLIC_RATE``: ``"120/m"`` (the default)
means 120 requests a minute from one client; units are ``s``, ``m``, ``h`` and
``d``, optionally with a number (``"600/5m"``). ``None``, ``""`` or ``"off"``
turns the limit off. The cache is shared by every process (the database cache
in production), so the limit holds across servers. Clients are told apart by
``steward.core.clients.client_group`` (their address, read through the proxies
``TRUSTED_PROXY_COUNT`` trusts; an IPv6 client by its /64), kept only as a salted
hash in the cache key.

Fixed windows: simple and cheap (two cache operations a request); a client
can at most double the rate across a window boundary, which is fine for
keeping scrapers from monopolising the service.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from steward.core.clients import client_group

DEFAULT_RATE = "120/m"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int


def parse_rate(value: str | None) -> Rate | None:
    """``"120/m"`` → 120 requests in 60 seconds; None when the limit is off."""
    if value is None or str(value).strip().lower() in {"", "off", "none"}:
        return None
    match = _RATE.match(str(value))
    if not match:
        raise ValueError(f"REGISTER_PUBLIC_RATE must look like 120/m, not {value!r}.")
    count, multiple, unit = match.groups()
    return Rate(requests=int(count), seconds=int(multiple or 1) * _UNITS[unit])


def client_key(request) -> str:
    salted = f"{settings.SECRET_KEY}:{client_group(request)}".encode()
    return hashlib.sha256(salted).hexdigest()[:32]


def retry_after(request, *, scope: str = "register") -> int | None:
    """Count this request; the seconds to wait if the client is over the limit, else None."""
    rate = parse_rate(getattr(settings, "REGISTER_PUBLIC_RATE", DEFAULT_RATE))
    if rate is None:
        return None
    now = time.time()
    window = int(now // rate.seconds)
    key = f"ratelimit:{scope}:{client_key(request)}:{window}"
    if cache.add(key, 1, timeout=rate.seconds + 1):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=rate.seconds + 1)
            used = 1
    if used <= rate.requests:
        return None
    return max(1, int((window + 1) * rate.seconds - now) + 1)


def too_many_message(wait: int) -> str:
    unit = "second" if wait == 1 else "seconds"
    return (
        "You have made too many requests to the register in a short time. "
        f"Wait {wait} {unit} and try again."
    )
