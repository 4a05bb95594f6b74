"""Supporting files: types found from the content, limits, and metadata removed.

Every test file is built here (Pillow, pypdf, zipfile): no binary fixtures."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from steward.audit.models import AuditEvent
from steward.concerns import crypto, files, services
from steward.concerns.models import ConcernFile, ConcernStatus

CAMERA = "SnoopCam 3000"
AUTHOR = "Rosalind Whistleblower"
GPS_IFD = 0x8825


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_exif(*, orientation: int = 1, size=(60, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 20, 20))
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x013B] = AUTHOR  # Artist
    exif[0x0112] = orientation
    exif[GPS_IFD] = {1: "N", 2: (53.0, 47.0, 59.0), 3: "W", 4: (1.0, 32.0, 0.0)}
    out = io.BytesIO()
    image.save(
        out, "JPEG", exif=exif.tobytes(), comment=AUTHOR.encode(), icc_profile=b"ICCDATA" * 20
    )
    return out.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta><dc:creator>{AUTHOR}</dc:creator></x:xmpmeta>")
    image = Image.new("RGBA", (20, 20), (0, 0, 255, 128))
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def pdf_with_metadata(*, password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": AUTHOR, "/Title": "Secret rota", "/Creator": "Word for Ward 7"})
    xmp = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator>{AUTHOR}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
    from pypdf.generic import DecodedStreamObject, NameObject

    stream = DecodedStreamObject()
    stream.set_data(xmp.encode())
    stream.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{main}" ContentType="application/vnd.main+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    '<Override PartName="/docProps/custom.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{main}"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/custom-properties" Target="docProps/custom.xml"/>'
    "</Relationships>"
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Board minutes draft</dc:title>"
    f"<dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-03T09:15:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-03-04T17:42:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>C:\\Users\\rwhistle\\Normal.dotm</Template><TotalTime>12</TotalTime>"
    "<Company>Ward 7 Staff Side</Company><Manager>Dr Gatekeeper</Manager>"
    "<Application>Microsoft Office Word</Application></Properties>"
)
CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
    f'<property name="Owner"><vt:lpwstr>{AUTHOR}</vt:lpwstr></property></Properties>'
)
MAIN_PARTS = {
    files.DOCX: (
        "word/document.xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:body><w:ins w:id="1" w:author="{AUTHOR}" w:date="2026-03-03T10:00:00Z">'
        "<w:r><w:t>Staffing on ward 7 was falsified.</w:t></w:r></w:ins></w:body></w:document>",
    ),
    files.XLSX: (
        "xl/workbook.xml",
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheets/></workbook>",
    ),
    files.PPTX: (
        "ppt/presentation.xml",
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
    ),
}


def office_document(media_type: str) -> bytes:
    main, body = MAIN_PARTS[media_type]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.comment = AUTHOR.encode()
        parts = {
            "[Content_Types].xml": CONTENT_TYPES.format(main=main),
            "_rels/.rels": RELS.format(main=main),
            "docProps/core.xml": CORE,
            "docProps/app.xml": APP,
            "docProps/custom.xml": CUSTOM,
            main: body,
        }
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 3, 4, 17, 42, 10))
            archive.writestr(info, text)
    return out.getvalue()


# --- Types --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (jpeg_with_exif, files.JPEG),
        (png_with_text, files.PNG),
        (pdf_with_metadata, files.PDF),
        (lambda: office_document(files.DOCX), files.DOCX),
        (lambda: office_document(files.XLSX), files.XLSX),
        (lambda: office_document(files.PPTX), files.PPTX),
        (lambda: "Rota notes – ward 7\n".encode(), files.TEXT),
    ],
)
def test_the_type_comes_from_the_content_not_the_name_or_claimed_type(make, expected):
    # Named and claimed as something else entirely.
    cleaned = files.file_clean(upload("holiday.gif", make(), content_type="image/gif"))
    assert cleaned.media_type == expected


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("evidence.pdf", b"GIF89a" + b"\x00" * 50),  # a GIF named as a PDF
        ("report.docx", b"MZ\x90\x00" + b"\x00" * 100),  # a program
        ("archive.docx", None),  # a zip that is not an Office document
        ("notes.txt", "Café latin-1 notes".encode("latin-1")),  # text, but not UTF-8
    ],
)
def test_other_types_are_refused_naming_what_is_accepted(name, data):
    if data is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("secret.txt", "hello")
        data = out.getvalue()
    with pytest.raises(ValidationError) as refused:
        files.file_clean(upload(name, data, content_type="application/pdf"))
    message = refused.value.message_dict["files"][0]
    assert name in message
    if name == "notes.txt":
        assert "UTF-8" in message
    else:
        assert "PDF, JPEG, PNG, Word (DOCX), Excel (XLSX), PowerPoint (PPTX) or plain text" in (
            message
        )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\nthis is not really a pdf", "could not be read"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "could not be read"),
        (b"\xff\xd8\xff\xe0broken", "could not be read"),
        (b"", "is empty"),
    ],
)
def test_damaged_files_are_refused_clearly(data, expected):
    with pytest.raises(ValidationError, match=expected):
        files.file_clean(upload("scan.bin", data))


def test_a_password_protected_pdf_is_refused():
    with pytest.raises(ValidationError, match="protected by a password"):
        files.file_clean(upload("locked.pdf", pdf_with_metadata(password="s3cret")))


def test_size_and_number_limits_follow_the_settings(settings):
    assert files.max_file_bytes() == 10 * 1024 * 1024 and files.max_files() == 5
    settings.CONCERNS_FILE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="'big.txt' is larger than 100 bytes"):
        files.file_clean(upload("big.txt", b"a" * 101))
    assert files.file_clean(upload("small.txt", b"a" * 100)).content == b"a" * 100
    settings.CONCERNS_FILES_PER_SUBMISSION = 2
    with pytest.raises(ValidationError, match="up to 2 files"):
        files.files_clean([upload(f"{n}.txt", b"x") for n in range(3)])
    assert len(files.files_clean([upload(f"{n}.txt", b"x") for n in range(2)])) == 2


def test_the_default_size_limit_is_ten_megabytes():
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        files.file_clean(upload("huge.txt", b"a" * (10 * 1024 * 1024 + 1)))


def test_names_lose_paths_and_control_characters():
    assert files.clean_name("C:\\Users\\rwhistle\\Desktop\\rota.pdf") == "rota.pdf"
    assert files.clean_name("../../etc/pass\x00wd\n.txt") == "passwd.txt"
    assert files.clean_name("", files.PDF) == "file.pdf"
    assert len(files.clean_name("a" * 500 + ".pdf")) == files.MAX_NAME_LENGTH


# --- Metadata removed ------------------------------------------------------------------


def test_image_exif_gps_camera_and_comments_are_removed_after_turning_it_upright():
    data = jpeg_with_exif(orientation=6)  # "rotate 90°": the stored image is turned
    assert CAMERA.encode() in data and AUTHOR.encode() in data
    cleaned = files.file_clean(upload("ward.jpg", data))
    assert CAMERA.encode() not in cleaned.content
    assert AUTHOR.encode() not in cleaned.content
    assert b"ICCDATA" not in cleaned.content and b"Exif" not in cleaned.content
    image = Image.open(io.BytesIO(cleaned.content))
    assert image.format == "JPEG"
    assert image.size == (30, 60)  # the orientation was applied first
    exif = image.getexif()
    assert not dict(exif) and not exif.get_ifd(GPS_IFD)
    assert "icc_profile" not in image.info and "comment" not in image.info


def test_png_text_and_xmp_are_removed():
    data = png_with_text()
    cleaned = files.file_clean(upload("screen.png", data))
    assert AUTHOR.encode() not in cleaned.content and b"xmp" not in cleaned.content.lower()
    image = Image.open(io.BytesIO(cleaned.content))
    assert image.format == "PNG" and image.mode == "RGBA" and image.size == (20, 20)
    assert not getattr(image, "text", {})


def png_of_size(width: int, height: int) -> bytes:
    """A black-and-white PNG of any size, written by hand: a few kilobytes on disk
    however many pixels it claims (a "decompression bomb" when large)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    row = b"\x00" * (1 + (width + 7) // 8)
    pixels = zlib.compress(row * height, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "size",
    [
        (8_000, 6_000),  # 48 million pixels: over Steward's limit, under Pillow's
        (20_000, 10_000),  # 200 million: Pillow itself calls it a bomb
    ],
)
def test_images_of_more_than_40_million_pixels_are_refused_before_decoding(size):
    data = png_of_size(*size)
    assert len(data) < files.max_file_bytes()
    with pytest.raises(ValidationError) as refused:
        files.file_clean(upload("ward.png", data))
    assert refused.value.message_dict["files"] == [
        "'ward.png' is too large an image: it has more than 40 million pixels. "
        "Make it smaller and send it again"
    ]


def test_an_image_just_under_the_pixel_limit_is_accepted():
    cleaned = files.file_clean(upload("scan.png", png_of_size(4_000, 2_500)))
    assert Image.open(io.BytesIO(cleaned.content)).size == (4_000, 2_500)


def test_phone_photos_saved_as_mpo_are_kept_as_a_jpeg_of_the_first_picture():
    exif = Image.Exif()
    exif[0x010F] = CAMERA
    exif[0x0112] = 6
    exif[GPS_IFD] = {1: "N", 2: (53.0, 47.0, 59.0)}
    out = io.BytesIO()
    first, second = Image.new("RGB", (40, 20), (0, 0, 250)), Image.new("RGB", (40, 20))
    first.save(out, "MPO", save_all=True, append_images=[second], exif=exif)
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"

    cleaned = files.file_clean(upload("IMG_0001.jpg", out.getvalue()))
    assert cleaned.media_type == files.JPEG
    assert CAMERA.encode() not in cleaned.content and b"MPF" not in cleaned.content
    image = Image.open(io.BytesIO(cleaned.content))
    assert image.format == "JPEG" and getattr(image, "n_frames", 1) == 1
    assert image.size == (20, 40)  # turned upright
    assert not dict(image.getexif()) and image.getpixel((10, 20))[2] > 200


def test_png_transparency_is_kept_as_an_alpha_channel():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 0, 0)).save(out, "PNG", transparency=(0, 0, 0))
    image = Image.open(io.BytesIO(files.file_clean(upload("key.png", out.getvalue())).content))
    assert image.mode == "RGBA" and image.getpixel((1, 1))[3] == 0


