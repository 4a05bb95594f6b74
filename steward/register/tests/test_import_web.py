"""Bulk import for employers: the upload page and the API."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.accounts.services import token_create
from steward.organisations.models import Organisation, OrganisationType
from steward.register.forms_import import MAX_UPLOAD_BYTES
from steward.register.importing import HEADER_LINE, ImportSource, register_import
from steward.register.models import CareerRole, ImportRun, ImportStatus, Registrant

pytestmark = pytest.mark.django_db

GOOD = (
    "1001,RR8,,Zoë,Clarke-Bennett,,Adeyemi,1980-02-03,zoe@example.nhs.uk,Chair,Chair,2022-05-01,,N"
)
BAD = "1002,RR8,,Kwame,Mensah,,,1977-07-07,,Director of Nursing,supremo,2021-01-01,,N"
UPLOAD_URL = "/register/import/RR8/"


def csv_file(*rows, name="roster.csv", content_type="text/csv", header=HEADER_LINE):
    body = "\n".join([header, *rows]).encode()
    return SimpleUploadedFile(name, body, content_type=content_type)


@pytest.fixture
def other_organisation(organisation):
    return Organisation.objects.create(
        ods_code="RXF",
        name="Mid Yorkshire Teaching NHS Trust",
        org_type=OrganisationType.NHS_TRUST,
        region=organisation.region,
        search_name="mid yorkshire teaching nhs trust",
    )


@pytest.fixture
def employer(make_user, organisation):
    return make_user("hr_lead", organisation=organisation)


# --- Who may upload ------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, organisation):
    for url in ("/register/import/", UPLOAD_URL):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    response = client.post(UPLOAD_URL, {"file": csv_file(GOOD), "mode": "import"})
    assert response.status_code == 302 and Registrant.objects.count() == 0


def test_an_employer_uploads_for_their_own_organisation_only(
    client, make_user, organisation, other_organisation
):
    employer_elsewhere = make_user("chair", organisation=other_organisation)
    client.force_login(employer_elsewhere)
    assert client.get(UPLOAD_URL).status_code == 403
    response = client.post(UPLOAD_URL, {"file": csv_file(GOOD), "mode": "import"})
    assert response.status_code == 403 and Registrant.objects.count() == 0
    assert client.get("/register/import/RXF/").status_code == 200
    # The start page sends them to their own organisation.
    assert client.get("/register/import/")["Location"] == "/register/import/RXF/"


@pytest.mark.parametrize("role", ["registrant", "data_request_responder", "registrar"])
def test_people_who_are_not_employers_are_refused(client, settings, role_user, role):
    settings.DEMO_SKIP_MFA = True
    client.force_login(role_user(role))
    assert client.get(UPLOAD_URL).status_code == 403
    assert client.get("/register/import/").status_code == 403


def test_unknown_organisation_is_not_found(client, employer):
    client.force_login(employer)
    assert client.get("/register/import/ZZZ/").status_code == 404


# --- Uploading --------------------------------------------------------------------------


def test_the_upload_page_uses_the_nhs_file_upload(client, employer):
    client.force_login(employer)
    body = client.get(UPLOAD_URL).content.decode()
    assert "nhsuk-file-upload" in body and 'enctype="multipart/form-data"' in body
    assert "Leeds Teaching Hospitals NHS Trust" in body


def test_a_good_file_is_imported_and_its_run_shown(client, employer):
    client.force_login(employer)
    response = client.post(UPLOAD_URL, {"file": csv_file(GOOD), "mode": "import"})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/register/import/RR8/{run.pk}/"
    assert (run.status, run.rows_created, run.started_by) == ("complete", 1, employer)
    assert CareerRole.objects.get().organisation.ods_code == "RR8"
    body = unescape(client.get(response["Location"]).content.decode())
    assert "Imported" in body and "New people added" in body
    assert "zoe@example.nhs.uk" not in body and "1980" not in body
    # The upload page lists it.
    assert "roster.csv" in client.get(UPLOAD_URL).content.decode()


def test_a_file_with_one_bad_row_shows_the_report_and_imports_nothing(client, employer):
    client.force_login(employer)
    response = client.post(UPLOAD_URL, {"file": csv_file(GOOD, BAD), "mode": "import"})
    body = unescape(client.get(response["Location"]).content.decode())
    assert Registrant.objects.count() == 0
    assert "The file has problems" in body and "Nothing was imported" in body
    assert "nhsuk-table" in body and "Problems in the file" in body
    assert "role_category" in body and "This is not one of the role categories." in body
    assert "Enter one of: Chair, Chief executive" in body
    cells = re.findall(r"<td[^>]*>(.*?)</td>", re.sub(r"\s+", " ", body))
    cells = [re.sub(r"<span[^>]*>.*?</span>", "", cell).strip() for cell in cells]
    assert cells == [
        "3",
        "role_category",
        "This is not one of the role categories.",
        "Enter one of: Chair, Chief executive, Executive director, Non-executive director, "
        "Senior manager.",
    ]


def test_skip_invalid_imports_the_good_row_and_lists_the_bad_one(client, employer):
    client.force_login(employer)
    response = client.post(UPLOAD_URL, {"file": csv_file(GOOD, BAD), "mode": "skip_invalid"})
    body = unescape(client.get(response["Location"]).content.decode())
    assert Registrant.objects.count() == 1
    assert "These rows were not imported" in body and "role_category" in body


def test_a_check_only_upload_changes_nothing(client, employer):
    client.force_login(employer)
    response = client.post(UPLOAD_URL, {"file": csv_file(GOOD), "mode": "dry_run"})
    assert response.status_code == 200
    body = unescape(response.content.decode())
    assert "This was a check only" in body and "New people who would be added" in body
    assert Registrant.objects.count() == 0 and ImportRun.objects.count() == 0


def test_rows_for_another_organisation_are_refused_on_upload(client, employer, other_organisation):
    client.force_login(employer)
    row = GOOD.replace(",RR8,", ",RXF,")
    response = client.post(UPLOAD_URL, {"file": csv_file(row), "mode": "import"})
    body = unescape(client.get(response["Location"]).content.decode())
    assert "This row is for RXF, but this import is for RR8 only." in body
    assert Registrant.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Select a CSV file"),
        (SimpleUploadedFile("roster.xlsx", b"PK\x03\x04", "application/zip"), "must be a CSV"),
        (SimpleUploadedFile("roster.csv", b"x", "image/png"), "must be a CSV"),
        (SimpleUploadedFile("roster.csv", b"", "text/csv"), "The selected file is empty"),
    ],
    ids=["no file", "spreadsheet", "wrong content type", "empty"],
)
def test_upload_problems_are_shown_in_the_nhs_error_pattern(client, employer, upload, message):
    client.force_login(employer)
    data = {"mode": "import"} | ({"file": upload} if upload else {})
    response = client.post(UPLOAD_URL, data)
    body = unescape(response.content.decode())
    assert response.status_code == 400
    assert "There is a problem" in body and message in body
    assert ImportRun.objects.count() == 0


def test_an_oversized_upload_is_refused_before_it_is_read(client, employer):
    client.force_login(employer)
    big = SimpleUploadedFile("roster.csv", b"a" * (MAX_UPLOAD_BYTES + 100_000), "text/csv")
    response = client.post(UPLOAD_URL, {"file": big, "mode": "import"})
    assert response.status_code == 413
    assert "must be smaller than 5MB" in response.content.decode()
    assert ImportRun.objects.count() == 0


@pytest.mark.parametrize(
    "content",
    [b"\x00\xff\xfe" * 1000, b"a" * 50_000, b"", b"\n\n", HEADER_LINE.encode() + b'\n"x'],
    ids=["binary", "huge line", "empty", "blank", "open quote"],
)
def test_hostile_uploads_never_give_a_500(client, employer, content):
    client.force_login(employer)
    upload = SimpleUploadedFile("hostile.csv", content, "text/csv")
    response = client.post(UPLOAD_URL, {"file": upload, "mode": "import"})
    assert response.status_code in {302, 400}
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200
        assert ImportRun.objects.get().status == ImportStatus.INVALID
    assert Registrant.objects.count() == 0


def test_another_organisations_run_is_not_shown(client, employer, make_user, other_organisation):
    client.force_login(make_user("chair", organisation=other_organisation))
    client.post("/register/import/RXF/", {"file": csv_file(GOOD), "mode": "import"})
    run = ImportRun.objects.get()
    client.force_login(employer)
    assert client.get(f"/register/import/RR8/{run.pk}/").status_code == 404
    assert client.get(f"/register/import/RXF/{run.pk}/").status_code == 403


def test_the_template_file_has_the_header(client):
    response = client.get("/register/import/template.csv")
    assert response.content.decode().strip() == HEADER_LINE


# --- The API ----------------------------------------------------------------------------


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {token_create(user=user, name='t', actor=None).secret}"}


def test_api_imports_with_a_bearer_token(client, employer):
    response = client.post(
        "/api/v1/register-imports", {"file": csv_file(GOOD)}, headers=bearer(employer)
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["organisation"], body["rows_created"]) == ("complete", "RR8", 1)
    assert body["report"] == [] and body["id"] == ImportRun.objects.get().pk
    detail = client.get(f"/api/v1/register-imports/{body['id']}", headers=bearer(employer))
    assert detail.status_code == 200 and detail.json()["rows_created"] == 1
    # Again: nothing changes.
    again = client.post(
        "/api/v1/register-imports", {"file": csv_file(GOOD)}, headers=bearer(employer)
    ).json()
    assert (again["rows_created"], again["rows_updated"], again["rows_unchanged"]) == (0, 0, 1)


def test_api_returns_the_report_for_an_invalid_file(client, employer):
    response = client.post(
        "/api/v1/register-imports", {"file": csv_file(GOOD, BAD)}, headers=bearer(employer)
    )
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == "invalid" and body["rows_invalid"] == 1
    assert [(p["row"], p["column"]) for p in body["report"]] == [(3, "role_category")]
    assert "1977" not in response.content.decode()
    assert Registrant.objects.count() == 0


def test_api_dry_run(client, employer):
    response = client.post(
        "/api/v1/register-imports",
        {"file": csv_file(GOOD), "dry_run": "true"},
        headers=bearer(employer),
    )
    assert response.status_code == 200
    assert response.json()["id"] is None and response.json()["rows_created"] == 1
    assert Registrant.objects.count() == 0


def test_api_refuses_other_organisations_and_non_employers(
    client, make_user, employer, other_organisation
):
    response = client.post(
        "/api/v1/register-imports",
        {"file": csv_file(GOOD), "organisation": "RXF"},
        headers=bearer(employer),
    )
    assert response.status_code == 403
    response = client.post(
        "/api/v1/register-imports",
        {"file": csv_file(GOOD)},
        headers=bearer(make_user("registrant")),
    )
    assert response.status_code == 403
    assert client.post("/api/v1/register-imports", {"file": csv_file(GOOD)}).status_code == 401
    assert Registrant.objects.count() == 0


def test_api_run_of_another_organisation_is_not_found(
    client, employer, make_user, other_organisation
):
    elsewhere = make_user("chair", organisation=other_organisation)
    created = client.post(
        "/api/v1/register-imports", {"file": csv_file(GOOD)}, headers=bearer(elsewhere)
    ).json()
    response = client.get(f"/api/v1/register-imports/{created['id']}", headers=bearer(employer))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({}, 400),
        ({"file": SimpleUploadedFile("a.png", b"\x89PNG", "image/png")}, 415),
        ({"file": SimpleUploadedFile("a.csv", b"", "text/csv")}, 400),
        ({"file": SimpleUploadedFile("a.csv", b"\xff" * 100, "text/csv")}, 422),
    ],
    ids=["no file", "not csv", "empty", "binary"],
)
def test_api_bad_uploads_get_clear_errors(client, employer, data, status):
    response = client.post("/api/v1/register-imports", data, headers=bearer(employer))
    assert response.status_code == status
    assert response.json().get("detail") or response.json().get("report")


# --- Fuzzing the parser -----------------------------------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.one_of(
        st.binary(max_size=400),
        st.lists(
            st.lists(st.text(max_size=12), min_size=13, max_size=15),
            max_size=4,
        ).map(lambda rows: "\n".join([HEADER_LINE, *(",".join(r) for r in rows)]).encode()),
    )
)
def test_any_file_gives_a_run_never_an_exception(tmp_path_factory, organisation, body):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.csv"
    path.write_bytes(body)
    run = register_import(source=ImportSource.from_path(path), actor="fuzz", dry_run=True)
    assert run.status in {ImportStatus.INVALID, ImportStatus.COMPLETE}
    for problem in run.report:
        assert problem["problem"] and problem["fix"]


def test_an_upload_stopped_by_an_error_says_how_to_finish(client, employer, monkeypatch):
    from steward.register import importing

    def broken(self, rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing._BatchWriter, "write", broken)
    client.force_login(employer)
    for mode in ("import", "dry_run"):
        response = client.post(UPLOAD_URL, {"file": csv_file(GOOD), "mode": mode}, follow=True)
        assert response.status_code == 200
        assert "Run the same file again to finish" in unescape(response.content.decode())
    assert ImportRun.objects.get().status == ImportStatus.FAILED
    assert Registrant.objects.count() == 0
