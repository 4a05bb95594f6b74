"""The daily limits on raising concerns and presenting receipt codes (ADR 005):
per client behind the proxy, counted per client only in memory, everyone's count
alone in the database."""

import datetime as dt
import logging
import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from steward.concerns import ratelimit, services
from steward.concerns.models import DailyCount
from steward.concerns.tests.privacy import every_stored_value
from steward.concerns.tests.test_inbox_pages import open_inbox

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
ALICE = "198.51.100.23"
BOB = "203.0.113.140"
BODY = {
    "anonymity": "anonymous",
    "what_happened": "The night shift rota was changed to hide the gaps.",
    "organisation_ods_code": "RR8",
}


@pytest.fixture(autouse=True)
def behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def via_proxy(address: str) -> dict:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


def api_raise(client, address):
    return client.post(
        "/api/v1/concerns", BODY, content_type="application/json", **via_proxy(address)
    )


def api_inbox(client, code, address):
    return client.get("/api/v1/concerns/inbox", HTTP_X_RECEIPT_CODE=code, **via_proxy(address))


@pytest.fixture
def code(organisation):
    return services.concern_submit(
        anonymity="anonymous",
        answers={"what_happened": "Falls went unreported."},
        organisation=organisation,
    ).receipt_code


def test_one_client_behind_the_proxy_does_not_lock_out_the_others(client, organisation, settings):
    settings.CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY = 2
    assert [api_raise(client, ALICE).status_code for _ in range(3)] == [201, 201, 429]
    # Everyone reaches Steward from the proxy's address; Bob still has his allowance.
    assert api_raise(client, BOB).status_code == 201
    # Writing another address in front of the proxy's does not help Alice.
    assert api_raise(client, f"{BOB}, {ALICE}").status_code == 429


def test_wrong_codes_from_one_client_do_not_lock_the_others_out(client, code, settings):
    settings.CONCERNS_CODE_FAILURES_PER_CLIENT_PER_DAY = 3
    for _ in range(3):
        assert api_inbox(client, "WRONG-CODE", ALICE).status_code == 404
    assert api_inbox(client, code, ALICE).status_code == 429
    assert api_inbox(client, code, BOB).status_code == 200
    # And on the pages.
    assert open_inbox(client, code, **via_proxy(ALICE)).status_code == 429
    assert open_inbox(client, code, **via_proxy(BOB)).status_code == 200


def test_an_ipv6_client_is_limited_by_its_64(client, organisation, settings):
    settings.CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY = 2
    assert api_raise(client, "2001:db8:5:6::1").status_code == 201
    assert api_raise(client, "2001:db8:5:6::2").status_code == 201
    assert api_raise(client, "2001:db8:5:6:aaaa::3").status_code == 429
    assert api_raise(client, "2001:db8:5:7::1").status_code == 201


def test_reading_the_inbox_is_limited_generously_per_client(client, code, settings):
    settings.CONCERNS_INBOX_READS_PER_CLIENT_PER_DAY = 3
    assert api_inbox(client, code, ALICE).status_code == 200
    assert open_inbox(client, code, **via_proxy(ALICE)).status_code == 200
    reply = client.post(
        "/api/v1/concerns/inbox/messages",
        {"body": "One more thing."},
        content_type="application/json",
        HTTP_X_RECEIPT_CODE=code,
        **via_proxy(ALICE),
    )
    assert reply.status_code == 201
    # Three codes checked today from here, each an Argon2 hash: no more.
    assert api_inbox(client, code, ALICE).status_code == 429
    refused = open_inbox(client, code, **via_proxy(ALICE))
    assert refused.status_code == 429 and "too many attempts" in refused.content.decode().lower()
    assert (
        client.post(
            "/concerns/inbox/reply/", {"code": code, "body": "Hi"}, **via_proxy(ALICE)
        ).status_code
        == 429
    )
    assert api_inbox(client, code, BOB).status_code == 200


def test_wrong_codes_count_towards_the_reads_too(client, code, settings):
    settings.CONCERNS_INBOX_READS_PER_CLIENT_PER_DAY = 2
    assert api_inbox(client, "WRONG-CODE", ALICE).status_code == 404
    assert api_inbox(client, code, ALICE).status_code == 200
    assert api_inbox(client, code, ALICE).status_code == 429


