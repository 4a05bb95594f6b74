"""Supporting files: what is accepted, and removing what a file says about its author.

A file's type is found from its content (its first bytes, and for Office
documents the parts inside the zip), never from the type the browser claimed or
the name's extension. Accepted: PDF, JPEG, PNG, Word (DOCX), Excel (XLSX),
PowerPoint (PPTX) and plain text (UTF-8). Anything else is refused with a
message naming what is accepted.

Before a file is sealed its metadata is removed (ADR 005):

- images are decoded, turned upright (EXIF orientation) and encoded again from
  their pixels alone, so no EXIF, GPS, XMP, ICC profile or comment survives.
  Phone photos saved as several pictures (MPO) keep the first picture, as a
  JPEG. Images of more than 40 million pixels are refused before they are
  decoded;
- PDFs are rewritten page by page with pypdf, without the document information
  dictionary or XMP metadata. Every object copied loses its ``/Metadata``,
  ``/PieceInfo`` and ``/LastModified``; comments lose their authors and dates;
  JPEG pictures inside lose every APP segment but JFIF (without its thumbnail)
  and Adobe's, and their comments. PDFs with files attached inside them are
  refused. The written PDF is read back and checked object by object;
- Office documents (zips) are checked before anything is unpacked (no more than
  2,000 parts, 50 MB unpacked, no part packed more tightly than a document
  would be), then rewritten: a blank ``docProps/core.xml``; ``docProps/app.xml``
  without company, manager, template or hyperlink base; no custom properties,
  thumbnail, custom XML data or PowerPoint revision information (and the
  package's content types and relationships updated to match); every JPEG and
  PNG picture stripped as above; embedded Office documents (such as a chart's
  workbook) cleaned in the same way; the names, initials, sign-in ids and dates
  of the people who commented, tracked changes or shared a workbook replaced or
  removed; Word's revision ids, document ids, document variables and attached
  template removed; Excel's record of the folder the workbook was saved in
  removed; links to files on the author's computer reduced to the file's name;
  and every zip entry dated 1 January 1980. The XML parts that are changed are
  parsed (no DTDs, none over 2 MB), never edited with patterns;
- text is decoded as UTF-8 and written back as UTF-8.

Uploads are read into memory by :class:`MemoryUploadHandler` (never to a
temporary file on disk), keeping no more than the size limit of each file.
"""

from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from urllib.parse import unquote
from xml.etree import ElementTree

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
# Office documents are zips: refuse ones that would unpack to more than this
# (counting the documents embedded in them), hold more parts than any real
# document does, or have a part packed far more tightly than text or pictures
# ever are (a "zip bomb"). All of this is read from the zip's directory, before
# anything is unpacked.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_FROM = 1024 * 1024
# XML parts that are parsed to be cleaned may be no larger than this.
MAX_XML_PART_BYTES = 2 * 1024 * 1024
# Images larger than this many pixels are refused rather than decoded.
MAX_IMAGE_PIXELS = 40_000_000
MAX_NAME_LENGTH = 200
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Put in place of dates an Office schema requires.
FIXED_DATE = "1980-01-01T00:00:00Z"

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


# --- Images -------------------------------------------------------------------------

_EXIF_ORIENTATION = 0x0112


def _upright(image, orientation):
    """The image turned as its EXIF orientation says (a new image), or itself."""
    from PIL import Image

    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation if isinstance(orientation, int) else None)
    return image if method is None else image.transpose(method)


def _savable(image, media_type: str):
    """The image in a mode its format stores (a new image when it has to change)."""
    mode = image.mode
    if media_type == JPEG:
        return image if mode in ("L", "RGB", "CMYK") else image.convert("RGB")
    transparency = "transparency" in image.info
    if mode in ("1", "L", "LA", "RGB", "RGBA", "I;16") and not transparency:
        return image
    return image.convert("RGBA" if "A" in mode or transparency else "RGB")


