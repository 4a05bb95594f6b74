"""PDFs: metadata on any object, the EXIF inside JPEG pictures, comment authors and
attached files. Every PDF is built here with pypdf: no binary fixtures."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from steward.concerns import files
from steward.concerns.tests.test_files import AUTHOR, CAMERA, GPS_IFD, jpeg_with_exif, upload
from steward.concerns.tests.test_files_office import mpo_photo


def name(value: str) -> NameObject:
    return NameObject(value)


def xmp_stream() -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(f"<x:xmpmeta><dc:creator>{AUTHOR}</dc:creator></x:xmpmeta>".encode())
    stream.update({name("/Type"): name("/Metadata"), name("/Subtype"): name("/XML")})
    return stream


def piece_info() -> DictionaryObject:
    """What drawing programs keep about themselves (and often their user)."""
    private = DictionaryObject({name("/Owner"): TextStringObject(AUTHOR)})
    return DictionaryObject({name("/Illustrator"): DictionaryObject({name("/Private"): private})})


def image_xobject(writer, jpeg: bytes, *, size, colour="/DeviceRGB", filters=("/DCTDecode",)):
    stream = DecodedStreamObject()
    data = jpeg
    for kind in reversed(filters[:-1]):  # only FlateDecode is used before DCTDecode here
        assert kind == "/FlateDecode"
        data = zlib.compress(data)
    stream.set_data(data)
    stream.update(
        {
            name("/Type"): name("/XObject"),
            name("/Subtype"): name("/Image"),
            name("/Width"): NumberObject(size[0]),
            name("/Height"): NumberObject(size[1]),
            name("/ColorSpace"): name(colour),
            name("/BitsPerComponent"): NumberObject(8),
            name("/Filter"): (
                name(filters[0]) if len(filters) == 1 else ArrayObject(map(name, filters))
            ),
            name("/Metadata"): writer._add_object(xmp_stream()),
            name("/PieceInfo"): piece_info(),
        }
    )
    return writer._add_object(stream)


def pdf_with_pictures(*pictures) -> bytes:
    """One page showing each picture: (jpeg bytes, size, colour space, filters)."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 300)
    xobjects = DictionaryObject()
    drawing = []
    for number, (jpeg, size, colour, filters) in enumerate(pictures):
        key = f"/Im{number}"
        xobjects[name(key)] = image_xobject(writer, jpeg, size=size, colour=colour, filters=filters)
        drawing.append(f"q {size[0]} 0 0 {size[1]} 10 {10 + 70 * number} cm {key} Do Q")
    page[name("/Resources")] = DictionaryObject({name("/XObject"): xobjects})
    content = DecodedStreamObject()
    content.set_data("\n".join(drawing).encode())
    page[name("/Contents")] = writer._add_object(content)
    page[name("/PieceInfo")] = piece_info()
    page[name("/Metadata")] = writer._add_object(xmp_stream())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def every_object(data: bytes):
    """Every dictionary in the file, whether anything refers to it or not."""
    reader = PdfReader(io.BytesIO(data))
    todo = [reader.trailer]
    for generation, numbers in reader.xref.items():
        for number in numbers:
            if not reader.xref_free_entry.get(generation, {}).get(number):
                todo.append(IndirectObject(number, generation, reader))
    seen = set()
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, dict):
            yield obj
            todo.extend(obj.values())
        elif isinstance(obj, list):
            todo.extend(obj)


def pictures_in(data: bytes) -> dict:
    reader = PdfReader(io.BytesIO(data))
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    return {key: xobjects[key] for key in xobjects}


def test_metadata_on_pictures_and_pages_and_the_exif_in_jpegs_are_removed():
    photo = jpeg_with_exif()
    data = pdf_with_pictures(
        (photo, (60, 30), "/DeviceRGB", ("/DCTDecode",)),
        # A phone photo (two pictures, both with EXIF), packed once more.
        (mpo_photo(), (40, 20), "/DeviceRGB", ("/FlateDecode", "/DCTDecode")),
    )
    assert AUTHOR.encode() in data and CAMERA.encode() in data
    assert any("/Metadata" in obj for obj in every_object(data))

    cleaned = files.file_clean(upload("rota.pdf", data)).content

    assert AUTHOR.encode() not in cleaned and CAMERA.encode() not in cleaned
    assert b"ICCDATA" not in cleaned and b"Exif" not in cleaned
    for obj in every_object(cleaned):
        assert "/Metadata" not in obj and "/PieceInfo" not in obj
        assert obj.get("/Type") != "/Metadata"
    pictures = pictures_in(cleaned)
    for key, size in (("/Im0", (60, 30)), ("/Im1", (40, 20))):
        picture = pictures[key]
        assert picture["/Filter"] == "/DCTDecode"
        jpeg = picture.get_data()
        assert CAMERA.encode() not in jpeg and b"MPF" not in jpeg
        image = Image.open(io.BytesIO(jpeg))
        assert image.format == "JPEG" and image.size == size
        exif = image.getexif()
        assert not dict(exif) and not exif.get_ifd(GPS_IFD)
        assert "comment" not in image.info and "icc_profile" not in image.info
        image.load()  # the picture itself is untouched, and still decodes
    assert Image.open(io.BytesIO(pictures["/Im0"].get_data())).getpixel((5, 5))[0] > 150


