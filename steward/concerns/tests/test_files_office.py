"""Office documents (DOCX, XLSX, PPTX): everything that names or dates the author is
removed, the package still hangs together, and hostile zips and XML are refused
without hanging the worker.

Every document is built here with zipfile: no binary fixtures."""

import io
import posixpath
import zipfile
from urllib.parse import unquote

import pytest
from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from PIL import Image

from steward.concerns import files
from steward.concerns.tests.test_files import (
    APP,
    AUTHOR,
    CAMERA,
    CORE,
    CUSTOM,
    GPS_IFD,
    jpeg_with_exif,
    office_document,
    png_with_text,
    upload,
)

# Anything here found anywhere in a cleaned document (any part, unpacked, and any
# document inside it) means something identifying survived.
SECRETS = (
    AUTHOR,
    "Rosalind",
    "rwhistle",
    "QZX",  # the author's initials
    "2026-03",  # the dates things were written
    CAMERA,
    "Ward 7 Staff Side",
    "Dr Gatekeeper",
)

PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MS = "http://schemas.microsoft.com/office/"
CORE_TYPE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
THUMBNAIL_TYPE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORD = f'xmlns:w="{W_NS}" xmlns:r="{R[:-1]}"'
SHEET = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SLIDE = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
MODERN = f'xmlns:p188="{MS}powerpoint/2018/8/main"'
PERSONS = f'xmlns="{MS}spreadsheetml/2018/threadedcomments"'
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def relationships(*rows) -> str:
    """rows: (id, type, target) or (id, type, target, "External")."""
    out = [DECLARATION, f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">']
    for row in rows:
        rid, kind, target = row[:3]
        mode = ' TargetMode="External"' if len(row) > 3 else ""
        kind = kind if kind.startswith("http") else R + kind
        out.append(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/>')
    out.append("</Relationships>")
    return "".join(out)


def package(parts: dict, content_types: str | None = None) -> bytes:
    """A package with its content types worked out (unless given): an override for
    every XML part."""
    types = [DECLARATION, f'<Types xmlns="{CONTENT_TYPES_NS}">']
    for extension in ("rels", "xml", "jpeg", "png", "xlsx", "bin"):
        types.append(f'<Default Extension="{extension}" ContentType="application/x-{extension}"/>')
    for name in parts:
        if name.endswith(".xml"):
            types.append(f'<Override PartName="/{name}" ContentType="application/x-part+xml"/>')
    types.append("</Types>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types or "".join(types))
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 3, 4, 17, 42, 10))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()


def root_relationships(main: str) -> str:
    return relationships(
        ("rId1", "officeDocument", main),
        ("rId2", CORE_TYPE, "docProps/core.xml"),
        ("rId3", "extended-properties", "docProps/app.xml"),
        ("rId4", "custom-properties", "docProps/custom.xml"),
        ("rId5", THUMBNAIL_TYPE, "docProps/thumbnail.jpeg"),
    )


def properties() -> dict:
    return {
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "docProps/custom.xml": CUSTOM,
        "docProps/thumbnail.jpeg": jpeg_with_exif(),
    }


def custom_xml(target: str) -> tuple[dict, tuple]:
    """Custom XML data (here a bibliography naming the author), and the relationship
    to it from the main part."""
    parts = {
        "customXml/item1.xml": (
            '<b:Sources xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'bibliography"><b:Source><b:Author>{AUTHOR}</b:Author></b:Source></b:Sources>'
        ),
        "customXml/itemProps1.xml": (
            '<ds:datastoreItem ds:itemID="{6B1C9A51-0000-4000-8000-000000000001}" '
            'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>'
        ),
        "customXml/_rels/item1.xml.rels": relationships(
            ("rId1", "customXmlProps", "itemProps1.xml")
        ),
    }
    return parts, ("rIdCustom", "customXml", target)


def word_document() -> bytes:
    custom, custom_relationship = custom_xml("../customXml/item1.xml")
    document = (
        f'<w:document {WORD} xmlns:mc="{MC}" xmlns:w14="{MS}word/2010/wordml" '
        f'xmlns:w15="{MS}word/2012/wordml" mc:Ignorable="w14 w15">'
        '<w:body><w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3" w14:paraId="1A2B3C4D">'
        f'<w:ins w:id="1" w:author="{AUTHOR}" w:date="2026-03-03T10:00:00Z">'
        '<w:r w:rsidRPr="00D4E5F6"><w:t xml:space="preserve">Staffing on ward 7 </w:t></w:r>'
        "</w:ins>"
        f'<w:del w:id="2" w:author="{AUTHOR}" w:date="2026-03-03T10:01:00Z">'
        "<w:r><w:delText>was fine</w:delText></w:r></w:del>"
        "<w:r><w:t>was falsified &amp; hidden.</w:t></w:r>"
        '<w:commentRangeStart w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
        '<w:hyperlink r:id="rId6"><w:r><w:t>rota</w:t></w:r></w:hyperlink>'
        '<w:hyperlink r:id="rId7"><w:r><w:t>NHS England</w:t></w:r></w:hyperlink>'
        "</w:p></w:body></w:document>"
    )
    parts = {
        "_rels/.rels": root_relationships("word/document.xml"),
        **properties(),
        "word/document.xml": document,
        "word/_rels/document.xml.rels": relationships(
            ("rId1", "settings", "settings.xml"),
            ("rId2", "comments", "comments.xml"),
            ("rId3", f"{MS}2011/relationships/people", "people.xml"),
            ("rId4", "styles", "styles.xml"),
            ("rId5", "image", "media/image1.jpeg"),
            ("rId6", "hyperlink", "file:///C:\\Users\\rwhistle\\Documents\\rota.xlsx", "External"),
            ("rId7", "hyperlink", "https://www.england.nhs.uk/", "External"),
            ("rId8", "package", "embeddings/Microsoft_Excel_Worksheet.xlsx"),
            custom_relationship,
        ),
        "word/settings.xml": (
            f'<w:settings {WORD} xmlns:w15="{MS}word/2012/wordml">'
            '<w:zoom w:percent="100"/><w:attachedTemplate r:id="rId1"/>'
            '<w:docVars><w:docVar w:name="Owner" w:val="rwhistle"/></w:docVars>'
            '<w:rsids><w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00A1B2C3"/></w:rsids>'
            '<w15:docId w15:val="{A1B2C3D4-0000-4000-8000-000000000000}"/></w:settings>'
        ),
        "word/_rels/settings.xml.rels": relationships(
            (
                "rId1",
                "attachedTemplate",
                "file:///C:\\Users\\rwhistle\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm",
                "External",
            )
        ),
        "word/comments.xml": (
            f'<w:comments {WORD}><w:comment w:id="0" w:author="{AUTHOR}" '
            'w:date="2026-03-03T10:02:00Z" w:initials="QZX"><w:p><w:r><w:t>Who signed this?'
            "</w:t></w:r></w:p></w:comment></w:comments>"
        ),
        "word/people.xml": (
            f'<w15:people xmlns:w15="{MS}word/2012/wordml"><w15:person w15:author="{AUTHOR}">'
            '<w15:presenceInfo w15:providerId="AD" w15:userId="S::rwhistle@nhs.net::a1b2"/>'
            "</w15:person></w15:people>"
        ),
        "word/styles.xml": (
            f'<w:styles {WORD}><w:style w:type="paragraph" w:styleId="Normal">'
            '<w:name w:val="Normal"/><w:rsid w:val="00A1B2C3"/></w:style></w:styles>'
        ),
        "word/media/image1.jpeg": jpeg_with_exif(),
        "word/embeddings/Microsoft_Excel_Worksheet.xlsx": office_document(files.XLSX),
        **custom,
    }
    return package(parts)


def spreadsheet() -> bytes:
    threaded = f"{MS}2017/10/relationships/"
    parts = {
        "_rels/.rels": root_relationships("xl/workbook.xml"),
        **properties(),
        "xl/workbook.xml": (
            f'<workbook {SHEET} xmlns:r="{R[:-1]}" xmlns:mc="{MC}" '
            f'xmlns:x15="{MS}spreadsheetml/2010/11/main" '
            f'xmlns:xr="{MS}spreadsheetml/2014/revision" mc:Ignorable="x15 xr">'
            '<fileVersion appName="xl"/>'
            f'<fileSharing readOnlyRecommended="1" userName="{AUTHOR}"/><workbookPr/>'
            '<mc:AlternateContent xmlns:mc="' + MC + '"><mc:Choice Requires="x15">'
            f'<x15ac:absPath xmlns:x15ac="{MS}spreadsheetml/2010/11/ac" '
            'url="C:\\Users\\rwhistle\\Documents\\"/></mc:Choice></mc:AlternateContent>'
            '<xr:revisionPtr revIDLastSave="0" documentId="8_{F00D-rwhistle}"/>'
            '<sheets><sheet name="Rota" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": relationships(
            ("rId1", "worksheet", "worksheets/sheet1.xml"),
            ("rId2", threaded + "person", "persons/person.xml"),
            ("rId3", "externalLink", "externalLinks/externalLink1.xml"),
            ("rId4", "revisionHeaders", "revisions/revisionHeaders.xml"),
            ("rId5", "usernames", "revisions/userNames.xml"),
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet {SHEET} xmlns:r="{R[:-1]}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
            '<is><t>Night shift: 2 nurses</t></is></c></row></sheetData><drawing r:id="rId3"/>'
            "</worksheet>"
        ),
        "xl/worksheets/_rels/sheet1.xml.rels": relationships(
            ("rId1", "comments", "../comments1.xml"),
            ("rId2", threaded + "threadedComment", "../threadedComments/threadedComment1.xml"),
            ("rId3", "drawing", "../drawings/drawing1.xml"),
            ("rId4", "table", "../tables/table1.xml"),
        ),
        "xl/comments1.xml": (
            f"<comments {SHEET}><authors><author>{AUTHOR}</author>"
            "<author>tc={0A1B2C3D-0000-4000-8000-000000000000}</author></authors>"
            '<commentList><comment ref="A1" authorId="0"><text><r><rPr><b/></rPr>'
            f'<t>{AUTHOR}:</t></r><r><t xml:space="preserve">\nChanged after the audit</t>'
            "</r></text></comment></commentList></comments>"
        ),
        "xl/threadedComments/threadedComment1.xml": (
            f'<ThreadedComments {PERSONS}><threadedComment ref="A1" dT="2026-03-03T10:00:00.00" '
            'personId="{P-1}" id="{C-1}"><text>Why two?</text></threadedComment>'
            "</ThreadedComments>"
        ),
        "xl/persons/person.xml": (
            f'<personList {PERSONS}><person displayName="{AUTHOR}" id="{{P-1}}" '
            'userId="rwhistle@nhs.net" providerId="AD"/></personList>'
        ),
        "xl/externalLinks/externalLink1.xml": (
            f'<externalLink {SHEET} xmlns:r="{R[:-1]}"><externalBook r:id="rId1"/></externalLink>'
        ),
        "xl/externalLinks/_rels/externalLink1.xml.rels": relationships(
            (
                "rId1",
                "externalLinkPath",
                "file:///\\\\fileserver\\home$\\rwhistle\\Budget.xlsx",
                "External",
            )
        ),
        "xl/revisions/revisionHeaders.xml": (
            f'<headers {SHEET} guid="{{H-1}}"><header guid="{{H-1}}" '
            f'dateTime="2026-03-03T10:00:00" maxSheetId="2" userName="{AUTHOR}"/></headers>'
        ),
        "xl/revisions/userNames.xml": (
            f'<users {SHEET} count="1"><userInfo guid="{{U-1}}" name="{AUTHOR}" id="1" '
            'dateTime="2026-03-03T09:00:00"/></users>'
        ),
        "xl/drawings/drawing1.xml": (
            '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
            'spreadsheetDrawing"/>'
        ),
        "xl/drawings/_rels/drawing1.xml.rels": relationships(
            ("rId1", "image", "../media/image1.png")
        ),
        "xl/media/image1.png": png_with_text(),
        "xl/tables/table1.xml": (
            f'<table {SHEET} id="1" name="Rota" displayName="Rota" ref="A1:A2"/>'
        ),
    }
    custom, custom_relationship = custom_xml("../customXml/item1.xml")
    parts.update(custom)
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>",
        f'<Relationship Id="rId9" Type="{R}customXml" Target="{custom_relationship[2]}"/>'
        "</Relationships>",
    )
    return package(parts)


