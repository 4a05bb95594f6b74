"""Bulk import: the checks, idempotence, updates, resuming, and the command line."""

import datetime as dt
import json
import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from steward.audit.models import AuditEvent
from steward.audit.verification import verify
from steward.organisations.models import Organisation, OrganisationType
from steward.register import importing, services
from steward.register.importing import HEADER_LINE, ImportSource, register_import
from steward.register.models import (
    CareerRole,
    ImportRun,
    ImportStatus,
    PreviousName,
    Registrant,
    StaffNumber,
)
from steward.register.numbers import registration_number

pytestmark = pytest.mark.django_db

ROW_1 = (
    "1001,RR8,,Siobhán,O'Connor-Hughes,Shiv,Murphy;Kelly,1970-03-04,"
    "s.oconnor@example.nhs.uk,Chief Executive,chief_executive,2020-01-01,,N"
)
ROW_2 = (
    "1002,RR8,,Adebayo,Okonkwo,,,1975-05-06,,Director of Finance,Executive director,"
    "2019-04-01,2024-03-31,Y"
)
UNKNOWN = registration_number(999_999)
SECRETS = ("1970-03-04", "s.oconnor@example.nhs.uk", "Murphy", "Kelly", "1975-05-06")


def write(tmp_path, *rows, header=HEADER_LINE, name="roster.csv", bom=False) -> str:
    path = tmp_path / name
    text = "\r\n".join([header, *rows]) + "\r\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return str(path)


def run_command(path, *args) -> str:
    out = StringIO()
    call_command("import-register", path, *args, stdout=out)
    return out.getvalue()


def refused(path, *args) -> str:
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import-register", path, *args, stdout=out)
    assert excinfo.value.returncode == 2
    return out.getvalue()


def snapshot() -> tuple:
    return (
        Registrant.objects.count(),
        CareerRole.objects.count(),
        StaffNumber.objects.count(),
        PreviousName.objects.count(),
        AuditEvent.objects.count(),
    )


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
def registered(organisation):
    """Someone already on the register, with a role at RR8."""
    person = services.registrant_create(
        legal_forenames="Priya", legal_surname="Raghunathan", actor=None, reason="test"
    )
    services.staff_number_set(
        registrant=person, organisation=organisation, employee_number="2001", actor=None
    )
    return person


# --- A good file -------------------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True], ids=["no BOM", "BOM"])
def test_imports_a_file_with_or_without_a_bom(tmp_path, organisation, bom):
    out = run_command(write(tmp_path, ROW_1, ROW_2, bom=bom))
    assert "2 created, 0 updated, 0 unchanged" in out
    person = Registrant.objects.get(legal_surname="O'Connor-Hughes")
    assert person.legal_forenames == "Siobhán" and person.known_as == "Shiv"
    assert person.date_of_birth == dt.date(1970, 3, 4)
    assert person.email == "s.oconnor@example.nhs.uk"
    assert person.status == "registered" and person.status_changes.count() == 1
    assert sorted(person.previous_names.values_list("surname", flat=True)) == ["Kelly", "Murphy"]
    assert person.staff_numbers.get().employee_number == "1001"
    role = person.career_roles.get()
    assert (role.title, role.category, role.start_date, role.end_date, role.is_interim) == (
        "Chief Executive",
        "chief_executive",
        dt.date(2020, 1, 1),
        None,
        False,
    )
    other = Registrant.objects.get(legal_surname="Okonkwo").career_roles.get()
    assert other.category == "executive_director" and other.is_interim
    assert other.end_date == dt.date(2024, 3, 31)
    # Numbers come from the register's sequence: valid, distinct.
    numbers = list(Registrant.objects.values_list("registration_number", flat=True))
    assert len(set(numbers)) == 2
    assert all(importing.registration_number_problem(n) is None for n in numbers)


def test_bulk_created_records_leave_the_same_audit_events_as_the_services(tmp_path, organisation):
    run_command(write(tmp_path, ROW_1))
    person = Registrant.objects.get()
    actions = sorted(
        AuditEvent.objects.filter(
            subject_type="register.registrant", subject_id=str(person.pk)
        ).values_list("action", flat=True)
    )
    assert actions == [
        "register.career_role.added",
        "register.previous_name.added",
        "register.previous_name.added",
        "register.registrant.created",
        "register.staff_number.set",
    ]
    assert AuditEvent.objects.filter(action="register.import.completed").count() == 1
    assert verify().ok