def _strip_image(data: bytes, media_type: str, *, keep_orientation: bool = False) -> bytes:
    """The image encoded again from its pixels alone. It is turned upright first;
    or, with ``keep_orientation`` (pictures inside documents, where the document
    may already allow for the turn), left as stored with an EXIF block holding
    nothing but its orientation."""
    from PIL import Image

    out = io.BytesIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                # A phone may save a photo as several pictures in one file (MPO):
                # the first is the photo, and only that is kept.
                if opened.format not in ("JPEG", "MPO", "PNG"):
                    raise _Refused("not an image")
                # The size comes from the header: refuse before decoding anything.
                width, height = opened.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _Refused("too many pixels")
                opened.seek(0)
                opened.load()
                orientation = opened.getexif().get(_EXIF_ORIENTATION)
                exif = Image.Exif()
                if keep_orientation:
                    image = _savable(opened, media_type)
                    if orientation in range(2, 9):
                        exif[_EXIF_ORIENTATION] = orientation
                else:
                    image = _savable(_upright(opened, orientation), media_type)
                # Nothing read from the file goes with the pixels: the encoders
                # fall back to ``info`` for the ICC profile, comment and
                # transparency, so it is emptied, and nothing else is passed.
                image.info = {}
                options = {"exif": exif.tobytes()} if len(exif) else {}
                if media_type == JPEG:
                    image.save(out, format="JPEG", quality=90, optimize=True, **options)
                else:
                    image.save(out, format="PNG", optimize=True, **options)
    except _Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _Refused("too many pixels") from exc
    except Exception as exc:  # Pillow raises many kinds of error for damaged files
        raise _Refused("unreadable") from exc
    return out.getvalue()


# --- JPEG segments (pictures inside PDFs) -------------------------------------------------

_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and the restart markers: no length
_JPEG_SOS, _JPEG_EOI, _JPEG_APP0, _JPEG_APP14, _JPEG_COM = 0xDA, 0xD9, 0xE0, 0xEE, 0xFE


def _jpeg_segment_kept(marker: int, payload: bytes) -> bytes | None:
    """The payload to keep for a segment, or None to drop it. APP0 is kept only as
    JFIF, without its thumbnail; APP14 only as Adobe's (it says how the colours
    are stored); every other APP segment (EXIF, XMP, ICC, maker notes, MPF) and
    every comment goes."""
    if marker == _JPEG_APP0:
        if payload.startswith(b"JFIF\x00") and len(payload) >= 14:
            return payload[:12] + b"\x00\x00"
        return None
    if marker == _JPEG_APP14:
        return payload if payload.startswith(b"Adobe") else None
    if 0xE1 <= marker <= 0xEF or marker == _JPEG_COM:
        return None
    return payload


def _jpeg_without_metadata(data: bytes) -> bytes:
    """The JPEG with its metadata segments removed, the image data untouched.
    Anything after the end of the image (such as a phone's second picture) goes."""
    if not data.startswith(b"\xff\xd8"):
        raise _Refused("unreadable")
    out = bytearray(b"\xff\xd8")
    size = len(data)
    pos = 2
    while pos < size:
        if data[pos] != 0xFF:
            raise _Refused("unreadable")
        while pos < size and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= size:
            break
        marker = data[pos]
        pos += 1
        if marker == _JPEG_EOI:
            out += b"\xff\xd9"
            break
        if marker in _JPEG_STANDALONE:
            out += bytes((0xFF, marker))
            continue
        if pos + 2 > size:
            raise _Refused("unreadable")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > size:
            raise _Refused("unreadable")
        payload = data[pos + 2 : pos + length]
        pos += length
        kept = _jpeg_segment_kept(marker, payload)
        if kept is not None:
            out += bytes((0xFF, marker)) + (len(kept) + 2).to_bytes(2, "big") + kept
        if marker == _JPEG_SOS:
            # Entropy-coded data runs to the next marker that is not a stuffed
            # 0xFF00, a restart marker or fill.
            start = pos
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= size:
                    pos = size
                    break
                following = data[pos + 1]
                if following == 0x00 or following in _JPEG_STANDALONE or following == 0xFF:
                    pos += 1 if following == 0xFF else 2
                    continue
                break
            out += data[start:pos]
    return bytes(out)


# --- PDFs ---------------------------------------------------------------------------

_PDF_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")
# Who wrote a comment, and when (a form field's /T is its name, and stays).
_PDF_ANNOTATION_PEOPLE_KEYS = ("/T", "/M", "/CreationDate", "/NM")
_PDF_ATTACHMENT_KEYS = ("/EF", "/EmbeddedFiles", "/AF")
_PDF_JPEG_FILTERS = ("/DCTDecode", "/DCT")


