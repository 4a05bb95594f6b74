"""Bulk import of the register from employers' workforce systems (CSV).

One service, :func:`register_import`, serves the command line
(``steward import-register``), the employer's upload page and the API.

How it works, and why:

* **Two streaming passes.** The first pass checks every row (columns, dates,
  categories, organisations, registration numbers, duplicates within the
  file, clashes with the register) without writing anything; only if the file
  is good (or ``skip_invalid`` was asked for) does the second pass write.
  The file is read through a CSV reader over a text stream, line by line, so
  memory stays flat however large it is. What the first pass must remember
  across rows (employee numbers already seen, rows with problems) goes into a
  scratch SQLite file in a temporary folder, not into Python sets; employee
  numbers are restricted, so only a keyed hash of each is kept there.
* **Batches.** The second pass writes ``BATCH_SIZE`` rows per transaction and
  records its progress (``ImportRun.rows_done`` and the counts) in the same
  transaction. A crash or Ctrl-C leaves whole batches only; running the same
  file again resumes the unfinished run after its last committed batch, and
  every row is idempotent anyway (a row already applied changes nothing).
* **Same rules as the services.** Changes to existing records go through
  :mod:`steward.register.services` (validation, optimistic locking, audit).
  New people, the bulk of a first import, are created in batches with the same
  values, status history and audit events that ``registrant_create``,
  ``staff_number_set``, ``previous_name_add`` and ``career_role_add`` would
  write, so a million-row file takes minutes rather than hours.
* **No restricted data in reports or logs.** Problems name the row, the column,
  what is wrong and how to fix it; they echo only public values (an ODS code,
  a registration number) and only when those look like one.
"""

import contextlib
import csv
import datetime as dt
import hashlib
import io
import logging
import re
import sqlite3
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import connection, transaction
from django.db.models import Q

from steward.audit import canonical
from steward.audit import services as audit_services
from steward.audit.models import AuditEvent
from steward.audit.services import audit_record
from steward.core import clock
from steward.core.actors import actor_user
from steward.core.bulk import insert_rows
from steward.core.text import search_text
from steward.organisations.models import Organisation
from steward.register import services
from steward.register.board_events import board_role_ended, board_role_started
from steward.register.models import (
    CareerRole,
    ImportRun,
    ImportStatus,
    PreviousName,
    RegisterSequence,
    RegisterStatus,
    Registrant,
    RoleCategory,
    StaffNumber,
    StatusChange,
)
from steward.register.numbers import (
    MAX_SERIAL,
    clean_registration_number,
    registration_number_problem,
)

logger = logging.getLogger(__name__)

COLUMNS = (
    "employee_number",
    "organisation_ods_code",
    "registration_number",
    "legal_forename",
    "legal_surname",
    "known_as",
    "previous_surnames",
    "date_of_birth",
    "email",
    "role_title",
    "role_category",
    "start_date",
    "end_date",
    "interim",
)
HEADER_LINE = ",".join(COLUMNS)
REQUIRED = (
    "employee_number",
    "organisation_ods_code",
    "legal_forename",
    "legal_surname",
    "role_title",
    "role_category",
    "start_date",
)
# What each column holds, in words for people (the report's "fix" column).
DESCRIPTIONS = {
    "employee_number": "the person's employee number in your workforce system",
    "organisation_ods_code": "the organisation's ODS code, like RR8",
    "registration_number": "their registration number, like M1234567",
    "legal_forename": "their legal forename or forenames",
    "legal_surname": "their legal surname",
    "known_as": "the forename they are known by",
    "previous_surnames": "their previous surnames",
    "date_of_birth": "their date of birth",
    "email": "their email address",
    "role_title": "the title of their role, like Director of Finance",
    "role_category": "the role category",
    "start_date": "the date they started the role",
    "end_date": "the date the role ended",
    "interim": "Y if the role is interim, N if it is substantive",
}
MAX_LENGTHS = {
    "employee_number": 50,
    "organisation_ods_code": 10,
    "registration_number": 20,
    "legal_forename": 200,
    "legal_surname": 200,
    "known_as": 200,
    "previous_surnames": 2000,
    "date_of_birth": 20,
    "email": 254,
    "role_title": 200,
    "role_category": 60,
    "start_date": 20,
    "end_date": 20,
    "interim": 10,
}
MAX_PREVIOUS_SURNAMES = 10
BATCH_SIZE = 1000
# A workforce export row is a few hundred characters; a longer line is not one.
MAX_LINE_CHARS = 10_000
# The run keeps the first problems for the web page and the API; the command
# line writes every problem to the report file.
MAX_STORED_PROBLEMS = 1000
ACTOR_CLI = "steward import-register"
NHS_FOUNDED = dt.date(1948, 7, 5)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK_DATE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$")
_ODS = re.compile(r"^[A-Z0-9]{3,10}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_email_validator = EmailValidator()


def _category_key(value: str) -> str:
    return " ".join(value.casefold().replace("_", " ").replace("-", " ").split())


CATEGORIES: dict[str, str] = {}
for _value, _label in RoleCategory.choices:
    CATEGORIES[_category_key(_value)] = _value
    CATEGORIES[_category_key(_label)] = _value
CATEGORY_LIST = ", ".join(label for _, label in RoleCategory.choices)
INTERIM_VALUES = {"": False, "n": False, "no": False, "y": True, "yes": True}


# --- Problems ----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One line of the validation report. ``row`` is the spreadsheet row (the
    header is row 1); None for a problem with the whole file."""

    row: int | None
    column: str
    problem: str
    fix: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "problem": self.problem, "fix": self.fix}


class FileProblem(Exception):
    """The file cannot be read as a whole (not CSV, not UTF-8, wrong header)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.problem)
        self.problem = problem


class ImportStopped(Exception):
    """The import stopped part-way because of an error; whole batches only were saved."""

    def __init__(self, run: ImportRun):
        super().__init__(
            f"The import stopped after {run.rows_done:,} rows because of an error. "
            "Everything before that point was saved. Run the same file again to finish: "
            "rows already imported are not imported twice."
        )
        self.run = run


REPORT_COLUMNS = ("row", "column", "problem", "fix")


def _report_order(problem: Problem) -> tuple[int, int]:
    column = COLUMNS.index(problem.column) if problem.column in COLUMNS else -1
    return (problem.row or 0, column)


