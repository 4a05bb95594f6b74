"""Telling clients apart behind the TLS proxy (``steward.core.clients``)."""

import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from steward.core.clients import client_address, client_group

PROXY = "127.0.0.1"


def request(remote="192.0.2.10", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    # Anyone can send X-Forwarded-For: with no proxy in front it is not believed.
    assert client_address(request("192.0.2.10", "198.51.100.1")) == "192.0.2.10"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        # One proxy: the address it saw is the last one, whatever the client wrote before.
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6,198.51.100.1", "198.51.100.1"),
        # Two proxies (a CDN, then the TLS proxy): the CDN's view of the client.
        (2, "6.6.6.6, 198.51.100.1, 203.0.113.50", "198.51.100.1"),
        # Too short or missing: the connecting address.
        (2, "198.51.100.1", PROXY),
        (1, "", PROXY),
        (1, None, PROXY),
        (1, " , ", PROXY),
    ],
)
def test_behind_trusted_proxies_the_nearest_ones_view_is_used(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request(PROXY, forwarded)) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:192.0.2.33", "192.0.2.33"),
        ("192.0.2.33:51234", "192.0.2.33"),
        (" 192.0.2.33 ", "192.0.2.33"),
        ("nonsense", "unknown"),
        ("999.1.1.1", "unknown"),
        ("unknown", "unknown"),
        ("", "unknown"),
    ],
)
def test_addresses_are_normalised(settings, written, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request(PROXY, written or None)) == (expected if written else PROXY)
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(written)) == expected


def test_a_missing_remote_address_is_unknown(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    bare = RequestFactory().get("/")
    bare.META.pop("REMOTE_ADDR", None)
    assert client_address(bare) == "unknown"
    assert client_group(bare) == "unknown"


def test_ipv6_clients_are_grouped_by_their_64(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    one = client_group(request(PROXY, "2001:db8:1:2::1"))
    same_household = client_group(request(PROXY, "2001:db8:1:2:ffff:eeee:dddd:9"))
    next_door = client_group(request(PROXY, "2001:db8:1:3::1"))
    assert one == same_household == "2001:db8:1:2::/64"
    assert next_door != one
    assert client_group(request(PROXY, "192.0.2.1")) == "192.0.2.1"
    assert client_group(request(PROXY, "192.0.2.2")) == "192.0.2.2"


@pytest.mark.parametrize("value", ["-1", "two"])
def test_a_bad_trusted_proxy_count_is_refused_at_start(value):
    env = {**os.environ, "STEWARD_TESTING": "1", "TRUSTED_PROXY_COUNT": value}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import steward.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


@pytest.mark.django_db
def test_the_public_register_limits_each_client_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REGISTER_PUBLIC_RATE = "2/m"
    cache.clear()
    try:

        def search(forwarded):
            return client.get(
                reverse("register:search"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
            ).status_code

        assert [search("198.51.100.1") for _ in range(3)] == [200, 200, 429]
        # Everyone arrives from the proxy's address, but each has their own allowance.
        assert search("198.51.100.2") == 200
        # A client cannot escape by writing its own X-Forwarded-For.
        assert search("203.0.113.9, 198.51.100.1") == 429
    finally:
        cache.clear()