def _pdf_walk(*starts) -> Iterator:
    """Every dictionary, stream and array reachable from ``starts``, each once.
    Changes made to a dictionary before the next one is asked for are followed
    (so a key deleted is not walked into)."""
    from pypdf.generic import IndirectObject

    seen: set[tuple[int, int]] = set()
    todo = list(starts)
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, dict):
            yield obj
            todo.extend(obj.values())
        elif isinstance(obj, list):
            yield obj
            todo.extend(obj)


def _pdf_has_attachment(dictionary) -> bool:
    return (
        any(key in dictionary for key in _PDF_ATTACHMENT_KEYS)
        or dictionary.get("/Type") == "/EmbeddedFile"
        or dictionary.get("/Subtype") == "/FileAttachment"
    )


def _pdf_clean_dictionary(dictionary) -> None:
    from pypdf.generic import NameObject

    if _pdf_has_attachment(dictionary):
        raise _Refused("attachments")
    for key in _PDF_METADATA_KEYS:
        if key in dictionary:
            del dictionary[NameObject(key)]
    if "/Rect" in dictionary and "/Subtype" in dictionary:  # an annotation
        for key in _PDF_ANNOTATION_PEOPLE_KEYS:
            if key == "/T" and dictionary.get("/Subtype") == "/Widget":
                continue  # a form field's name
            if key in dictionary:
                del dictionary[NameObject(key)]


def _pdf_filters(stream) -> list[str]:
    filters = stream.get("/Filter")
    if filters is None:
        return []
    filters = filters.get_object()
    if isinstance(filters, list):
        return [str(f.get_object()) for f in filters]
    return [str(filters)]


def _pdf_jpeg(stream) -> bytes | None:
    """The JPEG a stream holds (other filters undone), or None when it is not one."""
    from pypdf.generic import StreamObject

    if not isinstance(stream, StreamObject):
        return None
    filters = _pdf_filters(stream)
    if not any(f in _PDF_JPEG_FILTERS for f in filters):
        return None
    if filters[-1] not in _PDF_JPEG_FILTERS or len(filters) > 4:
        raise _Refused("unreadable")
    return stream.get_data()


def _pdf_clean_jpeg(stream) -> None:
    from pypdf.generic import ArrayObject, NameObject, StreamObject

    jpeg = _pdf_jpeg(stream)
    if jpeg is None:
        return
    cleaned = _jpeg_without_metadata(jpeg)
    filters = _pdf_filters(stream)
    if cleaned == jpeg and len(filters) == 1:
        return
    parameters = stream.get("/DecodeParms")
    if parameters is not None:
        parameters = parameters.get_object()
        if isinstance(parameters, ArrayObject) and len(parameters) == len(filters):
            stream[NameObject("/DecodeParms")] = parameters[-1]
        elif len(filters) > 1 or isinstance(parameters, ArrayObject):
            del stream[NameObject("/DecodeParms")]
    stream[NameObject("/Filter")] = NameObject("/DCTDecode")
    # The JPEG itself is the stream's data, as written: set it directly (pypdf
    # would otherwise try to encode it again).
    StreamObject.set_data(stream, cleaned)
    if hasattr(stream, "decoded_self"):
        stream.decoded_self = None


def _pdf_check_written(data: bytes) -> None:
    """Read the written PDF back and look at every object in it, referenced or
    not: nothing that should have gone may be left."""
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject

    reader = PdfReader(io.BytesIO(data))
    free = reader.xref_free_entry
    numbers = [
        IndirectObject(number, generation, reader)
        for generation, entries in reader.xref.items()
        for number in entries
        if not free.get(generation, {}).get(number)
    ]
    numbers += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    for obj in _pdf_walk(reader.trailer, *numbers):
        if not isinstance(obj, dict):
            continue
        if (
            _pdf_has_attachment(obj)
            or any(key in obj for key in _PDF_METADATA_KEYS)
            or obj.get("/Type") == "/Metadata"
        ):
            raise _Refused("unreadable")
        jpeg = _pdf_jpeg(obj)
        if jpeg is not None and _jpeg_without_metadata(jpeg) != jpeg:
            raise _Refused("unreadable")