def test_the_default_reads_allowance_is_generous(settings):
    assert settings.CONCERNS_INBOX_READS_PER_CLIENT_PER_DAY == 500


def test_the_database_holds_only_everyones_counts(client, code, settings, caplog):
    caplog.set_level(logging.DEBUG)
    settings.CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY = 1
    settings.CONCERNS_CODE_FAILURES_PER_CLIENT_PER_DAY = 1
    for address in (ALICE, BOB):
        assert api_raise(client, address).status_code == 201
        assert api_inbox(client, "WRONG-CODE", address).status_code == 404
        assert api_inbox(client, code, address).status_code == 429
    assert api_raise(client, ALICE).status_code == 429
    # The per-client counts refused Alice, yet the database has no row per client...
    rows = set(DailyCount.objects.values_list("bucket", "client", "count"))
    assert rows == {("submission", "*", 2), ("code_check", "*", 2), ("code_failure", "*", 2)}
    # ... and no address anywhere.
    stored = every_stored_value()
    assert ALICE not in stored and BOB not in stored
    assert ALICE not in caplog.text and BOB not in caplog.text
    # The shared cache (the database in production) is not used either.
    assert not [key for key in getattr(cache, "_cache", {}) if "ratelimit" in key]


def test_a_clients_counts_cannot_outlive_everyones(settings):
    settings.CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY = 2
    request = RequestFactory().post("/", **via_proxy(ALICE))
    ratelimit.spend(request, ratelimit.SUBMISSIONS)
    ratelimit.spend(request, ratelimit.SUBMISSIONS)
    assert ratelimit.exceeded(request, ratelimit.SUBMISSIONS)
    # Everyone's count for today is gone (a new database): so are the client's.
    DailyCount.objects.all().delete()
    assert not ratelimit.exceeded(request, ratelimit.SUBMISSIONS)
    ratelimit.spend(request, ratelimit.SUBMISSIONS)
    assert not ratelimit.exceeded(request, ratelimit.SUBMISSIONS)


def test_a_clients_counts_expire_at_the_end_of_the_day(settings, travel, monkeypatch):
    settings.CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY = 1
    london_late = timezone.make_aware(dt.datetime(2026, 12, 3, 23, 59, 0))
    travel(london_late)
    request = RequestFactory().post("/", **via_proxy(ALICE))
    ratelimit.spend(request, ratelimit.SUBMISSIONS)
    assert ratelimit.exceeded(request, ratelimit.SUBMISSIONS)
    # Two minutes on by the process's own clock the memory has let go, before
    # anything even notices that the day has changed.
    real = time.time()
    monkeypatch.setattr(time, "time", lambda: real + 120)
    assert not ratelimit.exceeded(request, ratelimit.SUBMISSIONS)


def test_the_limits_start_again_the_next_day(settings, travel):
    settings.CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY = 1
    travel(dt.date(2026, 12, 1))
    request = RequestFactory().post("/", **via_proxy(ALICE))
    ratelimit.spend(request, ratelimit.SUBMISSIONS)
    assert ratelimit.exceeded(request, ratelimit.SUBMISSIONS)
    travel(dt.date(2026, 12, 2))
    assert not ratelimit.exceeded(request, ratelimit.SUBMISSIONS)
    assert set(DailyCount.objects.values_list("day", flat=True)) == set()


def test_purging_keeps_only_what_today_needs(settings, travel):
    settings.CONCERNS_JOURNEY_MAX_AGE_SECONDS = 6 * 3600
    today = dt.date(2026, 12, 10)
    travel(today)
    yesterday, before = today - dt.timedelta(days=1), today - dt.timedelta(days=2)
    for day in (today, yesterday, before):
        DailyCount.objects.create(day=day, bucket="submission", client="*", count=4)
        DailyCount.objects.create(day=day, bucket=ratelimit.JOURNEY_SENT, client=f"n{day}")
    # What an earlier version kept: counts per client, even for today.
    DailyCount.objects.create(day=today, bucket="code_failure", client="ab" * 32, count=1)

    assert ratelimit.purge_old_days() == 4
    assert set(DailyCount.objects.values_list("day", "bucket")) == {
        (today, "submission"),
        (today, ratelimit.JOURNEY_SENT),
        # A journey's answers signed late yesterday may still be sent this morning:
        # the mark that they were sent stays for a day.
        (yesterday, ratelimit.JOURNEY_SENT),
    }