def _file_problem(problem: str, fix: str, row: int | None = None) -> FileProblem:
    return FileProblem(Problem(row=row, column="", problem=problem, fix=fix))


# --- Sources -----------------------------------------------------------------


@dataclass(frozen=True)
class ImportSource:
    """A file to import: a name for people, and a way to open its bytes (twice)."""

    name: str
    opener: Callable[[], contextlib.AbstractContextManager]

    @classmethod
    def from_path(cls, path: str | Path) -> "ImportSource":
        path = Path(path)
        return cls(name=path.name, opener=lambda: open(path, "rb"))  # noqa: SIM115

    @classmethod
    def from_upload(cls, uploaded) -> "ImportSource":
        """A Django UploadedFile; read in place (a temporary file for large uploads)."""
        if hasattr(uploaded, "temporary_file_path"):
            return cls.from_path(uploaded.temporary_file_path())._renamed(uploaded.name)

        @contextlib.contextmanager
        def opener():
            uploaded.seek(0)
            yield uploaded.file

        return cls(name=Path(uploaded.name or "upload.csv").name, opener=opener)

    def _renamed(self, name: str) -> "ImportSource":
        return ImportSource(name=Path(name or self.name).name, opener=self.opener)


def _sniff(first: bytes) -> None:
    if not first:
        raise _file_problem(
            "The file is empty.", f"Choose a CSV file whose first row is the header: {HEADER_LINE}"
        )
    if first.startswith(b"PK\x03\x04") or first.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_problem(
            "The file is a spreadsheet workbook, not a CSV file.",
            "Open it in your spreadsheet program and save it as 'CSV UTF-8 (comma delimited)'.",
        )
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _file_problem(
            "The file is saved as UTF-16 text, not UTF-8.",
            "Save it again as 'CSV UTF-8 (comma delimited)'.",
        )


def _file_sha256(source: ImportSource) -> str:
    digest = hashlib.sha256()
    with source.opener() as binary:
        first = binary.read(1 << 16)
        _sniff(first)
        while first:
            digest.update(first)
            first = binary.read(1 << 20)
    return digest.hexdigest()


class _LineTooLong(Exception):
    pass


def _limited_lines(text: io.TextIOBase) -> Iterator[str]:
    """Lines of the file, refusing any line too long to be a row (a hostile file
    with no line breaks would otherwise be read into memory whole)."""
    while True:
        line = text.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        if len(line) > MAX_LINE_CHARS:
            raise _LineTooLong
        yield line


def _header_columns(header: list[str]) -> list[str]:
    """Check the header row; return the column name at each position."""
    names = [cell.strip().casefold() for cell in header]
    fix = f"Make the first row exactly this header: {HEADER_LINE}"
    known = [name for name in names if name in COLUMNS]
    if not known:
        raise _file_problem("The first row is not the header row.", fix, row=1)
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise _file_problem(f"The header is missing: {', '.join(missing)}.", fix, row=1)
    duplicated = sorted({name for name in known if names.count(name) > 1})
    if duplicated:
        raise _file_problem(f"The header repeats: {', '.join(duplicated)}.", fix, row=1)
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        shown = [n for n in unknown if re.fullmatch(r"[a-z0-9_ ]{1,40}", n)]
        what = f": {', '.join(shown)}" if len(shown) == len(unknown) else ""
        raise _file_problem(
            f"The header has {len(unknown)} column{'s' if len(unknown) > 1 else ''} "
            f"that Steward does not know{what}.",
            fix,
            row=1,
        )
    return names


@contextlib.contextmanager
def _records(source: ImportSource, position: Callable[[], int] | None = None):
    """Open the file and yield an iterator of (row number, {column: value}).

    Blank lines are skipped but still counted, so row numbers match what a
    spreadsheet program shows (the header is row 1).
    """
    with source.opener() as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        try:
            yield _iter_records(text)
        finally:
            text.detach()


def _iter_records(text: io.TextIOWrapper) -> Iterator[tuple[int, dict[str, str] | None]]:
    """Yields (row, values); values is None when the row has the wrong number of columns."""
    row = 1
    not_utf8 = (
        "The file is not UTF-8 text.",
        "Save it from your spreadsheet program as 'CSV UTF-8 (comma delimited)' and try again.",
    )
    try:
        reader = csv.reader(_limited_lines(text))
        try:
            header = next(reader)
        except StopIteration:
            raise _file_problem(
                "The file is empty.",
                f"Choose a CSV file whose first row is the header: {HEADER_LINE}",
            ) from None
        names = _header_columns(header)
        width = len(names)
        for cells in reader:
            row += 1
            if not cells or not any(cell.strip() for cell in cells):
                continue
            if len(cells) != width:
                yield row, None
                continue
            yield row, dict(zip(names, cells, strict=True))
    except UnicodeDecodeError:
        raise _file_problem(*not_utf8, row=row + 1) from None
    except _LineTooLong:
        raise _file_problem(
            f"A line is longer than {MAX_LINE_CHARS:,} characters, so it cannot be a row of "
            "a workforce export.",
            "Check that you chose the right file, and that it is a CSV file with one row per line.",
            row=row + 1,
        ) from None
    except csv.Error:
        raise _file_problem(
            "This row could not be read as CSV: a double quote is probably missing or misplaced.",
            "Put double quotes around any value that contains a comma, and make sure each "
            "opening quote has a closing one.",
            row=row + 1,
        ) from None


# --- Checking one row ----------------------------------------------------------


@dataclass
class ImportRow:
    """One row that passed the checks that need only the row itself."""

    row: int
    employee_number: str
    organisation_id: int
    ods_code: str
    registration_number: str
    legal_forenames: str
    legal_surname: str
    known_as: str
    previous_surnames: tuple[str, ...]
    date_of_birth: dt.date | None
    email: str
    role_title: str
    role_category: str
    start_date: dt.date
    end_date: dt.date | None
    is_interim: bool


@dataclass
class _Context:
    organisations: dict[str, int]  # ODS code -> organisation id
    only_organisation: Organisation | None
    today: dt.date = field(default_factory=clock.today)