def test_rerunning_the_same_file_changes_nothing_and_says_so(tmp_path, organisation):
    path = write(tmp_path, ROW_1, ROW_2)
    run_command(path)
    before = snapshot()
    out = run_command(path)
    assert "Nothing changed" in out and "0 created, 0 updated, 2 unchanged" in out
    after = snapshot()
    # Only the record of the second run is added to the audit trail.
    assert after[:4] == before[:4] and after[4] == before[4] + 1


def test_a_changed_row_updates_only_what_changed_with_audit_events(tmp_path, organisation):
    run_command(write(tmp_path, ROW_1, ROW_2))
    person = Registrant.objects.get(legal_surname="O'Connor-Hughes")
    role = person.career_roles.get()
    version, other_version = person.version, Registrant.objects.get(legal_surname="Okonkwo").version
    seq = AuditEvent.objects.order_by("-seq").first().seq
    changed = ROW_1.replace("s.oconnor@example.nhs.uk", "siobhan@example.nhs.uk").replace(
        "2020-01-01,,N", "2020-01-01,2026-06-30,N"
    )
    out = run_command(write(tmp_path, changed, ROW_2))
    assert "0 created, 1 updated, 1 unchanged" in out

    person.refresh_from_db()
    role.refresh_from_db()
    assert person.email == "siobhan@example.nhs.uk" and person.version == version + 1
    assert person.legal_surname == "O'Connor-Hughes" and person.date_of_birth == dt.date(1970, 3, 4)
    assert role.end_date == dt.date(2026, 6, 30) and role.version == 2
    assert Registrant.objects.get(legal_surname="Okonkwo").version == other_version
    assert CareerRole.objects.count() == 2

    events = {e.action: e.payload_data for e in AuditEvent.objects.filter(seq__gt=seq)}
    assert set(events) == {
        "register.registrant.updated",
        "register.career_role.updated",
        # The chief executive has left: their organisation owes a leaving reference.
        "references.request.leaving_created",
        "register.import.completed",
    }
    assert events["register.registrant.updated"]["fields"] == ["email"]
    assert events["register.registrant.updated"]["public_values"] == {}
    assert events["register.career_role.updated"]["public_values"] == {"end_date": "2026-06-30"}
    assert "siobhan@example.nhs.uk" not in json.dumps(list(events.values()))


def test_rows_are_matched_by_registration_number_and_add_a_new_role(tmp_path, registered):
    number = registered.registration_number
    row = f"2001,RR8,{number},Priya,Raghunathan,,,,,Chair,chair,2023-04-01,,N"
    out = run_command(write(tmp_path, row))
    assert "0 created, 1 updated, 0 unchanged" in out
    assert Registrant.objects.count() == 1
    assert registered.career_roles.get().category == "chair"


def test_a_surname_change_keeps_the_old_surname_as_a_previous_name(tmp_path, registered):
    number = registered.registration_number
    row = f"2001,RR8,{number},Priya,Shah,,Raghunathan,,,Chair,chair,2023-04-01,,N"
    run_command(write(tmp_path, row))
    registered.refresh_from_db()
    assert registered.legal_surname == "Shah"
    assert list(registered.previous_names.values_list("surname", flat=True)) == ["Raghunathan"]


def test_category_labels_are_accepted_in_any_case(tmp_path, organisation):
    row = ROW_1.replace("chief_executive", "NON-EXECUTIVE DIRECTOR")
    run_command(write(tmp_path, row))
    assert CareerRole.objects.get().category == "non_executive_director"


# --- Each kind of problem: a report line, and nothing changed ---------------------

PROBLEMS = {
    "unknown organisation": (
        ROW_1.replace(",RR8,", ",RR9,"),
        "organisation_ods_code",
        "no NHS organisation with the ODS code RR9",
    ),
    "bad date": (
        ROW_1.replace("2020-01-01", "01/01/2020"),
        "start_date",
        "not in the format YYYY-MM-DD",
    ),
    "date that does not exist": (
        ROW_1.replace("2020-01-01", "2020-02-30"),
        "start_date",
        "does not exist",
    ),
    "end before start": (
        ROW_1.replace("2020-01-01,,N", "2020-01-01,2019-12-31,N"),
        "end_date",
        "before the start date",
    ),
    "unknown category": (
        ROW_1.replace("chief_executive", "supremo"),
        "role_category",
        "not one of the role categories",
    ),
    "malformed registration number": (
        ROW_1.replace(",RR8,,", ",RR8,X12,"),
        "registration_number",
        "letter M followed by 7 digits",
    ),
    "wrong check digit": (
        ROW_1.replace(",RR8,,", ",RR8,M1234568,"),
        "registration_number",
        "M1234568 is not a real registration number",
    ),
    "unknown registration number": (
        ROW_1.replace(",RR8,,", f",RR8,{UNKNOWN},"),
        "registration_number",
        f"No one on the register has the registration number {UNKNOWN}",
    ),
    "missing surname": (ROW_1.replace("O'Connor-Hughes", ""), "legal_surname", "missing"),
    "missing employee number": (ROW_1.replace("1001,", ",", 1), "employee_number", "missing"),
    "bad interim": (ROW_1.replace(",N", ",maybe"), "interim", "Interim must be Y or N"),
    "bad email": (
        ROW_1.replace("s.oconnor@example.nhs.uk", "not-an-email"),
        "email",
        "not a valid email address",
    ),
    "future date of birth": (
        ROW_1.replace("1970-03-04", "2999-01-01"),
        "date_of_birth",
        "not in the past",
    ),
    "wrong number of values": (ROW_1 + ",extra", "", "does not have 14 values"),
    "control characters": (ROW_1.replace("Shiv", "Sh\x00iv"), "known_as", "control characters"),
    "start before the NHS": (
        ROW_1.replace("2020-01-01", "1900-01-01"),
        "start_date",
        "before the NHS began",
    ),
}