def _strip_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _Refused("password")
        catalogue = reader.trailer["/Root"].get_object()
        names = catalogue.get("/Names")
        if "/AF" in catalogue or (names is not None and "/EmbeddedFiles" in names.get_object()):
            raise _Refused("attachments")
        pages = list(reader.pages)
        if not pages:
            raise _Refused("unreadable")
        # Clean what the pages reach before they are copied, so nothing removed
        # is copied into the new file (pypdf writes every object it copied).
        for obj in _pdf_walk(*pages):
            if isinstance(obj, dict):
                _pdf_clean_dictionary(obj)
        writer = PdfWriter()
        for page in pages:
            writer.add_page(page)
        writer.metadata = None
        for obj in _pdf_walk(writer.root_object):
            _pdf_clean_jpeg(obj)
        out = io.BytesIO()
        writer.write(out)
        written = out.getvalue()
        _pdf_check_written(written)
    except _Refused:
        raise
    except Exception as exc:  # pypdf raises many kinds of error for damaged files
        raise _Refused("unreadable") from exc
    return written


# --- XML parts of Office documents ---------------------------------------------------------

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"


class _XmlBuilder(ElementTree.TreeBuilder):
    """Builds the tree and remembers which namespaces each element declared, so
    the part is written back with the same declarations (Office refuses a part
    whose ``mc:Ignorable`` names a prefix no longer declared)."""

    def __init__(self):
        super().__init__()
        self.pending: list[tuple[str, str]] = []
        self.declared: dict[ElementTree.Element, list[tuple[str, str]]] = {}

    def start_ns(self, prefix, uri):
        self.pending.append((prefix or "", uri or ""))

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        if self.pending:
            self.declared[element] = self.pending
            self.pending = []
        return element


@dataclass
class _Xml:
    root: ElementTree.Element
    declared: dict[ElementTree.Element, list[tuple[str, str]]]


def _xml_parse(data: bytes) -> _Xml:
    """The part parsed; a DOCTYPE (and so any entity) is refused."""
    from defusedxml.ElementTree import DefusedXMLParser

    if len(data) > MAX_XML_PART_BYTES:
        raise _Refused("too big unpacked")
    builder = _XmlBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    parser.feed(data)
    return _Xml(parser.close(), builder.declared)