def _parse_date(row: int, column: str, value: str, problems: list[Problem]) -> dt.date | None:
    label = DESCRIPTIONS[column]
    if not _DATE.match(value):
        hint = " It looks like a day/month/year date." if _UK_DATE.match(value) else ""
        problems.append(
            Problem(
                row,
                column,
                f"The date is not in the format YYYY-MM-DD.{hint}",
                f"Write {label} as year-month-day, like 2024-03-31.",
            )
        )
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(
            Problem(
                row,
                column,
                "The date does not exist (check the month and the day).",
                f"Write {label} as a real date, like 2024-03-31.",
            )
        )
        return None


def _public(value: str, pattern: re.Pattern, otherwise: str) -> str:
    """A public value to echo in a report, only if it looks like one (a shifted
    column could put restricted data where an ODS code should be)."""
    return value if pattern.match(value) else otherwise


def parse_row(
    row: int, values: dict[str, str] | None, context: _Context
) -> tuple[ImportRow | None, list[Problem]]:
    """Check one row on its own; the row (or None) and its problems."""
    if values is None:
        return None, [
            Problem(
                row,
                "",
                f"This row does not have {len(COLUMNS)} values, one for each column.",
                "Check for missing or extra commas, and put double quotes around any value "
                "that contains a comma.",
            )
        ]
    problems: list[Problem] = []
    v = {name: values[name].strip() for name in COLUMNS}
    for name in COLUMNS:
        value = v[name]
        if _CONTROL.search(value):
            problems.append(
                Problem(
                    row,
                    name,
                    "The value contains control characters that cannot be stored.",
                    "Remove the hidden characters: retype the value, or export the file again.",
                )
            )
        elif len(value) > MAX_LENGTHS[name]:
            problems.append(
                Problem(
                    row,
                    name,
                    f"The value is longer than {MAX_LENGTHS[name]} characters.",
                    f"Shorten {DESCRIPTIONS[name]} to {MAX_LENGTHS[name]} characters or fewer.",
                )
            )
        elif name in REQUIRED and not value:
            problems.append(
                Problem(row, name, "This value is missing.", f"Enter {DESCRIPTIONS[name]}.")
            )
    bad = {p.column for p in problems}

    ods = v["organisation_ods_code"].upper()
    organisation_id = None
    if "organisation_ods_code" not in bad:
        organisation_id = context.organisations.get(ods)
        only = context.only_organisation
        if organisation_id is None:
            problems.append(
                Problem(
                    row,
                    "organisation_ods_code",
                    "There is no NHS organisation with the ODS code "
                    f"{_public(ods, _ODS, 'in this row')}.",
                    "Check the ODS code against the NHS Organisation Data Service; "
                    "a trust's code has 3 characters, like RR8.",
                )
            )
        elif only is not None and organisation_id != only.pk:
            problems.append(
                Problem(
                    row,
                    "organisation_ods_code",
                    f"This row is for {_public(ods, _ODS, 'another organisation')}, but this "
                    "import is for "
                    f"{only.ods_code} only.",
                    f"Remove rows for other organisations, or enter {only.ods_code} if the "
                    "row is for your organisation.",
                )
            )

    number = clean_registration_number(v["registration_number"])
    if number and "registration_number" not in bad:
        trouble = registration_number_problem(number)
        if trouble:
            problems.append(
                Problem(
                    row,
                    "registration_number",
                    trouble,
                    "Copy the number from the register, or leave it blank for someone who "
                    "is not on the register yet.",
                )
            )

    category = ""
    if v["role_category"] and "role_category" not in bad:
        category = CATEGORIES.get(_category_key(v["role_category"]), "")
        if not category:
            problems.append(
                Problem(
                    row,
                    "role_category",
                    "This is not one of the role categories.",
                    f"Enter one of: {CATEGORY_LIST}.",
                )
            )

    start = end = birth = None
    if v["start_date"] and "start_date" not in bad:
        start = _parse_date(row, "start_date", v["start_date"], problems)
        if start is not None and start < NHS_FOUNDED:
            problems.append(
                Problem(
                    row,
                    "start_date",
                    "The start date is before the NHS began (5 July 1948).",
                    "Check the year of the start date.",
                )
            )
    if v["end_date"] and "end_date" not in bad:
        end = _parse_date(row, "end_date", v["end_date"], problems)
        if start is not None and end is not None and end < start:
            problems.append(
                Problem(
                    row,
                    "end_date",
                    "The end date is before the start date.",
                    "Make the end date the same as or after the start date, or leave it "
                    "blank if they are still in the role.",
                )
            )
    if v["date_of_birth"] and "date_of_birth" not in bad:
        birth = _parse_date(row, "date_of_birth", v["date_of_birth"], problems)
        if birth is not None and birth >= context.today:
            problems.append(
                Problem(
                    row,
                    "date_of_birth",
                    "The date of birth is not in the past.",
                    "Check the date of birth, or leave it blank.",
                )
            )
        elif birth is not None and birth.year < context.today.year - 110:
            problems.append(
                Problem(
                    row,
                    "date_of_birth",
                    "The date of birth is more than 110 years ago.",
                    "Check the year of birth, or leave it blank.",
                )
            )

    email = v["email"].lower()
    if email and "email" not in bad:
        try:
            _email_validator(email)
        except ValidationError:
            problems.append(
                Problem(
                    row,
                    "email",
                    "This is not a valid email address.",
                    "Enter an email address like name@example.nhs.uk, or leave it blank.",
                )
            )

    interim = INTERIM_VALUES.get(v["interim"].casefold())
    if interim is None and "interim" not in bad:
        problems.append(
            Problem(row, "interim", "Interim must be Y or N.", "Enter Y or N (blank means N).")
        )

    previous = tuple(
        dict.fromkeys(s.strip() for s in v["previous_surnames"].split(";") if s.strip())
    )
    if "previous_surnames" not in bad and (
        len(previous) > MAX_PREVIOUS_SURNAMES or any(len(s) > 200 for s in previous)
    ):
        problems.append(
            Problem(
                row,
                "previous_surnames",
                f"There are more than {MAX_PREVIOUS_SURNAMES} previous surnames, or one is "
                "longer than 200 characters.",
                "Separate previous surnames with semicolons, like Smith;Jones.",
            )
        )

    if problems:
        return None, problems
    return (
        ImportRow(
            row=row,
            employee_number=v["employee_number"],
            organisation_id=organisation_id,
            ods_code=ods,
            registration_number=number,
            legal_forenames=v["legal_forename"],
            legal_surname=v["legal_surname"],
            known_as=v["known_as"],
            previous_surnames=previous,
            date_of_birth=birth,
            email=email,
            role_title=v["role_title"],
            role_category=category,
            start_date=start,
            end_date=end,
            is_interim=bool(interim),
        ),
        [],
    )


