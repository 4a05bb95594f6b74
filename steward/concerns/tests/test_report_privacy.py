"""Nothing identifying is kept when a concern is raised anonymously through the pages
(ADR 005): no client address, user agent or time finer than the day in any table,
log line or cookie; sealed columns hold no plaintext; files lose their metadata."""

import datetime as dt
import io
import logging
import types
import zipfile

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image
from pypdf import PdfReader

from steward.audit.models import AuditEvent
from steward.concerns import crypto, files
from steward.concerns.models import Concern, ConcernFile
from steward.concerns.tests import test_files as made
from steward.concerns.tests.privacy import (
    every_stored_value,
    row_keys,
    rows_added_since,
    times_held,
)
from steward.concerns.tests.test_report_pages import (
    AGENT,
    CLIENT,
    IP,
    ORGANISATION_ANSWERS,
    WHAT,
    raise_concern,
    receipt_code,
)
from steward.core.management.commands.serve import StewardLogger, is_reporter_path

pytestmark = pytest.mark.django_db

# Rows an anonymous submission, an inbox visit and a reply may add: nothing else.
EXPECTED_TABLES = {
    "concerns.Concern",
    "concerns.ConcernFile",
    "concerns.ConcernMessage",
    "concerns.DailyCount",
}


def evidence():
    return [
        SimpleUploadedFile("Rosalind's photo.jpg", made.jpeg_with_exif(orientation=3), "image/png"),
        SimpleUploadedFile("rota.pdf", made.pdf_with_metadata(), "application/pdf"),
        SimpleUploadedFile("minutes.docx", made.office_document(files.DOCX), "text/plain"),
        SimpleUploadedFile("budget.xlsx", made.office_document(files.XLSX), "text/plain"),
        SimpleUploadedFile("notes.txt", b"SECRET-NOTE: the rota was changed at 02:14"),
    ]


def test_an_anonymous_reporter_leaves_nothing_identifying(client, organisation, caplog, travel):
    caplog.set_level(logging.DEBUG)
    travel(dt.datetime(2026, 11, 5, 14, 37, 12, tzinfo=dt.UTC))
    before = row_keys()
    responses = []
    sent = raise_concern(client, files=evidence())
    responses.append(sent)
    assert sent.status_code == 200, sent.content.decode()[:2000]
    code = receipt_code(sent)
    responses.append(client.post("/concerns/inbox/", {"code": code}, **CLIENT))
    responses.append(client.post("/concerns/inbox/", {"code": "WRONG-CODE"}, **CLIENT))
    responses.append(
        client.post(
            "/concerns/inbox/reply/",
            {
                "code": code,
                "body": "One more thing about the 02:14 change.",
                "files": [SimpleUploadedFile("more.txt", b"more")],
            },
            **CLIENT,
        )
    )
    assert all(r.status_code == 200 for r in responses[1:])

    # Nothing stored holds the address, the browser, the code or a time of day.
    stored = every_stored_value()
    assert IP not in stored and AGENT not in stored
    assert code not in stored and code.replace("-", "") not in stored
    added = rows_added_since(before)
    assert {m._meta.label for m in added} <= EXPECTED_TABLES, sorted(m._meta.label for m in added)
    assert times_held(added) == []
    assert "14:37" not in stored
    assert not Session.objects.exists()
    assert not AuditEvent.objects.exists()

    # Nor any log line.
    assert IP not in caplog.text and AGENT not in caplog.text and code not in caplog.text

    # No cookie but CSRF's, and nothing identifying in it.
    for response in responses:
        for name, morsel in response.cookies.items():
            assert name == "csrftoken", name
            assert IP not in morsel.OutputString() and AGENT not in morsel.OutputString()
        assert response["Cache-Control"] == "no-store"

    concern = Concern.objects.get()
    assert concern.received_on == dt.date(2026, 11, 5)
    assert concern.files.count() == 6


