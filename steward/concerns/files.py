"""Supporting files: what is accepted, and removing what a file says about its author.

A file's type is found from its content (its first bytes, and for Office
documents the parts inside the zip), never from the type the browser claimed or
the name's extension. Accepted: PDF, JPEG, PNG, Word (DOCX), Excel (XLSX),
PowerPoint (PPTX) and plain text (UTF-8). Anything else is refused with a
message naming what is accepted.

Before a file is sealed its metadata is removed (ADR 005):

- images are decoded and drawn again into a new image (EXIF orientation applied
  first), so no EXIF, GPS, XMP, ICC profile or comment survives;
- PDFs are rewritten page by page with pypdf, without the document information
  dictionary, XMP metadata, page-level metadata or the authors of comments;
- Office documents are rewritten with a blank ``docProps/core.xml`` (no creator,
  last modified by, dates or title), ``docProps/app.xml`` without company,
  manager, template or hyperlink base, no ``docProps/custom.xml`` (and the
  package's content types and relationships updated to match), the names of
  comment and tracked-change authors in Word documents replaced, and every zip
  entry dated 1 January 1980;
- text is decoded as UTF-8 and written back as UTF-8.

Uploads are read into memory by :class:`MemoryUploadHandler` (never to a
temporary file on disk), keeping no more than the size limit of each file.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TEXT = "text/plain"

# What people call each type, for messages and pages.
TYPE_NAMES = {
    PDF: "PDF",
    JPEG: "JPEG image",
    PNG: "PNG image",
    DOCX: "Word document (DOCX)",
    XLSX: "Excel spreadsheet (XLSX)",
    PPTX: "PowerPoint presentation (PPTX)",
    TEXT: "text file",
}
ALLOWED_TEXT = "PDF, JPEG, PNG, Word (DOCX), Excel (XLSX), PowerPoint (PPTX) or plain text"

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_FILES = 5
# Office documents are zips: refuse ones that would unpack to more than this, or
# hold more parts than any real document does (a "zip bomb").
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000
# Images larger than this many pixels are refused rather than decoded.
MAX_IMAGE_PIXELS = 60_000_000
MAX_NAME_LENGTH = 200
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_OFFICE_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
_EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx", XLSX: ".xlsx"}
_EXTENSIONS.update({PPTX: ".pptx", TEXT: ".txt"})

BLANK_CORE_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_APP_PROPERTIES_REMOVED = re.compile(
    rb"<(?:\w+:)?(Company|Manager|HyperlinkBase|Template)\b[^>]*?(?:/>|>.*?</(?:\w+:)?\1\s*>)",
    re.DOTALL,
)
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*?/>", re.DOTALL)
_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b[^>]*?/>", re.DOTALL)
_CUSTOM_PART = re.compile(rb"""["']/?docProps/custom\.xml["']""")
# Word keeps the names (and sign-in ids) of the people who commented or tracked
# changes in these attributes, in the document and in word/people.xml.
_WORD_PEOPLE = re.compile(rb'\b(w(?:15)?:(?:author|initials|userId|providerId))="[^"]*"')
_WORD_PEOPLE_VALUES = {b"author": b"Author", b"initials": b"A"}


def max_file_bytes() -> int:
    return int(getattr(settings, "CONCERNS_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_files() -> int:
    return int(getattr(settings, "CONCERNS_FILES_PER_SUBMISSION", DEFAULT_MAX_FILES))


def size_text(size: int) -> str:
    """10485760 → "10 MB"; 2048 → "2 KB"."""
    if size >= 1024 * 1024:
        value = size / (1024 * 1024)
        return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def allowed_hint() -> str:
    return (
        f"You can send up to {max_files()} files, each up to {size_text(max_file_bytes())}: "
        f"{ALLOWED_TEXT}. We remove hidden details such as the author, location and dates "
        "from files before we store them."
    )


@dataclass(frozen=True)
class CleanFile:
    """A file with its metadata removed, ready to seal."""

    name: str
    media_type: str
    content: bytes

    @property
    def type_name(self) -> str:
        return TYPE_NAMES[self.media_type]


class _Refused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def clean_name(name: str, media_type: str | None = None) -> str:
    """A file name fit to show: no path, no control characters, not too long."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and len(extension) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH]
    if not name:
        name = "file" + _EXTENSIONS.get(media_type or "", "")
    return name


def _shown(name: str) -> str:
    return name if len(name) <= 60 else name[:57] + "…"


# --- Finding the type from the content ---------------------------------------------


def detect_type(data: bytes) -> str | None:
    """The media type the content shows, or None when it is not one Steward accepts."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    if _looks_like_text(data):
        return TEXT
    return None


def _office_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    found = {kind for part, kind in _OFFICE_MAIN_PARTS.items() if part in names}
    return found.pop() if len(found) == 1 else None


def _looks_like_text(data: bytes) -> bool:
    """Text has no NUL bytes and few control characters (UTF-8 is checked later)."""
    sample = data[:8192]
    if b"\x00" in sample:
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls <= len(sample) // 100


# --- Removing metadata --------------------------------------------------------------


def _strip_image(data: bytes, media_type: str) -> bytes:
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.format not in ("JPEG", "PNG"):
                    raise _Refused("not an image")
                if opened.width * opened.height > MAX_IMAGE_PIXELS:
                    raise _Refused("too many pixels")
                opened.load()
                image = ImageOps.exif_transpose(opened) or opened
                mode = image.mode
                if media_type == JPEG and mode not in ("L", "RGB", "CMYK"):
                    image, mode = image.convert("RGB"), "RGB"
                elif media_type == PNG and mode not in ("1", "L", "LA", "RGB", "RGBA"):
                    has_alpha = "A" in mode or "transparency" in image.info
                    mode = "RGBA" if has_alpha else "RGB"
                    image = image.convert(mode)
                # A new image from the pixels alone: nothing else comes across.
                clean = Image.frombytes(mode, image.size, image.tobytes())
    except _Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _Refused("too many pixels") from exc
    except Exception as exc:  # Pillow raises many kinds of error for damaged files
        raise _Refused("unreadable") from exc
    out = io.BytesIO()
    if media_type == JPEG:
        clean.save(out, format="JPEG", quality=90, optimize=True)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _strip_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _Refused("password")
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        if not writer.pages:
            raise _Refused("unreadable")
        for page in writer.pages:
            for key in ("/Metadata", "/PieceInfo", "/LastModified"):
                if key in page:
                    del page[NameObject(key)]
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") == "/Widget":
                    continue
                for key in ("/T", "/M", "/CreationDate", "/NM"):
                    if key in annotation:
                        del annotation[NameObject(key)]
        writer.metadata = None
        if "/Metadata" in writer.root_object:
            del writer.root_object[NameObject("/Metadata")]
        out = io.BytesIO()
        writer.write(out)
    except _Refused:
        raise
    except Exception as exc:  # pypdf raises many kinds of error for damaged files
        raise _Refused("unreadable") from exc
    return out.getvalue()


def _without_custom_part(xml: bytes, pattern: re.Pattern) -> bytes:
    return pattern.sub(lambda m: b"" if _CUSTOM_PART.search(m.group(0)) else m.group(0), xml)


def _word_people(xml: bytes) -> bytes:
    def replace(match: re.Match) -> bytes:
        attribute = match.group(1)
        local = attribute.split(b":", 1)[1]
        return attribute + b'="' + _WORD_PEOPLE_VALUES.get(local, b"") + b'"'

    return _WORD_PEOPLE.sub(replace, xml)


def _check_xml(xml: bytes) -> None:
    from defusedxml import ElementTree

    ElementTree.fromstring(xml)


def _strip_office(data: bytes, media_type: str) -> bytes:
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = [entry.filename for entry in entries]
            if len(entries) > MAX_ZIP_ENTRIES or len(set(names)) != len(names):
                raise _Refused("unreadable")
            if sum(entry.file_size for entry in entries) > MAX_UNZIPPED_BYTES:
                raise _Refused("unreadable")
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as rewritten:
                for entry in entries:
                    name = entry.filename
                    if name == "docProps/custom.xml" or entry.is_dir():
                        continue
                    content = archive.read(entry)
                    if name == "docProps/core.xml":
                        content = BLANK_CORE_XML
                    elif name == "docProps/app.xml":
                        content = _APP_PROPERTIES_REMOVED.sub(b"", content)
                    elif name == "[Content_Types].xml":
                        content = _without_custom_part(content, _OVERRIDE)
                        _check_xml(content)
                    elif name.endswith(".rels"):
                        content = _without_custom_part(content, _RELATIONSHIP)
                    elif media_type == DOCX and name.startswith("word/") and name.endswith(".xml"):
                        content = _word_people(content)
                    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o600 << 16
                    rewritten.writestr(info, content)
    except _Refused:
        raise
    except Exception as exc:  # damaged zips and XML raise many kinds of error
        raise _Refused("unreadable") from exc
    return out.getvalue()


def _text(data: bytes) -> bytes:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Refused("not utf-8") from exc
    return text.encode("utf-8")


def strip_metadata(data: bytes, media_type: str) -> bytes:
    """The content rewritten without its metadata (raises ``_Refused``)."""
    if media_type in (JPEG, PNG):
        return _strip_image(data, media_type)
    if media_type == PDF:
        return _strip_pdf(data)
    if media_type in (DOCX, XLSX, PPTX):
        return _strip_office(data, media_type)
    return _text(data)


# --- Checking uploads ---------------------------------------------------------------


def _read(upload) -> bytes:
    upload.seek(0)
    return upload.read()


def file_clean(upload) -> CleanFile:
    """One upload checked and stripped; a ValidationError (on ``files``) says what is wrong."""
    name = clean_name(getattr(upload, "name", ""))
    shown = _shown(name)
    limit = max_file_bytes()
    if upload.size > limit:
        raise ValidationError(
            {
                "files": f"'{shown}' is larger than {size_text(limit)}. Send a smaller file, "
                "or split it into parts"
            }
        )
    data = _read(upload)
    if len(data) > limit:
        raise ValidationError({"files": f"'{shown}' is larger than {size_text(limit)}"})
    if not data:
        raise ValidationError({"files": f"'{shown}' is empty. Choose the file again"})
    media_type = detect_type(data)
    if media_type is None:
        raise ValidationError(
            {
                "files": f"'{shown}' is not a type of file Steward accepts. "
                f"Send a {ALLOWED_TEXT} file"
            }
        )
    try:
        content = strip_metadata(data, media_type)
    except _Refused as refused:
        if refused.message == "password":
            message = f"'{shown}' is protected by a password. Remove the password and send it again"
        elif refused.message == "not utf-8":
            message = (
                f"'{shown}' is not plain text Steward can read. Save it as a PDF, or as text "
                "with UTF-8 encoding, and send it again"
            )
        elif refused.message == "too many pixels":
            message = f"'{shown}' is too large an image. Make it smaller and send it again"
        else:
            message = (
                f"'{shown}' could not be read: it may be damaged. Check that it opens on "
                "your device, then send it again"
            )
        raise ValidationError({"files": message}) from refused
    return CleanFile(name=clean_name(name, media_type), media_type=media_type, content=content)


def files_clean(uploads: Iterable) -> list[CleanFile]:
    """Every upload checked and stripped, or a ValidationError for the first problem
    (so nothing is stored unless all of them are fit to keep)."""
    uploads = [u for u in uploads or () if u is not None]
    if len(uploads) > max_files():
        raise ValidationError(
            {"files": f"You can send up to {max_files()} files at a time. Choose fewer files"}
        )
    return [u if isinstance(u, CleanFile) else file_clean(u) for u in uploads]


class MemoryUploadHandler(FileUploadHandler):
    """Keeps uploads in memory, never in a temporary file on disk, and keeps no more
    than one byte over the size limit of each (and nothing of files over the count
    limit), so a request cannot fill the memory. The real size is still counted, so
    :func:`file_clean` can say the file was too large."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.count = getattr(self, "count", 0) + 1
        self.buffer = io.BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        room = max_file_bytes() + 1 - self.buffer.tell()
        if room > 0 and self.count <= max_files():
            self.buffer.write(raw_data[:room])
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