# --- What the first pass remembers across rows ---------------------------------


class _Scratch:
    """A throw-away SQLite file for the first pass's memory of the whole file.

    Holding every employee number seen in a Python set would grow with the
    file; this stays flat. Employee numbers are restricted, so only a keyed
    hash of each is written.
    """

    def __init__(self, folder: str):
        self.db = sqlite3.connect(Path(folder) / "import-scratch.sqlite3", isolation_level=None)
        self.db.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-8000;
            CREATE TABLE employee (org INTEGER, key INTEGER, row INTEGER,
                                   PRIMARY KEY (org, key)) WITHOUT ROWID;
            CREATE TABLE person (org INTEGER, number TEXT, row INTEGER,
                                 PRIMARY KEY (org, number)) WITHOUT ROWID;
            CREATE TABLE invalid (row INTEGER PRIMARY KEY);
            """
        )
        self._salt = hashlib.sha256(folder.encode()).digest()
        self.db.execute("BEGIN")

    def _key(self, value: str) -> int:
        digest = hashlib.blake2b(value.encode(), digest_size=8, key=self._salt).digest()
        return int.from_bytes(digest, "big", signed=True)

    def first_row_with_employee(self, *, org: int, employee_number: str, row: int) -> int | None:
        """Remember the employee number; the earlier row that had it, if any."""
        key = self._key(employee_number.casefold())
        cursor = self.db.execute("INSERT OR IGNORE INTO employee VALUES (?, ?, ?)", (org, key, row))
        if cursor.rowcount:
            return None
        return self.db.execute(
            "SELECT row FROM employee WHERE org = ? AND key = ?", (org, key)
        ).fetchone()[0]

    def first_row_with_person(self, *, org: int, number: str, row: int) -> int | None:
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO person VALUES (?, ?, ?)", (org, number, row)
        )
        if cursor.rowcount:
            return None
        return self.db.execute(
            "SELECT row FROM person WHERE org = ? AND number = ?", (org, number)
        ).fetchone()[0]

    def mark_invalid(self, row: int) -> bool:
        """True if the row was not already marked."""
        return bool(self.db.execute("INSERT OR IGNORE INTO invalid VALUES (?)", (row,)).rowcount)

    def invalid_between(self, first: int, last: int) -> set[int]:
        return {
            r
            for (r,) in self.db.execute(
                "SELECT row FROM invalid WHERE row BETWEEN ? AND ?", (first, last)
            )
        }

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("COMMIT")
        self.db.close()


class _Report:
    """Problems as they are found: counted, the first kept, all written to a file
    (created at the first problem, so a clean file leaves no report behind)."""

    def __init__(self, scratch: _Scratch, path: str | Path | None = None):
        self.scratch = scratch
        self.path = path
        self.kept: list[dict] = []
        self.count = 0
        self.rows_invalid = 0
        self.file_problem = False
        self.new_people = 0
        self._file = None
        self._writer = None

    def add(self, problem: Problem) -> None:
        self.count += 1
        if len(self.kept) < MAX_STORED_PROBLEMS:
            self.kept.append(problem.as_dict())
        if self.path and self._writer is None:
            self._file = open(self.path, "w", newline="", encoding="utf-8")  # noqa: SIM115
            self._writer = csv.writer(self._file)
            self._writer.writerow(REPORT_COLUMNS)
        if self._writer:
            row = "file" if problem.row is None else problem.row
            self._writer.writerow([row, problem.column, problem.problem, problem.fix])
        if problem.row is None or problem.row == 1:
            self.file_problem = True
        elif self.scratch.mark_invalid(problem.row):
            self.rows_invalid += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def _check_batch(batch: list[ImportRow], scratch: _Scratch) -> tuple[list[Problem], int]:
    """Checks that need other rows of the file or the register (one batch at a time).
    Returns the problems and how many rows would add someone new."""
    problems: list[Problem] = []
    for item in batch:
        earlier = scratch.first_row_with_employee(
            org=item.organisation_id, employee_number=item.employee_number, row=item.row
        )
        if earlier is not None:
            problems.append(
                Problem(
                    item.row,
                    "employee_number",
                    f"Row {earlier} has the same employee number for the same organisation.",
                    "Give each person one row per organisation, each with their own "
                    "employee number.",
                )
            )
        if item.registration_number:
            earlier = scratch.first_row_with_person(
                org=item.organisation_id, number=item.registration_number, row=item.row
            )
            if earlier is not None:
                problems.append(
                    Problem(
                        item.row,
                        "registration_number",
                        f"Row {earlier} has the same registration number "
                        f"{item.registration_number} for the same organisation.",
                        "Give each person one row per organisation.",
                    )
                )

    numbers = {item.registration_number for item in batch if item.registration_number}
    on_register = {
        number: (surname, merged_into)
        for number, surname, merged_into in Registrant.objects.filter(
            registration_number__in=numbers
        ).values_list("registration_number", "legal_surname", "merged_into__registration_number")
    }
    holders = _staff_number_holders(batch)
    new_people = sum(
        1
        for item in batch
        if not item.registration_number
        and (item.organisation_id, item.employee_number) not in holders
    )
    for item in batch:
        number = item.registration_number
        holder = holders.get((item.organisation_id, item.employee_number))
        if number:
            if number not in on_register:
                problems.append(
                    Problem(
                        item.row,
                        "registration_number",
                        f"No one on the register has the registration number {number}.",
                        "Check the number against the register, or leave it blank for someone "
                        "who is not on the register yet.",
                    )
                )
                continue
            surname, merged_into = on_register[number]
            if merged_into:
                problems.append(
                    Problem(
                        item.row,
                        "registration_number",
                        f"The record {number} was merged into {merged_into}.",
                        f"Use the registration number {merged_into}.",
                    )
                )
                continue
            known_surnames = {search_text(s) for s in (item.legal_surname, *item.previous_surnames)}
            if search_text(surname) not in known_surnames:
                problems.append(
                    Problem(
                        item.row,
                        "registration_number",
                        f"The register has {number} for someone with a different surname.",
                        "Check the registration number. If the person changed their surname, "
                        "put the surname the register has in previous_surnames.",
                    )
                )
                continue
            if holder is not None and holder != number:
                problems.append(
                    Problem(
                        item.row,
                        "employee_number",
                        "Someone else on the register already has this employee number at "
                        "this organisation.",
                        "Check the employee number and the registration number.",
                    )
                )
    return problems, new_people


def _staff_number_holders(batch: list[ImportRow]) -> dict[tuple[int, str], str]:
    """(organisation id, employee number) -> registration number, for the batch's rows."""
    wanted = {(item.organisation_id, item.employee_number) for item in batch}
    return _staff_numbers(wanted, "registrant__registration_number")