def _xml_text(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _xml_attribute(value: str) -> str:
    value = _xml_text(value).replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\t", "&#9;")


def _xml_name(name: str, prefixes: dict[str, str], uris: dict[str, str], element: bool) -> str:
    if not name.startswith("{"):
        if element and prefixes.get(""):
            raise ValueError("element outside the default namespace")
        return name
    uri, local = name[1:].split("}", 1)
    if element and prefixes.get("") == uri:
        return local
    prefix = uris.get(uri)
    if prefix is None:
        raise ValueError("namespace not declared")
    return f"{prefix}:{local}"


def _xml_bytes(xml: _Xml) -> bytes:
    """The part written back, with each element's own namespace declarations.
    Iterative, so deeply nested parts cannot exhaust the stack."""
    out = [_XML_DECLARATION]
    base = {"xml": _XML_NAMESPACE}
    todo: list = [(xml.root, base, {_XML_NAMESPACE: "xml"})]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        element, prefixes, uris = item
        declarations = xml.declared.get(element, ())
        if declarations:
            prefixes = {**prefixes, **dict(declarations)}
            uris = {uri: prefix for prefix, uri in prefixes.items() if prefix}
        name = _xml_name(element.tag, prefixes, uris, element=True)
        start = ["<", name]
        for prefix, uri in declarations:
            start.append(f' xmlns:{prefix}="' if prefix else ' xmlns="')
            start.append(_xml_attribute(uri) + '"')
        for key, value in element.attrib.items():
            start.append(f' {_xml_name(key, prefixes, uris, element=False)}="')
            start.append(_xml_attribute(value) + '"')
        tail = _xml_text(element.tail) if element.tail else ""
        children = list(element)
        if children or element.text:
            start.append(">" + _xml_text(element.text or ""))
            todo.append(f"</{name}>{tail}")
            todo.extend((child, prefixes, uris) for child in reversed(children))
        else:
            start.append("/>" + tail)
        out.append("".join(start))
    return "".join(out).encode("utf-8")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _namespace(name: str) -> str:
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


def _remove_elements(root: ElementTree.Element, unwanted: Callable) -> None:
    """Remove every element ``unwanted`` says so of (keeping the text after it)."""
    for parent in list(root.iter()):
        previous = None
        for child in list(parent):
            if not unwanted(child):
                previous = child
                continue
            if child.tail:
                if previous is not None:
                    previous.tail = (previous.tail or "") + child.tail
                else:
                    parent.text = (parent.text or "") + child.tail
            parent.remove(child)


def _set_attributes(root: ElementTree.Element, element: str, changes: dict) -> None:
    """On each element with this local name, set (or with None, remove) attributes
    by local name, whatever their namespace."""
    for found in root.iter():
        if _local(found.tag) != element:
            continue
        for key in list(found.attrib):
            local = _local(key)
            if local in changes:
                if changes[local] is None:
                    del found.attrib[key]
                else:
                    found.attrib[key] = changes[local]


# --- The parts of an Office document ----------------------------------------------------


def _dropped_part(name: str) -> bool:
    """Parts that only describe the document or its author (lower-case names)."""
    return (
        name == "docprops/custom.xml"
        or name.startswith("docprops/thumbnail.")
        or name.startswith("customxml/")
        or name == "ppt/revisioninfo.xml"
    )


def _relationships_source(name: str) -> str | None:
    """ "word/_rels/document.xml.rels" → "word/document.xml"; "_rels/.rels" → ""."""
    folder, _, file = name.rpartition("/")
    if not (folder == "_rels" or folder.endswith("/_rels")) or not file.endswith(".rels"):
        return None
    return folder[: -len("_rels")] + file[: -len(".rels")]


def _relationship_target(source: str, target: str) -> str:
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/").lower()
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lower()


_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: not "C:"


def _without_folders(target: str) -> str:
    """A link to a file on the author's computer or network (its folders often name
    them, as in C:\\Users\\name\\...) becomes just the file's name. Web addresses,
    email addresses and the like are what the author chose to link to, and stay."""
    scheme = _URL_SCHEME.match(target)
    if scheme and not target.lower().startswith("file:"):
        return target
    name = target.replace("\\", "/").rsplit("/", 1)[-1]
    return name or "file"


def _clean_relationships(xml: _Xml, *, source: str, dropped: set[str]) -> None:
    def unwanted(element) -> bool:
        if _local(element.tag) != "Relationship":
            return False
        if element.get("Type", "").endswith("/attachedTemplate"):
            return True
        if element.get("TargetMode") == "External":
            return False
        return _relationship_target(source, element.get("Target", "")) in dropped

    _remove_elements(xml.root, unwanted)
    for element in xml.root.iter():
        if _local(element.tag) == "Relationship" and element.get("TargetMode") == "External":
            element.set("Target", _without_folders(element.get("Target", "")))


def _clean_content_types(xml: _Xml, *, dropped: set[str]) -> None:
    def unwanted(element) -> bool:
        if _local(element.tag) != "Override":
            return False
        return unquote(element.get("PartName", "")).lstrip("/").lower() in dropped

    _remove_elements(xml.root, unwanted)


_APP_PROPERTIES_REMOVED = {"Company", "Manager", "HyperlinkBase", "Template"}


def _clean_app_properties(xml: _Xml) -> None:
    _remove_elements(xml.root, lambda element: _local(element.tag) in _APP_PROPERTIES_REMOVED)


# Word: revision ids (they link documents edited on the same computer), the
# document's id, document variables, the attached template, and the sign-in
# details of the people who commented.
_WORD_ELEMENTS_REMOVED = {"rsids", "rsid", "docId", "docVars", "attachedTemplate", "presenceInfo"}
_WORD_ATTRIBUTES_REMOVED = {"initials", "date", "dateUtc", "userId", "providerId"}


def _is_word_namespace(uri: str) -> bool:
    return "wordprocessingml" in uri or "schemas.microsoft.com/office/word" in uri


def _clean_word_part(xml: _Xml) -> None:
    def unwanted(element) -> bool:
        tag = element.tag
        return _local(tag) in _WORD_ELEMENTS_REMOVED and _is_word_namespace(_namespace(tag))

    _remove_elements(xml.root, unwanted)
    for element in xml.root.iter():
        for key in list(element.attrib):
            if not _is_word_namespace(_namespace(key)):
                continue
            local = _local(key)
            if local == "author":
                element.attrib[key] = "Author"
            elif local in _WORD_ATTRIBUTES_REMOVED or local.startswith("rsid"):
                del element.attrib[key]


def _clean_workbook(xml: _Xml) -> None:
    """The folder the workbook was saved in (``x15ac:absPath``, in its own
    alternate content), the link to its online copy, and who reserved it."""

    def unwanted(element) -> bool:
        local = _local(element.tag)
        if local == "AlternateContent":
            return any(_local(inner.tag) == "absPath" for inner in element.iter())
        return local in ("absPath", "revisionPtr")

    _remove_elements(xml.root, unwanted)
    _set_attributes(xml.root, "fileSharing", {"userName": None})


def _clean_sheet_comments(xml: _Xml) -> None:
    """Excel's comment authors, and the "Name:" Excel starts each comment with."""
    names = set()
    for element in xml.root.iter():
        if _local(element.tag) == "author":
            names.add((element.text or "").strip())
            element.text = "Author"
    labels = {f"{name}:" for name in names if name}
    for element in xml.root.iter():
        if _local(element.tag) == "t" and (element.text or "").strip() in labels:
            element.text = "Author:"


def _clean_threaded_comments(xml: _Xml) -> None:
    _set_attributes(xml.root, "threadedComment", {"dT": None})


def _clean_persons(xml: _Xml) -> None:
    _set_attributes(
        xml.root, "person", {"displayName": "Author", "userId": None, "providerId": None}
    )


def _clean_revisions(xml: _Xml) -> None:
    """A shared workbook's record of who changed what, and when."""
    _set_attributes(xml.root, "header", {"userName": "Author", "dateTime": FIXED_DATE})
    _set_attributes(xml.root, "userInfo", {"name": "Author", "dateTime": FIXED_DATE})
    _set_attributes(xml.root, "rcmt", {"author": "Author"})


def _clean_comment_authors(xml: _Xml) -> None:
    _set_attributes(xml.root, "cmAuthor", {"name": "Author", "initials": "A"})
    _remove_elements(xml.root, lambda element: _local(element.tag) == "presenceInfo")


def _clean_slide_authors(xml: _Xml) -> None:
    changes = {"name": "Author", "initials": "A", "userId": "Author", "providerId": "None"}
    _set_attributes(xml.root, "author", changes)


def _clean_slide_comments(xml: _Xml) -> None:
    _set_attributes(xml.root, "cm", {"dt": None, "created": FIXED_DATE})
    _set_attributes(xml.root, "reply", {"created": FIXED_DATE})


_SHEET_COMMENTS = re.compile(r"xl/comments[^/]*\.xml")


def _part_editor(name: str, dropped: set[str]) -> Callable[[_Xml], None] | None:
    """What to change in a part (by its lower-case name), or None to keep it as it is."""
    if name == "[content_types].xml":
        return partial(_clean_content_types, dropped=dropped)
    if name.endswith(".rels"):
        source = _relationships_source(name)
        return (
            None
            if source is None
            else partial(_clean_relationships, source=source, dropped=dropped)
        )
    if not name.endswith(".xml"):
        return None
    if name == "docprops/app.xml":
        return _clean_app_properties
    if name.startswith("word/"):
        return _clean_word_part
    if name == "xl/workbook.xml":
        return _clean_workbook
    if _SHEET_COMMENTS.fullmatch(name):
        return _clean_sheet_comments
    editors = {
        "xl/threadedcomments/": _clean_threaded_comments,
        "xl/persons/": _clean_persons,
        "xl/revisions/": _clean_revisions,
        "ppt/comments/": _clean_slide_comments,
    }
    for folder, editor in editors.items():
        if name.startswith(folder):
            return editor
    return {
        "ppt/commentauthors.xml": _clean_comment_authors,
        "ppt/authors.xml": _clean_slide_authors,
    }.get(name)


def _check_zip(entries: list[zipfile.ZipInfo], budget: list[int]) -> None:
    """From the zip's directory alone, before anything is unpacked."""
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _Refused("too big unpacked")
    names = [entry.filename.lower() for entry in entries]
    if len(set(names)) != len(names):
        raise _Refused("unreadable")
    total = sum(entry.file_size for entry in entries)
    if total > budget[0]:
        raise _Refused("too big unpacked")
    for entry in entries:
        packed = max(entry.compress_size, 1)
        if (
            entry.file_size > RATIO_CHECKED_FROM
            and entry.file_size > packed * MAX_COMPRESSION_RATIO
        ):
            raise _Refused("too big unpacked")
    budget[0] -= total


def _office_part(archive, entry, dropped: set[str], budget: list[int], nested: bool) -> bytes:
    name = entry.filename.lower()
    if name == "docprops/core.xml":
        return BLANK_CORE_XML
    editor = _part_editor(name, dropped)
    if editor is not None:
        if entry.file_size > MAX_XML_PART_BYTES:
            raise _Refused("too big unpacked")
        xml = _xml_parse(archive.read(entry))
        editor(xml)
        return _xml_bytes(xml)
    content = archive.read(entry)
    if name.endswith((".xml", ".rels", ".vml")) and b"<!DOCTYPE" in content:
        # Office never writes one; a DTD is only there to attack whoever opens it.
        raise _Refused("unreadable")
    kind = (
        detect_type(content) if content.startswith((b"\xff\xd8\xff", b"\x89PNG", b"PK")) else None
    )
    if kind in (JPEG, PNG):
        try:
            return _strip_image(content, kind, keep_orientation=True)
        except _Refused as refused:
            problem = "picture too many pixels" if refused.message == "too many pixels" else None
            raise _Refused(problem or "unreadable") from refused
    if kind in (DOCX, XLSX, PPTX):
        # A document inside the document, such as the workbook behind a chart.
        if nested:
            raise _Refused("too big unpacked")
        return _strip_office(content, kind, budget=budget)
    return content


def _strip_office(data: bytes, media_type: str, *, budget: list[int] | None = None) -> bytes:
    nested = budget is not None
    budget = budget if nested else [MAX_UNZIPPED_BYTES]
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            _check_zip(entries, budget)
            parts = [entry for entry in entries if not entry.is_dir()]
            dropped = {entry.filename.lower() for entry in parts}
            dropped = {name for name in dropped if _dropped_part(name)}
            for entry in parts:
                source = _relationships_source(entry.filename.lower())
                if source and source in dropped:
                    dropped.add(entry.filename.lower())
            # The content types first, as Office writes them.
            parts.sort(key=lambda entry: entry.filename != "[Content_Types].xml")
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as rewritten:
                for entry in parts:
                    if entry.filename.lower() in dropped:
                        continue
                    content = _office_part(archive, entry, dropped, budget, nested)
                    info = zipfile.ZipInfo(entry.filename, date_time=ZIP_DATE)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o600 << 16
                    rewritten.writestr(info, content)
    except _Refused:
        raise
    except Exception as exc:  # damaged zips and XML raise many kinds of error
        raise _Refused("unreadable") from exc
    return out.getvalue()


# --- Text ---------------------------------------------------------------------------


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


def _refusal_message(problem: str, shown: str) -> str:
    pixels = f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels"
    messages = {
        "password": f"'{shown}' is protected by a password. Remove the password and send it again",
        "not utf-8": (
            f"'{shown}' is not plain text Steward can read. Save it as a PDF, or as text "
            "with UTF-8 encoding, and send it again"
        ),
        "too many pixels": (
            f"'{shown}' is too large an image: it has more than {pixels}. Make it smaller "
            "and send it again"
        ),
        "picture too many pixels": (
            f"'{shown}' has a picture in it that is too large (more than {pixels}). Make the "
            "picture smaller and send the file again"
        ),
        "too big unpacked": (
            f"'{shown}' is too large or has too many parts for us to check. Make it smaller, "
            "for example by compressing the pictures in it or splitting it into parts, "
            "and send it again"
        ),
        "attachments": (
            f"'{shown}' has other files attached inside it, which we cannot check. Save the "
            "PDF without its attachments, and send those files separately"
        ),
    }
    return messages.get(
        problem,
        f"'{shown}' could not be read: it may be damaged. Check that it opens on "
        "your device, then send it again",
    )


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
        raise ValidationError({"files": _refusal_message(refused.message, shown)}) from refused
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
