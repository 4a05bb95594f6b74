"""No log line about a request to the routes where concerns are raised and read
(ADR 005): every line carries a time, which would date a reporter's visit."""

import io
import logging

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from steward.core.logging import OmitReporterRoutes, concerns_reporter_route, is_reporter_path


@pytest.fixture
def console():
    """What the configured console handler writes, for the length of a test."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, OmitReporterRoutes) for f in h.filters)
    ]
    assert handlers, "settings.LOGGING attaches the filter to the console handler"
    written = io.StringIO()
    previous = [h.setStream(written) for h in handlers]
    yield written
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/concerns/new/check/", "/concerns/inbox/", "/concerns/new/"])
def test_a_refused_csrf_check_on_a_reporter_route_logs_nothing(path, console, caplog):
    caplog.set_level(logging.DEBUG)
    response = Client(enforce_csrf_checks=True).post(path, {"state": "x", "code": "x"})
    assert response.status_code == 403
    assert "Forbidden" not in console.getvalue() and path not in console.getvalue()
    assert [r for r in caplog.records if r.name.startswith("django")] == []


@pytest.mark.django_db
def test_a_refused_csrf_check_elsewhere_is_still_logged(console, caplog):
    caplog.set_level(logging.DEBUG)
    path = reverse("account_login")
    response = Client(enforce_csrf_checks=True).post(path, {"login": "x"})
    assert response.status_code == 403
    assert f"Forbidden (CSRF cookie not set.): {path}" in console.getvalue()
    assert any(r.name == "django.security.csrf" for r in caplog.records)


@pytest.mark.django_db
def test_refused_requests_on_reporter_routes_are_not_logged(client, console, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")
    assert client.post("/api/v1/concerns", "{", content_type="application/json").status_code in (
        400,
        422,
    )
    assert client.get("/concerns/inbox/nothing-here/").status_code == 404
    assert "/concerns" not in console.getvalue()
    assert [r for r in caplog.records if r.name.startswith("django")] == []
    assert client.get("/register/nothing-here/").status_code == 404
    assert "Not Found: /register/nothing-here/" in console.getvalue()


def test_server_errors_on_reporter_routes_are_not_logged(console, caplog):
    caplog.set_level(logging.DEBUG)
    request = RequestFactory().post("/concerns/inbox/reply/")
    logger = logging.getLogger("django.request")
    logger.error("Internal Server Error: %s", request.path, extra={"request": request})
    assert "/concerns" not in console.getvalue() and not caplog.records
    other = RequestFactory().get("/register/")
    logger.error("Internal Server Error: %s", other.path, extra={"request": other})
    assert "Internal Server Error: /register/" in console.getvalue()


def test_lines_that_only_name_the_path_are_dropped_too(console, caplog):
    caplog.set_level(logging.DEBUG)
    # As the development server writes its request lines: no request object.
    logging.getLogger("django.server").info(
        '"%s" %s %s', "POST /concerns/new/check/ HTTP/1.1", 403, 9
    )
    logging.getLogger("steward.anything").warning("Could not read /concerns/mine/C-1234/")
    assert "/concerns" not in console.getvalue()
    logging.getLogger("steward.anything").warning("Slow page: /concerns/queue/")
    assert "Slow page: /concerns/queue/" in console.getvalue()


@pytest.mark.parametrize(
    ("message", "dropped"),
    [
        ("Forbidden (CSRF cookie not set.): /concerns/new/check/", True),
        ("Not Found: /api/v1/concerns/inbox/messages", True),
        ("Bad Request: //concerns//inbox", True),
        ("Forbidden (CSRF cookie not set.): /accounts/login/", False),
        ("Not Found: /concerns/", False),
        ("Everything is fine", False),
    ],
)
def test_records_are_judged_by_their_message(message, dropped):
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, message, (), None)
    assert concerns_reporter_route(record) is dropped
    assert OmitReporterRoutes().filter(record) is (not dropped)


def test_a_badly_formed_record_does_not_break_logging():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "%s %s /concerns/new", (1,), None)
    assert concerns_reporter_route(record) is True


def test_the_server_uses_the_same_list_of_routes():
    from steward.core.management.commands import serve

    assert serve.is_reporter_path is is_reporter_path