def _staff_numbers(wanted: set[tuple[int, str]], value: str) -> dict[tuple[int, str], object]:
    """(organisation id, employee number) -> ``value`` of the matching staff numbers.

    One query with two IN lists, filtered exactly here: an OR of one clause per
    organisation costs more to build than to run when a file covers hundreds.
    """
    if not wanted:
        return {}
    rows = StaffNumber.objects.filter(
        organisation_id__in={org for org, _ in wanted},
        employee_number__in={employee for _, employee in wanted},
    ).values_list("organisation_id", "employee_number", value)
    return {(org, employee): v for org, employee, v in rows if (org, employee) in wanted}


# --- Writing one batch -----------------------------------------------------------


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Values must already be in database form (see ``_db_date``); :data:`INSERT_FIELDS`
    lists every column of each model, which a test checks against the models."""
    insert_rows(model, fields, rows, prepared=True)


# Every column that the bulk inserts write, per model (the primary key aside).
INSERT_FIELDS = {
    Registrant: (
        "registration_number", "legal_forenames", "legal_surname", "known_as", "status",
        "status_since", "date_of_birth", "email", "phone", "address", "user", "merged_into",
        "created_at", "updated_at", "version", "surname_key", "names_key",
    ),
    StatusChange: (
        "registrant", "from_status", "to_status", "effective_on", "reason", "actor",
        "actor_label", "recorded_at",
    ),
    StaffNumber: ("registrant", "organisation", "employee_number"),
    PreviousName: ("registrant", "forenames", "surname", "names_key", "recorded_at"),
    CareerRole: (
        "registrant", "organisation", "title", "category", "start_date", "end_date",
        "is_interim", "reason_for_leaving", "settlement_agreement",
        "settlement_confidentiality_terms", "created_at", "updated_at", "version",
    ),
    AuditEvent: (
        "seq", "occurred_at", "actor", "actor_label", "action", "subject_type", "subject_id",
        "reason", "payload", "prev_hash", "entry_hash",
    ),
}  # fmt: skip


def _db_date(value: dt.date | None):
    return connection.ops.adapt_datefield_value(value)


def _db_datetime(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


# The payload keys the bulk path records: none names restricted data (a test
# checks them against the audit trail's list), so the per-event check that
# audit_record makes can be made once, here, instead of a million times.
BULK_PAYLOAD_KEYS = frozenset(
    {"registration_number", "status", "previous_name", "organisation", "career_role"}
    | {"category", "start_date", "end_date"}
)


def _payload_json(payload: dict) -> str:
    """The canonical JSON of a payload of strings, numbers, None and dates: what
    ``audit_record`` stores, without its general-purpose conversion per value."""
    if not payload.keys() <= BULK_PAYLOAD_KEYS:
        return audit_services._payload_text(payload)
    return canonical._encode(  # the canonical encoder itself
        {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in payload.items()}
    )


def _audit_many(*, actor, reason: str, items: list[tuple[str, str, dict]]) -> None:
    """Append many audit events at once: the events ``audit_record`` would write
    one by one (same chain lock, same refusal of restricted payload keys, same
    hashes), in one insert. ``items`` are (action, registrant id, payload).

    TODO(audit owner): this belongs in steward.audit.services as a public
    ``audit_record_many``; it uses that module's helpers until then.
    """
    if not items:
        return
    user, actor_label = audit_services._actor(actor)
    actor_id = user.pk if user else None
    subject_type = Registrant._meta.label_lower
    payloads = [_payload_json(payload) for _, _, payload in items]
    with transaction.atomic():
        audit_services._lock(audit_services.CHAIN_LOCK_KEY, "default")
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "entry_hash").first()
        seq, prev_hash = last if last else (0, canonical.GENESIS_HASH)
        occurred_at = clock.now()
        stamp = canonical.format_timestamp(occurred_at)
        stored_at = _db_datetime(occurred_at)
        rows = []
        for (action, subject_id, _), payload in zip(items, payloads, strict=True):
            seq += 1
            entry_hash = canonical.entry_hash(
                seq=seq,
                occurred_at=stamp,
                actor_id=actor_id,
                actor_label=actor_label,
                action=action,
                subject_type=subject_type,
                subject_id=subject_id,
                reason=reason,
                payload=payload,
                prev_hash=prev_hash,
            )
            rows.append(
                (seq, stored_at, actor_id, actor_label, action, subject_type, subject_id)
                + (reason, payload, prev_hash, entry_hash)
            )
            prev_hash = entry_hash
        _insert(AuditEvent, INSERT_FIELDS[AuditEvent], rows)


def _role_key(registrant_id: int, organisation_id: int, title: str, start: dt.date) -> tuple:
    """A career role is the same role if the person, organisation, title (case and
    spacing aside) and start date match."""
    return (registrant_id, organisation_id, " ".join(title.casefold().split()), start)


class _BatchWriter:
    def __init__(self, *, actor, reason: str, organisations_by_id: dict[int, str]):
        self.actor = actor
        self.reason = reason
        self.ods = organisations_by_id
        self._organisations: dict[int, Organisation] = {}

    def organisation(self, pk: int) -> Organisation:
        if pk not in self._organisations:
            self._organisations[pk] = Organisation.objects.get(pk=pk)
        return self._organisations[pk]

    def write(self, rows: list[ImportRow]) -> _Counts:
        counts = _Counts()
        numbers = {r.registration_number for r in rows if r.registration_number}
        staff_holders = _staff_numbers(
            {(r.organisation_id, r.employee_number) for r in rows}, "registrant_id"
        )
        registrants = {
            r.pk: r
            for r in Registrant.objects.filter(
                Q(registration_number__in=numbers) | Q(pk__in=set(staff_holders.values()))
            )
        }
        by_number = {r.registration_number: r for r in registrants.values()}
        orgs = {r.organisation_id for r in rows}
        previous: dict[int, set[str]] = {}
        for registrant_id, surname in PreviousName.objects.filter(
            registrant_id__in=registrants
        ).values_list("registrant_id", "surname"):
            previous.setdefault(registrant_id, set()).add(search_text(surname))
        staff = {
            (registrant_id, org): employee
            for registrant_id, org, employee in StaffNumber.objects.filter(
                registrant_id__in=registrants, organisation_id__in=orgs
            ).values_list("registrant_id", "organisation_id", "employee_number")
        }
        roles = {
            _role_key(role.registrant_id, role.organisation_id, role.title, role.start_date): role
            for role in CareerRole.objects.filter(
                registrant_id__in=registrants, organisation_id__in=orgs
            )
        }

        new_rows = []
        for row in rows:
            if row.registration_number:
                registrant = by_number[row.registration_number]
            else:
                holder = staff_holders.get((row.organisation_id, row.employee_number))
                registrant = registrants.get(holder) if holder else None
            if registrant is None:
                new_rows.append(row)
                continue
            # No savepoint per row: any error rolls back the whole batch.
            if self._update(row, registrant, previous, staff, roles):
                counts.updated += 1
            else:
                counts.unchanged += 1
        self._create(new_rows)
        counts.created += len(new_rows)
        return counts

    def _update(self, row, registrant, previous, staff, roles) -> bool:
        """Apply one row to an existing record through the services; True if anything changed."""
        actor, reason = self.actor, self.reason
        changed = False
        changes = {}
        if row.legal_forenames != registrant.legal_forenames:
            changes["legal_forenames"] = row.legal_forenames
        old_surname = registrant.legal_surname
        if row.legal_surname != old_surname:
            changes["legal_surname"] = row.legal_surname
        # Blank optional values leave the record as it is: an export that
        # leaves a column out must not erase what the register holds.
        if row.known_as and row.known_as != registrant.known_as:
            changes["known_as"] = row.known_as
        if row.date_of_birth and row.date_of_birth != registrant.date_of_birth:
            changes["date_of_birth"] = row.date_of_birth
        if row.email and row.email != registrant.email:
            changes["email"] = row.email
        if changes:
            services.registrant_update(
                registrant=registrant,
                expected_version=registrant.version,
                changes=changes,
                actor=actor,
                reason=reason,
            )
            changed = True

        known = previous.setdefault(registrant.pk, set())
        surnames = list(row.previous_surnames)
        if "legal_surname" in changes:
            surnames.append(old_surname)  # keep the old surname searchable by the registrar
        for surname in surnames:
            key = search_text(surname)
            if key and key not in known and key != search_text(registrant.legal_surname):
                services.previous_name_add(
                    registrant=registrant,
                    forenames=registrant.legal_forenames,
                    surname=surname,
                    actor=actor,
                    reason=reason,
                )
                known.add(key)
                changed = True

        if staff.get((registrant.pk, row.organisation_id)) != row.employee_number:
            services.staff_number_set(
                registrant=registrant,
                organisation=self.organisation(row.organisation_id),
                employee_number=row.employee_number,
                actor=actor,
            )
            staff[(registrant.pk, row.organisation_id)] = row.employee_number
            changed = True

        key = _role_key(registrant.pk, row.organisation_id, row.role_title, row.start_date)
        role = roles.get(key)
        if role is None:
            roles[key] = services.career_role_add(
                registrant=registrant,
                organisation=self.organisation(row.organisation_id),
                title=row.role_title,
                category=row.role_category,
                start_date=row.start_date,
                end_date=row.end_date,
                is_interim=row.is_interim,
                actor=actor,
                reason=reason,
            )
            if row.end_date is None:
                board_role_started(role=roles[key], actor=actor)
            return True
        role_changes = {
            name: value
            for name, value in (
                ("category", row.role_category),
                ("end_date", row.end_date),
                ("is_interim", row.is_interim),
            )
            if getattr(role, name) != value
        }
        if role_changes:
            ended = role.end_date is None and row.end_date is not None
            roles[key] = services.career_role_update(
                role=role,
                expected_version=role.version,
                changes=role_changes,
                actor=actor,
                reason=reason,
            )
            if ended:
                board_role_ended(role=roles[key], actor=actor)
            changed = True
        return changed

    def _create(self, rows: list[ImportRow]) -> None:
        """New people, in bulk: the rows registrant_create, staff_number_set,
        previous_name_add and career_role_add would write for each, and the same
        audit events, with one insert per table."""
        if not rows:
            return
        actor, reason = self.actor, self.reason
        user = actor_user(actor)
        actor_id = user.pk if user else None
        actor_label = str(actor or "system")
        now, today = clock.now(), clock.today()
        db_now, db_today = _db_datetime(now), _db_date(today)
        registered = RegisterStatus.REGISTERED.value
        numbers = services.registration_numbers_issue(len(rows))
        people = []
        for row, number in zip(rows, numbers, strict=True):
            # The model's own rule for the search columns, without building a model.
            person = SimpleNamespace(
                legal_forenames=row.legal_forenames,
                legal_surname=row.legal_surname,
                known_as=row.known_as,
            )
            Registrant.refresh_search_keys(person)
            people.append(
                (number, row.legal_forenames, row.legal_surname, row.known_as, registered)
                + (db_today, _db_date(row.date_of_birth), row.email, "", "", None, None)
                + (db_now, db_now, 1, person.surname_key, person.names_key)
            )
        _insert(Registrant, INSERT_FIELDS[Registrant], people)
        ids = dict(
            Registrant.objects.filter(registration_number__in=numbers).values_list(
                "registration_number", "pk"
            )
        )
        person_ids = [ids[number] for number in numbers]

        _insert(
            StatusChange,
            INSERT_FIELDS[StatusChange],
            [
                (pk, "", registered, db_today, reason, actor_id, actor_label, db_now)
                for pk in person_ids
            ],
        )
        _insert(
            StaffNumber,
            INSERT_FIELDS[StaffNumber],
            [
                (pk, row.organisation_id, row.employee_number)
                for row, pk in zip(rows, person_ids, strict=True)
            ],
        )
        names = []
        for row, pk in zip(rows, person_ids, strict=True):
            current = search_text(row.legal_surname)
            for surname in row.previous_surnames:
                key = search_text(surname)
                if key and key != current:
                    names_key = search_text(f"{row.legal_forenames} {surname}")
                    names.append((pk, row.legal_forenames, surname, names_key, db_now))
        _insert(PreviousName, INSERT_FIELDS[PreviousName], names)
        _insert(
            CareerRole,
            INSERT_FIELDS[CareerRole],
            [
                (pk, row.organisation_id, row.role_title, row.role_category)
                + (_db_date(row.start_date), _db_date(row.end_date), row.is_interim, "")
                + (False, False, db_now, db_now, 1)
                for row, pk in zip(rows, person_ids, strict=True)
            ],
        )
        role_ids = dict(
            CareerRole.objects.filter(registrant_id__in=person_ids).values_list(
                "registrant_id", "pk"
            )
        )
        name_ids: dict[int, list[int]] = {}
        if names:
            for registrant_id, pk in (
                PreviousName.objects.filter(registrant_id__in={n[0] for n in names})
                .order_by("pk")
                .values_list("registrant_id", "pk")
            ):
                name_ids.setdefault(registrant_id, []).append(pk)

        events = []
        for row, number, pk in zip(rows, numbers, person_ids, strict=True):
            ods, subject = self.ods[row.organisation_id], str(pk)
            events.append(
                (
                    "register.registrant.created",
                    subject,
                    {"registration_number": number, "status": registered},
                )
            )
            events.extend(
                ("register.previous_name.added", subject, {"previous_name": name_pk})
                for name_pk in name_ids.get(pk, ())
            )
            events.append(("register.staff_number.set", subject, {"organisation": ods}))
            events.append(
                (
                    "register.career_role.added",
                    subject,
                    {
                        "career_role": role_ids[pk],
                        "organisation": ods,
                        "category": row.role_category,
                        "start_date": row.start_date,
                        "end_date": row.end_date,
                    },
                )
            )
        _audit_many(actor=actor, reason=reason, items=events)


# --- Reading runs ----------------------------------------------------------------


def import_organisations_for(*, user) -> list[Organisation]:
    """The organisations whose roster ``user`` may import (their employer roles)."""
    from steward.register.rules import _employer_organisation_ids

    return list(
        Organisation.objects.filter(pk__in=_employer_organisation_ids(user)).order_by("name")
    )


def import_run_list(*, organisation: Organisation, limit: int = 10) -> list[ImportRun]:
    return list(
        ImportRun.objects.filter(organisation=organisation).order_by("-started_at", "-pk")[:limit]
    )


def import_run_get(*, organisation: Organisation | None, pk: int) -> ImportRun | None:
    return (
        ImportRun.objects.select_related("organisation")
        .filter(pk=pk, organisation=organisation)
        .first()
    )


def import_run_get_for(*, user, pk: int) -> ImportRun | None:
    """A run of an organisation whose roster ``user`` may import; None otherwise."""
    return (
        ImportRun.objects.select_related("organisation")
        .filter(pk=pk, organisation__in=import_organisations_for(user=user))
        .first()
    )


def report_table_rows(report: list[dict]) -> list[list[dict]]:
    """The validation report as rows of the NHS table component."""
    return [
        [
            {"text": "Whole file" if item.get("row") is None else str(item["row"])},
            {"text": item.get("column") or "All"},
            {"text": item.get("problem", "")},
            {"text": item.get("fix", "")},
        ]
        for item in report
    ]


# --- The import ----------------------------------------------------------------


def _organisation_codes() -> dict[str, int]:
    return dict(Organisation.objects.values_list("ods_code", "pk"))


def _run_start(
    *, sha256: str, source: ImportSource, actor, organisation, dry_run: bool, skip_invalid: bool
) -> ImportRun:
    user = actor_user(actor)
    label = f"user:{user.pk}" if user else str(actor or "system")
    if dry_run:
        # A dry run writes nothing at all, not even a record of the run.
        return ImportRun(
            organisation=organisation,
            started_by=user,
            actor_label=label,
            filename=source.name[:255],
            file_sha256=sha256,
            dry_run=True,
            skip_invalid=skip_invalid,
        )
    unfinished = (
        ImportRun.objects.filter(
            file_sha256=sha256,
            organisation=organisation,
            dry_run=False,
            skip_invalid=skip_invalid,
            status__in=[ImportStatus.VALIDATING, ImportStatus.IMPORTING, ImportStatus.FAILED],
        )
        .order_by("-started_at", "-pk")
        .first()
    )
    if unfinished is not None:
        ImportRun.objects.filter(pk=unfinished.pk).update(
            status=ImportStatus.VALIDATING, finished_at=None
        )
        unfinished.refresh_from_db()
        return unfinished
    return ImportRun.objects.create(
        organisation=organisation,
        started_by=user,
        actor_label=label,
        filename=source.name[:255],
        file_sha256=sha256,
        skip_invalid=skip_invalid,
    )


def _save(run: ImportRun, **values) -> None:
    for name, value in values.items():
        setattr(run, name, value)
    if run.pk:
        ImportRun.objects.filter(pk=run.pk).update(**values)


def _log_failure(run: ImportRun, exc: BaseException) -> None:
    # The exception's message can quote a row (a database error names the
    # values of a key), so the log gets its type and where it happened only.
    where = "".join(traceback.format_tb(exc.__traceback__)[-5:])
    logger.error(
        "Import %s stopped after %s rows: %s\n%s",
        run.pk or "(dry run)",
        run.rows_done,
        type(exc).__name__,
        where,
    )


def register_import(
    *,
    source: ImportSource,
    actor,
    organisation: Organisation | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    report_path: str | Path | None = None,
    progress: Callable[[str, int, int | None], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportRun:
    """Check a workforce-system CSV file and, if it is good, apply it to the register.

    ``organisation`` limits the file to that organisation (employers may import
    for their own only). An invalid file changes nothing and the run's status
    is ``invalid``, unless ``skip_invalid``: then the good rows are imported.
    ``dry_run`` checks and counts what would change, writes nothing and returns
    an unsaved run. ``report_path`` receives every problem as CSV (row, column,
    problem, fix). ``progress(stage, done, total)`` is called as rows go by.

    Raises :class:`ImportStopped` if an error stops the import part-way.
    """
    try:
        sha256 = _file_sha256(source)
    except FileProblem as exc:
        sha256 = ""
        first_problem = exc.problem
    else:
        first_problem = None
    run = _run_start(
        sha256=sha256,
        source=source,
        actor=actor,
        organisation=organisation,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    try:
        with tempfile.TemporaryDirectory(prefix="steward-import-") as folder:
            return _import(
                run=run,
                source=source,
                actor=actor,
                organisation=organisation,
                report_path=report_path,
                progress=progress or (lambda stage, done, total: None),
                batch_size=batch_size,
                folder=folder,
                first_problem=first_problem,
            )
    except ImportStopped:
        raise
    except Exception as exc:
        _save(run, status=ImportStatus.FAILED, finished_at=clock.now())
        _log_failure(run, exc)
        raise ImportStopped(run) from exc
    except BaseException as exc:  # Ctrl-C: whole batches are saved; say where it stopped
        _save(run, status=ImportStatus.FAILED, finished_at=clock.now())
        _log_failure(run, exc)
        raise


def _import(
    *, run, source, actor, organisation, report_path, progress, batch_size, folder, first_problem
):
    context = _Context(organisations=_organisation_codes(), only_organisation=organisation)
    scratch = _Scratch(folder)
    report = _Report(scratch, report_path)
    try:
        rows_total = 0
        if first_problem is not None:
            report.add(first_problem)
        else:
            rows_total = _check_file(source, context, scratch, report, progress, batch_size)
        if not report.file_problem and report.new_people:
            left = MAX_SERIAL - (
                RegisterSequence.objects.filter(name="registration")
                .values_list("last_value", flat=True)
                .first()
                or 0
            )
            if report.new_people > left:
                report.add(
                    Problem(
                        None,
                        "",
                        f"The file would add {report.new_people:,} people to the register, "
                        f"but only {left:,} registration numbers are left.",
                        "Ask the registrar to extend the registration number range before "
                        "importing this file.",
                    )
                )
    finally:
        report.close()

    _save(
        run,
        rows_total=rows_total,
        rows_invalid=report.rows_invalid,
        report=report.kept,
    )
    if report.file_problem or (report.count and not run.skip_invalid):
        _save(run, status=ImportStatus.INVALID, finished_at=clock.now())
        scratch.close()
        logger.info(
            "Import %s refused: %s problems in %s rows",
            run.pk or "(dry run)",
            report.count,
            report.rows_invalid,
        )
        return run

    _save(run, status=ImportStatus.IMPORTING)
    reason = (
        f"Bulk import {run.pk} from a workforce system"
        if run.pk
        else "Bulk import from a workforce system (dry run)"
    )
    writer = _BatchWriter(
        actor=actor,
        reason=reason,
        organisations_by_id={pk: ods for ods, pk in context.organisations.items()},
    )
    _write_file(run, source, context, scratch, writer, progress, batch_size)
    scratch.close()

    with transaction.atomic():
        _save(run, status=ImportStatus.COMPLETE, finished_at=clock.now())
        if run.pk:
            audit_record(
                actor=actor,
                action="register.import.completed",
                reason=reason,
                subject=run,
                payload={
                    "organisation": organisation.ods_code if organisation else None,
                    "file_sha256": run.file_sha256,
                    "rows_total": run.rows_total,
                    "rows_invalid": run.rows_invalid,
                    "rows_created": run.rows_created,
                    "rows_updated": run.rows_updated,
                    "rows_unchanged": run.rows_unchanged,
                },
            )
    logger.info(
        "Import %s complete: %s created, %s updated, %s unchanged, %s invalid",
        run.pk or "(dry run)",
        run.rows_created,
        run.rows_updated,
        run.rows_unchanged,
        run.rows_invalid,
    )
    return run


def _check_file(source, context, scratch, report, progress, batch_size) -> int:
    """The first pass: every problem reported, nothing written. Returns the number of rows."""
    rows_total = 0
    batch: list[ImportRow] = []
    pending: list[Problem] = []

    def flush():
        found, new_people = _check_batch(batch, scratch)
        found += pending
        report.new_people += new_people
        for problem in sorted(found, key=_report_order):
            report.add(problem)
        scratch.commit()
        batch.clear()
        pending.clear()
        progress("Checking rows", rows_total, None)

    try:
        with _records(source) as records:
            for row_number, values in records:
                rows_total += 1
                item, problems = parse_row(row_number, values, context)
                pending.extend(problems)
                if item is not None:
                    batch.append(item)
                if rows_total % batch_size == 0:
                    flush()
            flush()
    except FileProblem as exc:
        pending.clear()
        report.add(exc.problem)
    if rows_total == 0 and not report.count:
        report.add(
            Problem(
                None,
                "",
                "The file has a header but no rows.",
                "Export the file again with at least one person in it.",
            )
        )
    return rows_total


def _write_file(run, source, context, scratch, writer, progress, batch_size) -> None:
    """The second pass: batches of rows, each written in its own transaction
    together with the run's progress. A resumed run skips the rows already done."""
    skip = run.rows_done
    seen = 0
    batch: list[tuple[int, dict[str, str] | None]] = []
    total = run.rows_total

    def flush():
        if not batch:
            return
        invalid = scratch.invalid_between(batch[0][0], batch[-1][0])
        rows = []
        for row_number, values in batch:
            if row_number in invalid:
                continue
            item, problems = parse_row(row_number, values, context)
            if item is not None and not problems:
                rows.append(item)
        with transaction.atomic():
            counts = writer.write(rows)
            _save(
                run,
                rows_done=run.rows_done + len(batch),
                rows_created=run.rows_created + counts.created,
                rows_updated=run.rows_updated + counts.updated,
                rows_unchanged=run.rows_unchanged + counts.unchanged,
            )
            if run.dry_run:
                transaction.set_rollback(True)
        batch.clear()
        progress("Importing rows", run.rows_done, total)

    progress("Importing rows", run.rows_done, total)
    with _records(source) as records:
        for record in records:
            seen += 1
            if seen <= skip:
                continue
            batch.append(record)
            if len(batch) >= batch_size:
                flush()
        flush()