@pytest.mark.parametrize("kind", list(PROBLEMS))
def test_each_kind_of_problem_is_reported_and_changes_nothing(tmp_path, organisation, kind):
    row, column, text = PROBLEMS[kind]
    before = snapshot()
    out = refused(write(tmp_path, ROW_2, row))
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.INVALID and run.rows_invalid == 1
    assert [(p["row"], p["column"]) for p in run.report] == [(3, column)]
    assert text in run.report[0]["problem"] and run.report[0]["fix"]
    assert "1 row of 2 have problems" in out
    assert snapshot() == before


def test_duplicate_employee_number_in_the_file(tmp_path, organisation):
    duplicate = ROW_2.replace("1002,", "1001,", 1)
    refused(write(tmp_path, ROW_1, duplicate))
    report = ImportRun.objects.get().report
    assert report == [
        {
            "row": 3,
            "column": "employee_number",
            "problem": "Row 2 has the same employee number for the same organisation.",
            "fix": report[0]["fix"],
        }
    ]
    assert Registrant.objects.count() == 0


def test_rows_for_another_organisation_are_refused(tmp_path, organisation, other_organisation):
    row = ROW_2.replace(",RR8,", ",RXF,")
    refused(write(tmp_path, ROW_1, row), "--organisation", "RR8")
    problem = ImportRun.objects.get().report[0]
    assert (problem["row"], problem["column"]) == (3, "organisation_ods_code")
    assert "This row is for RXF, but this import is for RR8 only" in problem["problem"]
    assert Registrant.objects.count() == 0


def test_a_registration_number_for_someone_else_is_refused(tmp_path, registered):
    row = ROW_1.replace(",RR8,,", f",RR8,{registered.registration_number},")
    refused(write(tmp_path, row))
    problem = ImportRun.objects.get().report[0]
    assert problem["column"] == "registration_number" and "different surname" in problem["problem"]


def test_an_employee_number_held_by_someone_else_is_refused(tmp_path, registered):
    other = services.registrant_create(
        legal_forenames="Tomasz", legal_surname="Wiśniewski", actor=None, reason="test"
    )
    row = f"2001,RR8,{other.registration_number},Tomasz,Wiśniewski,,,,,Chair,chair,2023-04-01,,N"
    refused(write(tmp_path, row))
    assert ImportRun.objects.get().report[0]["column"] == "employee_number"


@pytest.mark.parametrize(
    ("header", "text"),
    [
        ("name,surname,dob", "not the header row"),
        (HEADER_LINE.replace(",email", ""), "The header is missing: email"),
        (HEADER_LINE + ",notes", "does not know: notes"),
    ],
    ids=["not a header", "missing column", "extra column"],
)
def test_a_wrong_header_is_reported(tmp_path, organisation, header, text):
    out = refused(write(tmp_path, ROW_1, header=header))
    run = ImportRun.objects.get()
    assert run.report[0]["row"] == 1 and text in run.report[0]["problem"]
    assert "Make the first row exactly this header" in run.report[0]["fix"]
    assert "Problems in roster.csv" in out
    assert Registrant.objects.count() == 0


def test_a_file_that_is_not_utf8_is_reported(tmp_path, organisation):
    path = tmp_path / "latin1.csv"
    path.write_bytes(f"{HEADER_LINE}\n{ROW_1}\n".encode("latin-1"))
    refused(str(path))
    problem = ImportRun.objects.get().report[0]
    assert problem["problem"] == "The file is not UTF-8 text." and "CSV UTF-8" in problem["fix"]
    assert Registrant.objects.count() == 0