def mpo_photo() -> bytes:
    """A phone photo saved as two pictures in one file (MPO), both with EXIF."""
    exif = Image.Exif()
    exif[0x010F] = CAMERA
    exif[GPS_IFD] = {1: "N", 2: (53.0, 47.0, 59.0)}
    out = io.BytesIO()
    first = Image.new("RGB", (40, 20), (10, 200, 10))
    first.save(out, "MPO", save_all=True, append_images=[Image.new("RGB", (40, 20))], exif=exif)
    return out.getvalue()


def presentation() -> bytes:
    parts = {
        "_rels/.rels": root_relationships("ppt/presentation.xml"),
        **properties(),
        "ppt/presentation.xml": f'<p:presentation {SLIDE} xmlns:r="{R[:-1]}"/>',
        "ppt/_rels/presentation.xml.rels": relationships(
            ("rId1", "slide", "slides/slide1.xml"),
            ("rId2", "commentAuthors", "commentAuthors.xml"),
            ("rId3", f"{MS}2018/10/relationships/authors", "authors.xml"),
            ("rId4", f"{MS}2015/10/relationships/revisionInfo", "revisionInfo.xml"),
        ),
        "ppt/slides/slide1.xml": f"<p:sld {SLIDE}><p:cSld/></p:sld>",
        "ppt/slides/_rels/slide1.xml.rels": relationships(
            ("rId1", "comments", "../comments/comment1.xml"),
            ("rId2", f"{MS}2018/10/relationships/comments", "../comments/modernComment_1.xml"),
            ("rId3", "image", "../media/image1.jpeg"),
            ("rId4", "image", "../media/image2.png"),
            ("rId5", "image", "../media/image3.jpeg"),
        ),
        "ppt/commentAuthors.xml": (
            f'<p:cmAuthorLst {SLIDE}><p:cmAuthor id="1" name="{AUTHOR}" initials="QZX" '
            'lastIdx="1" clrIdx="0"><p:extLst><p:ext uri="{19B8F6BF-5375-455C-9EA6-DF929625EA0E}">'
            f'<p15:presenceInfo xmlns:p15="{MS}powerpoint/2012/main" '
            'userId="rwhistle@nhs.net" providerId="AD"/></p:ext></p:extLst></p:cmAuthor>'
            "</p:cmAuthorLst>"
        ),
        "ppt/authors.xml": (
            f'<p188:authorLst {MODERN}><p188:author id="{{A-1}}" name="{AUTHOR}" '
            'initials="QZX" userId="S::rwhistle@nhs.net::a1b2" providerId="AD"/>'
            "</p188:authorLst>"
        ),
        "ppt/comments/comment1.xml": (
            f'<p:cmLst {SLIDE}><p:cm authorId="1" dt="2026-03-03T10:00:00.000" idx="1">'
            '<p:pos x="10" y="10"/><p:text>Check the numbers</p:text></p:cm></p:cmLst>'
        ),
        "ppt/comments/modernComment_1.xml": (
            f'<p188:cmLst {MODERN}><p188:cm id="{{C-1}}" authorId="{{A-1}}" '
            'created="2026-03-03T10:00:00.000"><p188:replyLst><p188:reply id="{R-1}" '
            'authorId="{A-1}" created="2026-03-04T10:00:00.000"/></p188:replyLst>'
            "</p188:cm></p188:cmLst>"
        ),
        "ppt/revisionInfo.xml": (
            f'<p1510:revInfo xmlns:p1510="{MS}powerpoint/2015/10/main"><p1510:revLst>'
            '<p1510:client id="{rwhistle-laptop}" v="2211" dt="2026-03-03T10:00:00.000"/>'
            "</p1510:revLst></p1510:revInfo>"
        ),
        "ppt/media/image1.jpeg": jpeg_with_exif(orientation=6),
        "ppt/media/image2.png": png_with_text(),
        "ppt/media/image3.jpeg": mpo_photo(),
    }
    return package(parts)