def test_a_cmyk_jpeg_keeps_the_segment_that_says_how_its_colours_are_stored():
    out = io.BytesIO()
    Image.new("CMYK", (20, 20), (0, 200, 200, 10)).save(out, "JPEG", comment=AUTHOR.encode())
    data = pdf_with_pictures((out.getvalue(), (20, 20), "/DeviceCMYK", ("/DCTDecode",)))
    cleaned = files.file_clean(upload("scan.pdf", data)).content
    jpeg = pictures_in(cleaned)["/Im0"].get_data()
    assert b"Adobe" in jpeg and AUTHOR.encode() not in jpeg
    image = Image.open(io.BytesIO(jpeg))
    assert image.mode == "CMYK" and image.getpixel((10, 10))[1] > 150


def test_comment_authors_and_dates_are_removed_even_when_stored_on_their_own():
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    note = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/Text"),
            name("/Rect"): ArrayObject([FloatObject(n) for n in (10, 10, 30, 30)]),
            name("/Contents"): TextStringObject("The rota was changed"),
            # The author's name as an object of its own, which would be left
            # behind in the file if only the reference to it were removed.
            name("/T"): writer._add_object(TextStringObject(AUTHOR)),
            name("/M"): TextStringObject("D:20260303100000Z"),
            name("/CreationDate"): TextStringObject("D:20260303100000Z"),
        }
    )
    page[name("/Annots")] = ArrayObject([writer._add_object(note)])
    out = io.BytesIO()
    writer.write(out)
    assert AUTHOR.encode() in out.getvalue()

    cleaned = files.file_clean(upload("notes.pdf", out.getvalue())).content
    assert AUTHOR.encode() not in cleaned and b"20260303" not in cleaned
    annotation = PdfReader(io.BytesIO(cleaned)).pages[0]["/Annots"][0].get_object()
    assert annotation["/Contents"] == "The rota was changed"
    assert not {"/T", "/M", "/CreationDate"} & set(annotation)


def pdf_with_attachment() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("rota.xlsx", b"spreadsheet written by " + AUTHOR.encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_attachment_annotation() -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    embedded = DecodedStreamObject()
    embedded.set_data(b"written by " + AUTHOR.encode())
    embedded[name("/Type")] = name("/EmbeddedFile")
    specification = DictionaryObject(
        {
            name("/Type"): name("/Filespec"),
            name("/F"): TextStringObject("rota.xlsx"),
            name("/EF"): DictionaryObject({name("/F"): writer._add_object(embedded)}),
        }
    )
    pin = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/FileAttachment"),
            name("/Rect"): ArrayObject([FloatObject(n) for n in (10, 10, 30, 30)]),
            name("/FS"): specification,
        }
    )
    page[name("/Annots")] = ArrayObject([writer._add_object(pin)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("make", [pdf_with_attachment, pdf_with_attachment_annotation])
def test_pdfs_with_files_attached_are_refused_with_a_clear_message(make):
    with pytest.raises(ValidationError) as refused:
        files.file_clean(upload("evidence.pdf", make()))
    message = refused.value.message_dict["files"][0]
    assert "'evidence.pdf' has other files attached inside it" in message
    assert "send those files separately" in message


@pytest.mark.parametrize(
    ("jpeg", "expected"),
    [
        # SOI, APP1 (EXIF), APP0 JFIF with a 1×1 thumbnail, COM, SOS, data, EOI, trailing
        (
            b"\xff\xd8"
            + b"\xff\xe1\x00\x08Exif\x00\x00"
            + b"\xff\xe0\x00\x13JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x01\x01\xaa\xbb\xcc"
            + b"\xff\xfe\x00\x05who"
            + b"\xff\xda\x00\x03\x01\x12\xff\x00\x34\xff\xd0\x56"
            + b"\xff\xd9EXTRA",
            b"\xff\xd8"
            + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            + b"\xff\xda\x00\x03\x01\x12\xff\x00\x34\xff\xd0\x56"
            + b"\xff\xd9",
        ),
    ],
)
def test_jpeg_segments_are_walked_not_guessed(jpeg, expected):
    assert files._jpeg_without_metadata(jpeg) == expected
    assert files._jpeg_without_metadata(expected) == expected