# --- Hostile files: a clear report, never a crash -----------------------------------

HOSTILE = {
    "empty": b"",
    "header only": (HEADER_LINE + "\n").encode(),
    "binary": bytes(range(256)) * 40,
    "huge line": b"a" * 200_000,
    "huge line after the header": (HEADER_LINE + "\n").encode() + b"x," * 100_000,
    "unclosed quote": (HEADER_LINE + '\n"' + "a" * 200_000).encode(),
    "spreadsheet workbook": b"PK\x03\x04" + b"\x00" * 100,
    "utf-16": "\ufeffemployee_number".encode("utf-16"),
    "only blank lines": b"\n\n\n\n",
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_files_are_refused_with_a_report(tmp_path, organisation, kind):
    path = tmp_path / "hostile.csv"
    path.write_bytes(HOSTILE[kind])
    before = snapshot()
    run = register_import(source=ImportSource.from_path(path), actor="test")
    assert run.status == ImportStatus.INVALID
    assert run.report and all(p["problem"] and p["fix"] for p in run.report)
    assert snapshot()[:4] == before[:4]


# --- --skip-invalid and --dry-run -------------------------------------------------------


def test_skip_invalid_imports_the_good_rows_and_writes_the_report(tmp_path, organisation):
    bad = ROW_2.replace("Executive director", "supremo")
    path = write(tmp_path, ROW_1, bad)
    out = run_command(path, "--skip-invalid")
    assert "1 created, 0 updated, 0 unchanged, 1 skipped because of problems" in out
    assert list(Registrant.objects.values_list("legal_surname", flat=True)) == ["O'Connor-Hughes"]
    report = (tmp_path / "roster.report.csv").read_text(encoding="utf-8").splitlines()
    assert report[0] == "row,column,problem,fix"
    assert report[1].startswith("3,role_category,This is not one of the role categories.")
    assert len(report) == 2
    run = ImportRun.objects.get()
    assert (run.status, run.rows_total, run.rows_invalid, run.rows_done) == ("complete", 2, 1, 2)


def test_dry_run_writes_nothing(tmp_path, organisation, registered):
    row = (
        f"2001,RR8,{registered.registration_number},Priya,Raghunathan,,,,,Chair,chair,2023-04-01,,N"
    )
    path = write(tmp_path, ROW_1, ROW_2, row)
    before = (snapshot(), ImportRun.objects.count(), registered.version)
    out = run_command(path, "--dry-run")
    assert "Dry run: nothing was changed" in out
    assert "2 created, 1 updated, 0 unchanged" in out
    registered.refresh_from_db()
    assert (snapshot(), ImportRun.objects.count(), registered.version) == before
    assert not (tmp_path / "roster.report.csv").exists()
    # The register's number sequence was not used up either.
    run_command(path)
    assert set(Registrant.objects.values_list("registration_number", flat=True)) == {
        registration_number(serial) for serial in (1, 2, 3)
    }


def test_dry_run_of_an_invalid_file_reports_without_saving(tmp_path, organisation):
    out = refused(write(tmp_path, ROW_1.replace("chief_executive", "supremo")), "--dry-run")
    assert "role_category" in out
    assert ImportRun.objects.count() == 0


# --- Crashes and resuming -----------------------------------------------------------------


def many_rows(count: int) -> list[str]:
    return [
        f"{3000 + i},RR8,,Person{i},Surname{i},,,,,Senior Manager,senior_manager,2021-01-01,,N"
        for i in range(count)
    ]


@pytest.mark.parametrize("crash", [RuntimeError, KeyboardInterrupt])
def test_an_interrupted_import_leaves_whole_batches_and_a_rerun_finishes(
    tmp_path, organisation, monkeypatch, crash
):
    path = write(tmp_path, *many_rows(7))
    real_write = importing._BatchWriter.write
    calls = {"n": 0}

    def failing_write(self, rows):
        calls["n"] += 1
        if calls["n"] == 2:
            raise crash("power cut")
        return real_write(self, rows)

    monkeypatch.setattr(importing._BatchWriter, "write", failing_write)
    expected = importing.ImportStopped if crash is RuntimeError else crash
    with pytest.raises(expected):
        register_import(source=ImportSource.from_path(path), actor="test", batch_size=3)
    run = ImportRun.objects.get()
    assert (run.status, run.rows_done, run.rows_created) == ("failed", 3, 3)
    assert Registrant.objects.count() == 3 and CareerRole.objects.count() == 3
    assert verify().ok

    monkeypatch.setattr(importing._BatchWriter, "write", real_write)
    resumed = register_import(source=ImportSource.from_path(path), actor="test", batch_size=3)
    assert resumed.pk == run.pk
    assert (resumed.status, resumed.rows_done, resumed.rows_total) == ("complete", 7, 7)
    assert (resumed.rows_created, resumed.rows_updated, resumed.rows_unchanged) == (7, 0, 0)
    assert Registrant.objects.count() == 7 and StaffNumber.objects.count() == 7
    assert len(set(Registrant.objects.values_list("registration_number", flat=True))) == 7
    assert verify().ok
    # And once more: nothing to do.
    again = register_import(source=ImportSource.from_path(path), actor="test", batch_size=3)
    assert again.pk != run.pk and (again.rows_created, again.rows_unchanged) == (0, 7)


def test_the_command_says_how_to_finish_after_an_error(tmp_path, organisation, monkeypatch):
    path = write(tmp_path, ROW_1)

    def broken(self, rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing._BatchWriter, "write", broken)
    with pytest.raises(CommandError) as excinfo:
        run_command(path)
    assert excinfo.value.returncode == 1
    assert "Run the same file again to finish" in str(excinfo.value)


# --- Restricted data -----------------------------------------------------------------------


def test_restricted_values_never_reach_logs_audit_or_reports(tmp_path, organisation, caplog):
    caplog.set_level(logging.DEBUG)
    bad = ROW_2.replace("1975-05-06", "1975-13-06")
    path = write(tmp_path, ROW_1, bad)
    run_command(path, "--skip-invalid")
    changed = ROW_1.replace("1970-03-04", "1971-03-04")
    run_command(write(tmp_path, changed, name="second.csv"))
    payloads = " ".join(AuditEvent.objects.values_list("payload", flat=True))
    reasons = " ".join(AuditEvent.objects.values_list("reason", flat=True))
    reports = json.dumps(list(ImportRun.objects.values_list("report", flat=True)))
    report_file = (tmp_path / "roster.report.csv").read_text(encoding="utf-8")
    for text in (*SECRETS, "1975-13-06", "1971-03-04"):
        for where in (payloads, reasons, reports, report_file, caplog.text):
            assert text not in where


def test_unknown_organisation_option_is_an_error(tmp_path, organisation):
    with pytest.raises(CommandError, match="no organisation with the ODS code ZZZ"):
        run_command(write(tmp_path, ROW_1), "--organisation", "ZZZ")


# --- The bulk path writes what the services write ------------------------------------------


def test_bulk_inserts_cover_every_column_of_each_model():
    for model, fields in importing.INSERT_FIELDS.items():
        columns = {f.name for f in model._meta.concrete_fields if not f.primary_key}
        if model is AuditEvent:
            columns.add("seq")
        assert set(fields) == columns, model


def test_bulk_audit_payloads_match_audit_record():
    from steward.audit.services import RESTRICTED_KEYS, _payload_text

    assert not importing.BULK_PAYLOAD_KEYS & RESTRICTED_KEYS
    payload = {
        "career_role": 7,
        "organisation": "RR8",
        "category": "chair",
        "start_date": dt.date(2020, 1, 2),
        "end_date": None,
    }
    assert importing._payload_json(payload) == _payload_text(payload)
    assert importing._payload_json({"registration_number": "M0000017", "status": "é"}) == (
        _payload_text({"registration_number": "M0000017", "status": "é"})
    )


def test_bulk_created_records_match_the_services(tmp_path, organisation):
    """A person created in bulk reads back like one created by registrant_create."""
    run_command(write(tmp_path, ROW_1))
    bulk = Registrant.objects.get()
    single = services.registrant_create(
        legal_forenames="Siobhán",
        legal_surname="O'Connor-Hughes",
        known_as="Shiv",
        actor=None,
        reason="test",
    )
    for name in ("surname_key", "names_key", "status", "status_since", "version", "phone"):
        assert getattr(bulk, name) == getattr(single, name), name
    assert bulk.created_at.tzinfo is not None
    assert bulk.status_changes.get().to_status == "registered"


def test_a_file_needing_more_registration_numbers_than_are_left_is_refused(tmp_path, organisation):
    from steward.register.models import RegisterSequence
    from steward.register.numbers import MAX_SERIAL

    RegisterSequence.objects.create(name="registration", last_value=MAX_SERIAL - 1)
    refused(write(tmp_path, ROW_1, ROW_2))
    problem = ImportRun.objects.get().report[-1]
    assert problem["row"] is None
    assert (
        "would add 2 people to the register, but only 1 registration numbers"
        in (problem["problem"])
    )
    assert Registrant.objects.count() == 0