# --- Checking a cleaned package ------------------------------------------------------------


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def everything_in(data: bytes) -> str:
    """Every part unpacked (and every document inside), as one text to search."""
    found = []
    for content in parts_of(data).values():
        if content.startswith(b"PK\x03\x04"):
            found.append(everything_in(content))
        found.append(content.decode("latin-1"))
    return "\n".join(found)


def xml(content: bytes):
    return ElementTree.fromstring(content, forbid_dtd=True)


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def assert_consistent(data: bytes) -> None:
    """A valid zip whose content types and relationships match its parts, whose XML
    all parses, and whose mc:Ignorable prefixes are all declared."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
    assert names[0] == "[Content_Types].xml"
    parts = parts_of(data)
    present = {name.lower() for name in parts}
    types = xml(parts["[Content_Types].xml"])
    defaults = {e.get("Extension").lower() for e in types if local(e.tag) == "Default"}
    overrides = {
        unquote(e.get("PartName")).lstrip("/").lower() for e in types if local(e.tag) == "Override"
    }
    assert overrides <= present, overrides - present
    for name in names[1:]:
        assert name.lower() in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
    for name, content in parts.items():
        if name.endswith(".rels"):
            folder, _, file = name.rpartition("/")
            source = folder[: -len("_rels")] + file[: -len(".rels")]
            assert not source or source.lower() in present, name
            for relationship in xml(content):
                if relationship.get("TargetMode") == "External":
                    continue
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(source), relationship.get("Target"))
                )
                assert target.lower() in present, (name, target)
        if name.endswith((".xml", ".rels")):
            declared = set()
            for event, item in ElementTree.iterparse(
                io.BytesIO(content), events=("start-ns", "start"), forbid_dtd=True
            ):
                if event == "start-ns":
                    declared.add(item[0])
                elif f"{{{MC}}}Ignorable" in item.attrib:
                    assert set(item.attrib[f"{{{MC}}}Ignorable"].split()) <= declared, name
        if content.startswith(b"PK\x03\x04"):
            assert_consistent(content)


def cleaned(data: bytes, name: str):
    result = files.file_clean(upload(name, data))
    assert_consistent(result.content)
    text = everything_in(result.content)
    for secret in SECRETS:
        assert secret not in text, secret
    return result, parts_of(result.content)


def assert_clean_jpeg(content: bytes, size, orientation=None) -> None:
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG" and image.size == size
    exif = image.getexif()
    assert dict(exif) == ({0x0112: orientation} if orientation else {})
    assert not exif.get_ifd(GPS_IFD)
    assert CAMERA.encode() not in content and b"MPF" not in content
    if not orientation:
        assert b"Exif" not in content


# --- Word -----------------------------------------------------------------------------------


def test_word_people_dates_template_custom_data_thumbnail_and_pictures_are_removed():
    data = word_document()
    assert all(secret in everything_in(data) for secret in SECRETS)
    result, parts = cleaned(data, "minutes.docx")
    assert result.media_type == files.DOCX
    names = set(parts)
    assert "docProps/thumbnail.jpeg" not in names and "docProps/custom.xml" not in names
    assert not [name for name in names if name.lower().startswith("customxml/")]
    root_rels = parts["_rels/.rels"].decode()
    assert "thumbnail" not in root_rels and "custom" not in root_rels
    assert "customXml" not in parts["word/_rels/document.xml.rels"].decode()
    types = parts["[Content_Types].xml"].decode()
    assert "customXml" not in types and "custom.xml" not in types

    document = parts["word/document.xml"].decode()
    assert 'w:author="Author"' in document and "w:date" not in document
    assert "rsid" not in document
    assert "was falsified &amp; hidden." in document
    assert '<w:t xml:space="preserve">Staffing on ward 7 </w:t>' in document
    # The prefixes mc:Ignorable names are still declared, though unused.
    assert f'xmlns:w15="{MS}word/2012/wordml"' in document
    comments = parts["word/comments.xml"].decode()
    assert 'w:author="Author"' in comments and "initials" not in comments
    assert "w:date" not in comments and "Who signed this?" in comments
    assert "presenceInfo" not in parts["word/people.xml"].decode()
    assert "rsid" not in parts["word/styles.xml"].decode()

    settings = parts["word/settings.xml"].decode()
    for gone in ("attachedTemplate", "rsids", "docVars", "docId"):
        assert gone not in settings
    assert '<w:zoom w:percent="100"/>' in settings
    assert "Relationship " not in parts["word/_rels/settings.xml.rels"].decode()

    links = {r.get("Id"): r.get("Target") for r in xml(parts["word/_rels/document.xml.rels"])}
    assert links["rId6"] == "rota.xlsx"  # a file on the author's computer: its name only
    assert links["rId7"] == "https://www.england.nhs.uk/"

    assert_clean_jpeg(parts["word/media/image1.jpeg"], (60, 30))
    chart_data = parts_of(parts["word/embeddings/Microsoft_Excel_Worksheet.xlsx"])
    assert chart_data["docProps/core.xml"] == files.BLANK_CORE_XML


# --- Excel ----------------------------------------------------------------------------------


def test_excel_authors_people_dates_and_saved_folder_are_removed():
    data = spreadsheet()
    assert all(secret in everything_in(data) for secret in SECRETS if secret != "QZX")
    result, parts = cleaned(data, "rota.xlsx")
    assert result.media_type == files.XLSX
    workbook = parts["xl/workbook.xml"].decode()
    assert "absPath" not in workbook and "revisionPtr" not in workbook
    assert "userName" not in workbook and 'readOnlyRecommended="1"' in workbook
    assert '<sheet name="Rota" sheetId="1" r:id="rId1"/>' in workbook
    assert 'mc:Ignorable="x15 xr"' in workbook

    comments = xml(parts["xl/comments1.xml"])
    authors = [e.text for e in comments.iter() if local(e.tag) == "author"]
    assert authors == ["Author", "Author"]  # as many as before: comments point at them by number
    texts = [e.text for e in comments.iter() if local(e.tag) == "t"]
    assert texts == ["Author:", "\nChanged after the audit"]

    threaded = parts["xl/threadedComments/threadedComment1.xml"].decode()
    assert "dT=" not in threaded and "Why two?" in threaded
    person = xml(parts["xl/persons/person.xml"])[0]
    assert person.attrib == {"displayName": "Author", "id": "{P-1}"}
    header = xml(parts["xl/revisions/revisionHeaders.xml"])[0]
    assert header.get("userName") == "Author" and header.get("dateTime") == files.FIXED_DATE
    assert xml(parts["xl/revisions/userNames.xml"])[0].get("name") == "Author"

    link = xml(parts["xl/externalLinks/_rels/externalLink1.xml.rels"])[0]
    assert link.get("Target") == "Budget.xlsx"
    # Other parts are kept as they were, names and all.
    assert b'displayName="Rota"' in parts["xl/tables/table1.xml"]
    assert b"Night shift: 2 nurses" in parts["xl/worksheets/sheet1.xml"]

    image = Image.open(io.BytesIO(parts["xl/media/image1.png"]))
    assert image.format == "PNG" and not getattr(image, "text", {})


# --- PowerPoint -------------------------------------------------------------------------------


def test_powerpoint_comment_authors_dates_revision_information_and_pictures_are_removed():
    data = presentation()
    assert all(secret in everything_in(data) for secret in SECRETS)
    result, parts = cleaned(data, "briefing.pptx")
    assert result.media_type == files.PPTX
    assert "ppt/revisionInfo.xml" not in parts
    assert "revisionInfo" not in parts["ppt/_rels/presentation.xml.rels"].decode()
    assert "revisionInfo" not in parts["[Content_Types].xml"].decode()

    author = xml(parts["ppt/commentAuthors.xml"])[0]
    assert author.get("name") == "Author" and author.get("initials") == "A"
    assert "presenceInfo" not in parts["ppt/commentAuthors.xml"].decode()
    modern_author = xml(parts["ppt/authors.xml"])[0]
    assert modern_author.get("name") == "Author" and modern_author.get("userId") == "Author"
    comment = xml(parts["ppt/comments/comment1.xml"])[0]
    assert "dt" not in comment.attrib and comment.get("authorId") == "1"
    modern = parts["ppt/comments/modernComment_1.xml"].decode()
    assert modern.count(f'created="{files.FIXED_DATE}"') == 2

    # Stored as it was, turned only by its orientation (the slide may allow for it).
    assert_clean_jpeg(parts["ppt/media/image1.jpeg"], (60, 30), orientation=6)
    assert_clean_jpeg(parts["ppt/media/image3.jpeg"], (40, 20))  # the MPO's first picture
    png = Image.open(io.BytesIO(parts["ppt/media/image2.png"]))
    assert png.format == "PNG" and not getattr(png, "text", {})


# --- Hostile documents ----------------------------------------------------------------------------


def minimal_word(content_types: str | None = None, **parts) -> bytes:
    return package(
        {
            "_rels/.rels": relationships(("rId1", "officeDocument", "word/document.xml")),
            "word/document.xml": f"<w:document {WORD}><w:body/></w:document>",
            **parts,
        },
        content_types,
    )


APP_START = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
)


@pytest.mark.parametrize(
    "parts",
    [
        # Each would take a pattern-based cleaner that backtracks over the rest of
        # the part for every tag many seconds; parsing refuses them at once.
        {"docProps/app.xml": APP_START + "<Company>" * 20_000 + "Ward 7"},
        {
            "word/_rels/document.xml.rels": f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            + '<Relationship Id="x" ' * 20_000
        },
        {
            "content_types": f'<Types xmlns="{CONTENT_TYPES_NS}">'
            + '<Override PartName="/x" ' * 20_000
        },
    ],
    ids=["unclosed company", "unclosed relationship", "unclosed content type"],
)
def test_unclosed_tags_are_refused_without_hanging(parts):
    data = minimal_word(**parts)
    assert len(data) < 8_000  # a few kilobytes is all an attacker needs to send
    with pytest.raises(ValidationError, match="could not be read"):
        files.file_clean(upload("minutes.docx", data))


def test_deeply_nested_but_well_formed_parts_are_cleaned():
    app = APP_START + "<Company>" * 20_000 + "Ward 7" + "</Company>" * 20_000 + "</Properties>"
    result = files.file_clean(upload("minutes.docx", minimal_word(**{"docProps/app.xml": app})))
    app_after = parts_of(result.content)["docProps/app.xml"].decode()
    assert "Company" not in app_after and "Ward 7" not in app_after


@pytest.mark.parametrize("part", ["word/document.xml", "word/charts/chart1.xml"])
def test_a_doctype_is_refused_in_any_xml_part(part):
    document = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f"<w:document {WORD}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    with pytest.raises(ValidationError, match="could not be read"):
        files.file_clean(upload("minutes.docx", minimal_word(**{part: document})))


TOO_BIG = "too large or has too many parts for us to check"


def test_too_many_parts_are_refused():
    extra = {f"word/media/pad{n}.bin": b"x" for n in range(files.MAX_ZIP_ENTRIES)}
    with pytest.raises(ValidationError, match=TOO_BIG):
        files.file_clean(upload("minutes.docx", minimal_word(**extra)))


def test_documents_that_unpack_to_more_than_50_mb_are_refused():
    # No part is over 1 MB, so only the total counts.
    megabyte = b"\x00" * (1024 * 1024)
    extra = {f"word/media/pad{n}.bin": megabyte for n in range(51)}
    data = minimal_word(**extra)
    assert len(data) < files.max_file_bytes()
    with pytest.raises(ValidationError, match=TOO_BIG):
        files.file_clean(upload("minutes.docx", data))


def test_a_zip_bomb_part_is_refused_before_it_is_unpacked():
    data = minimal_word(**{"word/media/bomb.bin": b"\x00" * (20 * 1024 * 1024)})
    assert len(data) < 100_000
    with pytest.raises(ValidationError, match=TOO_BIG):
        files.file_clean(upload("minutes.docx", data))


def test_xml_parts_over_2_mb_that_need_cleaning_are_refused():
    paragraphs = "".join(
        f"<w:p><w:r><w:t>Shift {n} covered by agency staff</w:t></w:r></w:p>" for n in range(50_000)
    )
    document = f"<w:document {WORD}><w:body>{paragraphs}</w:body></w:document>"
    assert len(document) > files.MAX_XML_PART_BYTES
    with pytest.raises(ValidationError, match=TOO_BIG):
        files.file_clean(upload("minutes.docx", minimal_word(**{"word/document.xml": document})))


def test_a_large_part_that_is_not_changed_is_kept_as_it_is():
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 80_000))
    sheet = f"<worksheet {SHEET}><sheetData>{rows}</sheetData></worksheet>"
    assert len(sheet) > files.MAX_XML_PART_BYTES
    data = package(
        {
            "_rels/.rels": relationships(("rId1", "officeDocument", "xl/workbook.xml")),
            "xl/workbook.xml": f"<workbook {SHEET}/>",
            "xl/worksheets/sheet1.xml": sheet,
        }
    )
    result = files.file_clean(upload("rota.xlsx", data))
    assert parts_of(result.content)["xl/worksheets/sheet1.xml"] == sheet.encode()


def test_a_document_inside_a_document_inside_a_document_is_refused():
    inner = office_document(files.XLSX)
    middle = minimal_word(**{"word/embeddings/inner.xlsx": inner})
    data = minimal_word(**{"word/embeddings/middle.docx": middle})
    with pytest.raises(ValidationError, match=TOO_BIG):
        files.file_clean(upload("minutes.docx", data))


def test_a_part_with_nothing_to_remove_keeps_its_meaning_and_namespaces():
    from xml.etree.ElementTree import canonicalize

    fonts = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        "<!-- written by hand -->"
        f'<w:fonts {WORD} xmlns:mc="{MC}" xmlns:w14="{MS}word/2010/wordml" mc:Ignorable="w14">'
        '<w:font w:name="Calibri &amp; Friends"><w:altName w:val="a&lt;b&gt;c &quot;q&quot;'
        ' tab&#9;line&#10;end"/>'
        '<w:notTrueType/>\n  <w:family w:val="swiss"/></w:font>'
        '<x:extra xmlns:x="urn:example:x" xmlns="urn:example:default" x:on="1">'
        "<plain>Ŵyn &amp; 🐑 <![CDATA[<not a tag>]]></plain><x:inner/></x:extra>"
        '<w:font w:name="Cambria"><w:sig w:usb0="E0002AFF"/></w:font></w:fonts>'
    )
    data = minimal_word(**{"word/fontTable.xml": fonts})
    after = parts_of(files.file_clean(upload("minutes.docx", data)).content)["word/fontTable.xml"]

    def declarations(content: bytes) -> list:
        events = ElementTree.iterparse(io.BytesIO(content), events=("start-ns",), forbid_dtd=True)
        return [item for _, item in events]

    assert canonicalize(after.decode()) == canonicalize(fonts)
    assert declarations(after) == declarations(fonts.encode())
