"""Who a request came from, for per-client rate limits.

``steward serve`` listens on 127.0.0.1 behind a TLS proxy, so ``REMOTE_ADDR`` is
the proxy for everyone. With ``TRUSTED_PROXY_COUNT`` set to the number of proxies
in front of Steward (N), the client is the Nth address from the right of
``X-Forwarded-For``: the one the nearest trusted proxy saw connect to it. Addresses
further left were written by the client (or by proxies nobody vouches for) and are
never used. With no proxy (N = 0), or when the header is missing or shorter than
N, the client is ``REMOTE_ADDR``.

These values identify people: use them only to tell clients apart for a moment
(rate limits), never store or log them.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

UNKNOWN = "unknown"
IPV6_GROUP_PREFIX = 64


def _parse(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as a proxy may write it ("192.0.2.1", "192.0.2.1:443", "2001:db8::1",
    "[2001:db8::1]:443"), or None when it is not one."""
    text = (value or "").strip().strip('"')
    if not text:
        return None
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted_proxy_count() -> int:
    try:
        return max(0, int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0))
    except (TypeError, ValueError):
        return 0


def _address(request) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    count = _trusted_proxy_count()
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return _parse(forwarded[-count])
    return _parse(request.META.get("REMOTE_ADDR"))


def client_address(request) -> str:
    """The client's address, normalised ("2001:db8::1", "192.0.2.7"), or "unknown"."""
    address = _address(request)
    return str(address) if address is not None else UNKNOWN


def client_group(request) -> str:
    """What rate limits count against: an IPv4 address as it is, an IPv6 address's /64
    network (one household or phone usually holds a whole /64), or "unknown"."""
    address = _address(request)
    if address is None:
        return UNKNOWN
    if isinstance(address, ipaddress.IPv6Address):
        network = ipaddress.IPv6Network((address, IPV6_GROUP_PREFIX), strict=False)
        return str(network)
    return str(address)