def test_sealed_columns_hold_no_plaintext(client, organisation):
    raise_concern(
        client,
        "confidential",
        contact={"name": "Grainne Speakup", "email": "grainne@example.org"},
        files=evidence(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM concerns_concern")
        concern_row = cursor.fetchall()
        cursor.execute("SELECT name_sealed, content_sealed FROM concerns_concernfile")
        file_rows = cursor.fetchall()
    raw = b"".join(
        bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode()
        for row in [*concern_row, *file_rows]
        for v in row
    )
    for secret in (WHAT, "falls on ward 9", "Grainne", "grainne@example.org", "SECRET-NOTE"):
        assert secret.encode() not in raw, secret
    for name in ("Rosalind", "rota.pdf", "minutes.docx"):
        assert name.encode() not in raw, name


def test_stored_files_have_no_metadata(client, organisation):
    raise_concern(client, files=evidence())
    stored = {f.media_type: crypto.open_bytes(f.content_sealed) for f in ConcernFile.objects.all()}
    assert set(stored) == {files.JPEG, files.PDF, files.DOCX, files.XLSX, files.TEXT}
    image = Image.open(io.BytesIO(stored[files.JPEG]))
    assert not dict(image.getexif()) and made.CAMERA.encode() not in stored[files.JPEG]
    assert not image.getexif().get_ifd(made.GPS_IFD)
    pdf = PdfReader(io.BytesIO(stored[files.PDF]))
    assert not pdf.metadata or "/Author" not in pdf.metadata
    assert pdf.xmp_metadata is None
    for kind in (files.DOCX, files.XLSX):
        with zipfile.ZipFile(io.BytesIO(stored[kind])) as archive:
            core = archive.read("docProps/core.xml")
            assert made.AUTHOR.encode() not in core and b"creator" not in core
    for content in stored.values():
        assert made.AUTHOR.encode() not in content


def test_the_files_type_and_size_limits_apply_on_the_pages(client, organisation, settings):
    response = raise_concern(
        client, files=[SimpleUploadedFile("movie.pdf", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)]
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "not a type of file Steward accepts" in text and 'href="#files"' in text
    assert "Check your answers" in text
    settings.CONCERNS_FILE_MAX_BYTES = 1000
    response = raise_concern(client, files=[SimpleUploadedFile("big.txt", b"a" * 5000)])
    assert "larger than 1000 bytes" in response.content.decode()
    settings.CONCERNS_FILES_PER_SUBMISSION = 1
    response = raise_concern(client, files=[SimpleUploadedFile(f"{n}.txt", b"x") for n in range(2)])
    assert (
        "up to 1 files" in response.content.decode() or "up to 1 file" in response.content.decode()
    )
    assert not Concern.objects.exists() and not ConcernFile.objects.exists()


def test_uploads_are_kept_in_memory_and_bounded(settings):
    settings.CONCERNS_FILE_MAX_BYTES = 10
    handler = files.MemoryUploadHandler()
    handler.new_file("files", "a.txt", "text/plain", None)
    handler.receive_data_chunk(b"x" * 8, 0)
    handler.receive_data_chunk(b"y" * 8, 8)
    upload = handler.file_complete(16)
    assert upload.size == 16  # the real size, so the limit can be explained
    assert len(upload.read()) == 11  # but no more than one byte over the limit is kept


# --- The access log ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "omitted"),
    [
        ("/concerns/new/", True),
        ("/concerns/new/when/", True),
        ("/concerns/inbox/", True),
        ("/concerns/inbox/reply/", True),
        ("/concerns/mine/C-1234ABCD/", True),
        ("/api/v1/concerns", True),
        ("//api/v1/concerns/", True),
        ("/api/v1/concerns/inbox", True),
        ("/api/v1/concerns/inbox/messages", True),
        ("/api/v1/concerns/queue", False),
        ("/api/v1/concerns/queue/C-1234ABCD", False),
        ("/concerns/queue/", False),
        ("/concerns/", False),
        ("/register/", False),
        ("/concerns/newsletter", False),
    ],
)
def test_the_access_log_omits_the_reporter_routes(path, omitted):
    assert is_reporter_path(path) is omitted


def test_the_gunicorn_logger_writes_no_line_for_reporter_routes():
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '"%(m)s %(U)s" %(s)s')
    logger = StewardLogger(config)
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    logger.access_log.handlers = [Collect()]
    response = types.SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = types.SimpleNamespace(headers=[("User-Agent", AGENT)])
    for path in ("/concerns/new/check/", "/api/v1/concerns", "/register/"):
        environ = {
            "REQUEST_METHOD": "POST",
            "RAW_URI": path,
            "PATH_INFO": path,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": IP,
            "HTTP_USER_AGENT": AGENT,
        }
        logger.access(response, request, environ, dt.timedelta(milliseconds=5))
    assert lines == ['"POST /register/" 200']


def test_every_page_of_the_journey_sets_no_cookie_but_csrf(client, organisation):
    from steward.concerns.tests.test_report_pages import walk

    response, _ = walk(client, ORGANISATION_ANSWERS)
    cookies = dict(client.cookies)
    assert set(cookies) <= {"csrftoken"}
    assert not Session.objects.exists()
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path", ["/concerns/new/check/", "/concerns/inbox/reply/", "/concerns/new/"]
)
def test_views_that_take_files_still_check_csrf(path):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(path, {"state": "x", "code": "x", "body": "x"})
    assert response.status_code == 403
    assert not Concern.objects.exists()
