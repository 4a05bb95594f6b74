"""Keeping the routes where concerns are raised and read out of every log (ADR 005).

A log line carries a time, so a line about a reporter's request would date their
visit. The access log omits these routes (``steward serve``); :class:`OmitReporterRoutes`
does the same for Django's own loggers (a refused CSRF check, a server error), and
is attached in ``settings.LOGGING``.
"""

from __future__ import annotations

import logging
import re

# Where people raise concerns and read replies. The concerns team's own pages and
# API (the queue) are logged as usual.
REPORTER_PAGES = ("/concerns/new", "/concerns/inbox", "/concerns/mine")
REPORTER_API = ("/api/v1/concerns/inbox",)
REPORTER_API_EXACT = ("/api/v1/concerns", "/api/v1/concerns/")

# Anything in a message that looks like a path: "/concerns/new/check/" in
# "Forbidden (CSRF cookie not set.): /concerns/new/check/", or in a request line.
_PATHS = re.compile(r"/[^\s\"'?#,;]*")


def is_reporter_path(path: str) -> bool:
    """Whether a request path is one of the reporter routes no log may mention."""
    path = "/" + (path or "").lstrip("/")
    while "//" in path:
        path = path.replace("//", "/")
    if path in REPORTER_API_EXACT:
        return True
    return any(path == p or path.startswith(p + "/") for p in REPORTER_PAGES + REPORTER_API)


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a badly formed record: judge it by its template
        return str(record.msg)


def concerns_reporter_route(record: logging.LogRecord) -> bool:
    """Whether a log record is about a request to a reporter route: by the request it
    carries (Django's request and CSRF loggers), or by a path in its message."""
    request = getattr(record, "request", None)
    for attribute in ("path_info", "path"):
        path = getattr(request, attribute, None)
        if isinstance(path, str) and is_reporter_path(path):
            return True
    return any(is_reporter_path(found) for found in _PATHS.findall(_message(record)))


class OmitReporterRoutes(logging.Filter):
    """Drops every record about a request to a reporter route."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not concerns_reporter_route(record)