def test_pdf_information_and_xmp_metadata_are_removed():
    data = pdf_with_metadata()
    assert AUTHOR.encode() in data
    cleaned = files.file_clean(upload("rota.pdf", data))
    assert AUTHOR.encode() not in cleaned.content
    assert b"Secret rota" not in cleaned.content
    reader = PdfReader(io.BytesIO(cleaned.content))
    assert len(reader.pages) == 2
    assert not reader.metadata or not (
        {"/Author", "/Title", "/Creator"} & set(reader.metadata.keys())
    )
    assert reader.xmp_metadata is None
    assert "/Metadata" not in reader.trailer["/Root"]


@pytest.mark.parametrize("media_type", [files.DOCX, files.XLSX, files.PPTX])
def test_office_document_properties_are_removed_and_it_still_opens(media_type):
    data = office_document(media_type)
    cleaned = files.file_clean(upload("minutes.bin", data))
    assert cleaned.media_type == media_type
    assert AUTHOR.encode() not in cleaned.content
    with zipfile.ZipFile(io.BytesIO(cleaned.content)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert "docProps/custom.xml" not in names
        assert names[0] == "[Content_Types].xml"
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
        assert not archive.comment
        core = archive.read("docProps/core.xml").decode()
        for gone in ("creator", "lastModifiedBy", "created", "modified", "title", "Board minutes"):
            assert gone not in core.replace("core-properties", "")
        app = archive.read("docProps/app.xml").decode()
        assert "Company" not in app and "Manager" not in app and "rwhistle" not in app
        assert "<Application>Microsoft Office Word</Application>" in app
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("_rels/.rels").decode()
        assert "custom.xml" not in types and "custom.xml" not in rels
        assert "/docProps/core.xml" in types and "docProps/app.xml" in rels
        main, _ = MAIN_PARTS[media_type]
        assert main in names
    # Every part the package names is there, and every XML part still parses.
    from defusedxml import ElementTree

    with zipfile.ZipFile(io.BytesIO(cleaned.content)) as archive:
        for name in archive.namelist():
            ElementTree.fromstring(archive.read(name))


def test_word_comment_and_tracked_change_authors_are_replaced():
    cleaned = files.file_clean(upload("minutes.docx", office_document(files.DOCX)))
    with zipfile.ZipFile(io.BytesIO(cleaned.content)) as archive:
        document = archive.read("word/document.xml").decode()
    assert 'w:author="Author"' in document
    assert "Staffing on ward 7 was falsified." in document


def test_text_is_kept_as_utf8_without_a_byte_order_mark():
    cleaned = files.file_clean(upload("notes.txt", "\ufeffNotes – Siobhán\n".encode()))
    assert cleaned.content == "Notes – Siobhán\n".encode()
    assert cleaned.media_type == files.TEXT


# --- Storing and opening ----------------------------------------------------------------


@pytest.fixture
def concern(organisation):
    return services.concern_submit(
        anonymity="anonymous",
        answers={"what_happened": "Rotas were changed after the incident."},
        organisation=organisation,
    ).concern


def test_files_are_sealed_with_their_names_and_only_the_team_opens_them(concern, make_user):
    services.reporter_message_add(
        concern=concern,
        body="The rota and my notes.",
        uploads=[
            upload("Rosalind rota.jpg", jpeg_with_exif()),
            upload("notes.txt", b"SECRET-NOTES about ward 7"),
        ],
    )
    assert list(ConcernFile.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    text_file = ConcernFile.objects.get(number=2)
    assert b"SECRET-NOTES" not in bytes(text_file.content_sealed)
    assert b"Rosalind" not in bytes(ConcernFile.objects.get(number=1).name_sealed)
    assert text_file.media_type == "text/plain" and text_file.size == 25
    import hashlib

    assert text_file.sha256 == hashlib.sha256(b"SECRET-NOTES about ward 7").hexdigest()
    assert text_file.received_on == concern.received_on
    # No audit event for a reporter's action on an anonymous concern.
    assert not AuditEvent.objects.exists()

    with pytest.raises(PermissionDenied):
        services.concern_file_open(concern_file=text_file, actor=make_user("registrar"))
    caseworker = make_user("caseworker")
    name, media_type, content = services.concern_file_open(concern_file=text_file, actor=caseworker)
    assert (name, media_type, content) == ("notes.txt", "text/plain", b"SECRET-NOTES about ward 7")
    event = AuditEvent.objects.get(action="concerns.concern.restricted_viewed")
    assert event.actor == caseworker and "SECRET" not in event.payload
    assert "file_2_content" in event.payload
    assert services.files_for_reporter(concern=concern)[0]["name"] == "Rosalind rota.jpg"


def test_one_bad_file_stores_none_of_them(concern):
    with pytest.raises(ValidationError, match="not a type of file"):
        services.reporter_message_add(
            concern=concern,
            body="Two files.",
            uploads=[upload("ok.txt", b"fine"), upload("bad.exe", b"MZ\x00\x00" * 10)],
        )
    assert not ConcernFile.objects.exists()
    assert not concern.messages.exists()


def test_a_reply_with_files_puts_the_concern_back_with_the_caseworker(concern, make_user):
    services.caseworker_message_add(
        concern=concern, body="Can you send the rota?", actor=make_user("caseworker")
    )
    concern.status = ConcernStatus.AWAITING_REPORTER
    concern.save()
    version = concern.version
    before = AuditEvent.objects.count()
    message = services.reporter_message_add(
        concern=concern, body="Here it is.", uploads=[upload("rota.pdf", pdf_with_metadata())]
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ACKNOWLEDGED and concern.version == version + 1
    assert ConcernFile.objects.get().message == message
    assert AuditEvent.objects.count() == before  # anonymous: the reporter is not audited
    assert crypto.open_text(message.body_sealed) == "Here it is."


def test_a_reply_with_a_bad_file_sends_nothing(concern):
    with pytest.raises(ValidationError):
        services.reporter_message_add(
            concern=concern, body="See attached", uploads=[upload("x.gif", b"GIF89a\x00")]
        )
    assert not concern.messages.exists() and not ConcernFile.objects.exists()


def test_a_named_reporters_reply_is_audited_without_its_content(organisation):
    concern = services.concern_submit(
        anonymity="confidential",
        answers={"what_happened": "Something"},
        organisation=organisation,
        reporter_identity={"name": "Ada", "email": "ada@example.org"},
    ).concern
    services.reporter_message_add(concern=concern, body="More detail here")
    event = AuditEvent.objects.get(action="concerns.message.received")
    assert "More detail" not in event.payload


def test_files_come_with_the_concern_and_refuse_it_when_bad(organisation):
    received = services.concern_submit(
        anonymity="anonymous",
        answers={"what_happened": "x"},
        organisation=organisation,
        uploads=[upload("a.png", png_with_text())],
    )
    assert received.concern.files.count() == 1
    with pytest.raises(ValidationError):
        services.concern_submit(
            anonymity="anonymous",
            answers={"what_happened": "y"},
            organisation=organisation,
            uploads=[upload("a.gif", b"GIF89a\x00\x00")],
        )
    assert ConcernFile.objects.count() == 1
