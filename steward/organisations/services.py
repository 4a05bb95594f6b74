"""Every write to organisations, regions and successions.

The reference data (``data/*.csv``) is loaded by
:func:`organisations_load_reference_data`; single successions recorded by
people go through :func:`succession_record`. Both validate first, write in one
transaction and record an audit event.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from steward.audit.services import audit_record
from steward.organisations.models import (
    Organisation,
    OrganisationType,
    Region,
    Succession,
    SuccessionKind,
)
from steward.organisations.search import search_text

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE = "regions.csv"
ORGANISATIONS_FILE = "nhs_organisations.csv"
REORGANISATIONS_FILE = "reorganisations.csv"

ODS_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
REGION_CODE = re.compile(r"^Y[0-9]{2}$")
MAX_ERRORS_SHOWN = 50

# (stage, done, total): lets the command line draw a progress bar.
Progress = Callable[[str, int, int], None]


class ReferenceDataError(Exception):
    """The reference files are not valid; nothing was written."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        lines = "\n".join(f"- {error}" for error in shown)
        if more:
            lines += f"\n- and {more} more"
        noun = "problem" if len(errors) == 1 else "problems"
        super().__init__(
            f"The reference data has {len(errors)} {noun}, so nothing was loaded:\n{lines}"
        )


@dataclass(frozen=True)
class LoadResult:
    """What a reference data load changed, and how many records the files hold."""

    regions_created: int = 0
    regions_updated: int = 0
    organisations_created: int = 0
    organisations_updated: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    regions_in_files: int = 0
    organisations_in_files: int = 0
    successions_in_files: int = 0

    @property
    def created(self) -> int:
        return self.regions_created + self.organisations_created + self.successions_created

    @property
    def updated(self) -> int:
        return self.regions_updated + self.organisations_updated + self.successions_updated

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def as_payload(self) -> dict[str, int]:
        return {
            "regions_created": self.regions_created,
            "regions_updated": self.regions_updated,
            "organisations_created": self.organisations_created,
            "organisations_updated": self.organisations_updated,
            "successions_created": self.successions_created,
            "successions_updated": self.successions_updated,
            "regions_in_files": self.regions_in_files,
            "organisations_in_files": self.organisations_in_files,
            "successions_in_files": self.successions_in_files,
        }


# --- Reading and checking the files -------------------------------------------


@dataclass
class _RegionRow:
    code: str
    name: str
    where: str


@dataclass
class _OrganisationRow:
    ods_code: str
    name: str
    org_type: str
    region_name: str
    icb_ods_code: str
    where: str
    # Dates are set only when a file gives them; the loader never clears one.
    dates: dict[str, dt.date] = field(default_factory=dict)


@dataclass
class _SuccessionRow:
    predecessor: str
    successor: str
    kind: str
    effective_on: dt.date
    note: str
    where: str


@dataclass
class _ReferenceData:
    regions: list[_RegionRow]
    organisations: dict[str, _OrganisationRow]
    successions: list[_SuccessionRow]
    checksums: dict[str, str]


def _read_rows(
    path: Path, required: set[str], errors: list[str]
) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield ("file line N", row) for each data row; report unreadable files in ``errors``."""
    name = path.name
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [column.strip() for column in (reader.fieldnames or [])]
            missing = sorted(required - set(header))
            if missing:
                errors.append(f"{name}: the header is missing the column(s) {', '.join(missing)}.")
                return
            reader.fieldnames = header
            for row in reader:
                where = f"{name} line {reader.line_num}"
                if None in row:
                    errors.append(f"{where}: the row has more values than the header has columns.")
                    continue
                yield where, {key: (value or "").strip() for key, value in row.items()}
    except FileNotFoundError:
        errors.append(f"{name}: the file is missing.")
    except UnicodeDecodeError:
        errors.append(f"{name}: the file is not UTF-8 text.")
    except csv.Error as exc:
        errors.append(f"{name}: the file is not valid CSV ({exc}).")


def _parse_date(value: str, *, column: str, where: str, errors: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(f"{where}: {column} '{value}' is not a date like 2026-04-01.")
        return None


def _check_organisation(
    row: dict[str, str], *, where: str, regions: set[str], errors: list[str]
) -> _OrganisationRow | None:
    ods_code = row.get("ods_code", "").upper()
    label = f"{where} ({ods_code or 'no ODS code'})"
    ok = True
    if not ODS_CODE.match(ods_code):
        errors.append(f"{label}: ods_code must be 3 to 10 letters or digits.")
        ok = False
    name = row.get("name", "")
    if not name or len(name) > 200:
        errors.append(f"{label}: name must be given, in 200 characters or fewer.")
        ok = False
    org_type = row.get("org_type", "")
    if org_type not in OrganisationType.values:
        errors.append(
            f"{label}: unknown org_type '{org_type}'. "
            f"Use one of {', '.join(OrganisationType.values)}."
        )
        ok = False
    region_name = row.get("region", "")
    if region_name and region_name not in regions:
        errors.append(f"{label}: unknown region '{region_name}'.")
        ok = False
    elif (
        not region_name
        and org_type in OrganisationType.values
        and (org_type != OrganisationType.NATIONAL_BODY)
    ):
        errors.append(f"{label}: region is missing (only a national body has none).")
        ok = False
    icb_ods_code = row.get("icb_ods_code", "").upper()
    if icb_ods_code and org_type in (OrganisationType.ICB, OrganisationType.NATIONAL_BODY):
        errors.append(f"{label}: an {org_type} row must leave icb_ods_code empty.")
        ok = False
    dates: dict[str, dt.date] = {}
    for column in ("opened_on", "closed_on"):
        if row.get(column):
            parsed = _parse_date(row[column], column=column, where=label, errors=errors)
            if parsed is None:
                ok = False
            else:
                dates[column] = parsed
    if not ok:
        return None
    return _OrganisationRow(
        ods_code=ods_code,
        name=name,
        org_type=org_type,
        region_name=region_name,
        icb_ods_code=icb_ods_code,
        where=label,
        dates=dates,
    )


def _find_cycle(edges: list[tuple[str, str]]) -> list[str] | None:
    """A chain of codes that leads back to its start, if the successions have one."""
    graph: dict[str, list[str]] = {}
    for predecessor, successor in edges:
        graph.setdefault(predecessor, []).append(successor)
    done: set[str] = set()
    for start in graph:
        if start in done:
            continue
        # Depth-first walk with an explicit stack: (node, path to it).
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, []):
                if nxt in path:
                    return [*path[path.index(nxt) :], nxt]
                if nxt not in done:
                    stack.append((nxt, [*path, nxt]))
        done.add(start)
    return None


def _checksum(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _read_reference_data(data_dir: Path) -> _ReferenceData:
    errors: list[str] = []

    regions: list[_RegionRow] = []
    seen_region_codes: set[str] = set()
    seen_region_names: set[str] = set()
    for where, row in _read_rows(data_dir / REGIONS_FILE, {"code", "name"}, errors):
        code, name = row["code"].upper(), row["name"]
        if not REGION_CODE.match(code):
            errors.append(f"{where}: region code '{code}' must look like Y56.")
        elif not name:
            errors.append(f"{where} ({code}): the region has no name.")
        elif code in seen_region_codes or name in seen_region_names:
            errors.append(f"{where} ({code}): duplicate region code or name '{name}'.")
        else:
            seen_region_codes.add(code)
            seen_region_names.add(name)
            regions.append(_RegionRow(code=code, name=name, where=where))

    organisations: dict[str, _OrganisationRow] = {}

    def add_organisation(row: dict[str, str], where: str) -> None:
        checked = _check_organisation(row, where=where, regions=seen_region_names, errors=errors)
        if checked is None:
            return
        if checked.ods_code in organisations:
            first = organisations[checked.ods_code].where
            errors.append(f"{checked.where}: duplicate ODS code, first seen at {first}.")
            return
        organisations[checked.ods_code] = checked

    organisation_columns = {"ods_code", "name", "org_type", "icb_ods_code", "region"}
    for where, row in _read_rows(data_dir / ORGANISATIONS_FILE, organisation_columns, errors):
        add_organisation(row, where)

    reorganisation_columns = {
        "record_type", "ods_code", "name", "org_type", "region", "opened_on", "closed_on",
        "successor_ods_code", "kind", "effective_on", "note",
    }  # fmt: skip
    closures: list[tuple[str, str, dict[str, str]]] = []
    succession_rows: list[tuple[str, dict[str, str]]] = []
    for where, row in _read_rows(data_dir / REORGANISATIONS_FILE, reorganisation_columns, errors):
        record_type = row["record_type"]
        if record_type == "organisation":
            add_organisation(row, where)
        elif record_type == "closure":
            closures.append((where, row["ods_code"].upper(), row))
        elif record_type == "succession":
            succession_rows.append((where, row))
        else:
            errors.append(
                f"{where}: unknown record_type '{record_type}'. "
                "Use organisation, closure or succession."
            )

    for where, ods_code, row in closures:
        label = f"{where} ({ods_code or 'no ODS code'})"
        target = organisations.get(ods_code)
        if target is None:
            errors.append(f"{label}: closure of an unknown ODS code.")
            continue
        closed_on = _parse_date(row["closed_on"], column="closed_on", where=label, errors=errors)
        if closed_on is None:
            continue
        if "closed_on" in target.dates:
            errors.append(f"{label}: the organisation is closed twice.")
            continue
        target.dates["closed_on"] = closed_on

    # Parent ICBs must be ICBs in the files; dates must be in order.
    for org in organisations.values():
        if org.icb_ods_code:
            parent = organisations.get(org.icb_ods_code)
            if parent is None or parent.org_type != OrganisationType.ICB:
                errors.append(f"{org.where}: unknown ICB code '{org.icb_ods_code}'.")
        opened_on, closed_on = org.dates.get("opened_on"), org.dates.get("closed_on")
        if opened_on and closed_on and closed_on < opened_on:
            errors.append(f"{org.where}: closes ({closed_on}) before it opens ({opened_on}).")

    successions: list[_SuccessionRow] = []
    pairs: dict[tuple[str, str], str] = {}
    for where, row in succession_rows:
        predecessor, successor = row["ods_code"].upper(), row["successor_ods_code"].upper()
        label = f"{where} ({predecessor or 'no ODS code'} to {successor or 'no successor'})"
        ok = True
        for code in (predecessor, successor):
            if code not in organisations:
                errors.append(f"{label}: unknown ODS code '{code}'.")
                ok = False
        if predecessor == successor:
            errors.append(f"{label}: an organisation cannot succeed itself.")
            ok = False
        if row["kind"] not in SuccessionKind.values:
            errors.append(
                f"{label}: unknown kind '{row['kind']}'. "
                f"Use one of {', '.join(SuccessionKind.values)}."
            )
            ok = False
        effective_on = _parse_date(
            row["effective_on"], column="effective_on", where=label, errors=errors
        )
        if effective_on is None:
            ok = False
        elif successor in organisations:
            opened_on = organisations[successor].dates.get("opened_on")
            if opened_on and effective_on < opened_on:
                errors.append(f"{label}: takes effect before the successor opens ({opened_on}).")
                ok = False
        if (predecessor, successor) in pairs:
            errors.append(
                f"{label}: duplicate succession, first seen at {pairs[predecessor, successor]}."
            )
            ok = False
        if not ok:
            continue
        pairs[predecessor, successor] = where
        successions.append(
            _SuccessionRow(
                predecessor=predecessor,
                successor=successor,
                kind=row["kind"],
                effective_on=effective_on,
                note=row["note"],
                where=label,
            )
        )
    cycle = _find_cycle([(s.predecessor, s.successor) for s in successions])
    if cycle:
        errors.append(f"{REORGANISATIONS_FILE}: successions form a loop: {' → '.join(cycle)}.")

    if errors:
        raise ReferenceDataError(errors)
    return _ReferenceData(
        regions=regions,
        organisations=organisations,
        successions=successions,
        checksums={
            name: _checksum(data_dir / name)
            for name in (REGIONS_FILE, ORGANISATIONS_FILE, REORGANISATIONS_FILE)
        },
    )


# --- Loading --------------------------------------------------------------------


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def organisations_load_reference_data(
    *,
    actor,
    reason: str = "Load the NHS organisation reference data",
    data_dir: Path | str | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Make regions, organisations and successions match the reference files.

    Idempotent: a second run with the same files changes nothing. Atomic: the
    files are checked in full before anything is written, and the writes share
    one transaction, so a bad file (or a crash) leaves the database as it was.
    Organisations absent from the files are left alone, and dates are only
    ever set from the files, never cleared, so closures recorded elsewhere
    survive a reload. Raises :class:`ReferenceDataError` naming every bad row.
    """
    report = progress or _no_progress
    directory = Path(data_dir) if data_dir is not None else DATA_DIR
    report("Checking the files", 0, 1)
    data = _read_reference_data(directory)
    report("Checking the files", 1, 1)

    try:
        with transaction.atomic():
            result = _write_reference_data(data, report)
            if result.changed:
                audit_record(
                    actor=actor,
                    action="organisations.reference_data.loaded",
                    reason=reason,
                    subject=None,
                    payload={**result.as_payload(), "files_sha256": data.checksums},
                )
    except IntegrityError as exc:
        raise ReferenceDataError([f"The database refused the data: {exc}"]) from exc
    return result


def _write_reference_data(data: _ReferenceData, report: Progress) -> LoadResult:
    counts = {
        "regions_created": 0,
        "regions_updated": 0,
        "organisations_created": 0,
        "organisations_updated": 0,
        "successions_created": 0,
        "successions_updated": 0,
    }

    # Regions.
    regions_by_code = {region.code: region for region in Region.objects.all()}
    for done, row in enumerate(data.regions, start=1):
        slug = slugify(row.name)
        region = regions_by_code.get(row.code)
        if region is None:
            regions_by_code[row.code] = Region.objects.create(
                code=row.code, name=row.name, slug=slug
            )
            counts["regions_created"] += 1
        elif (region.name, region.slug) != (row.name, slug):
            region.name, region.slug = row.name, slug
            region.save(update_fields=["name", "slug"])
            counts["regions_updated"] += 1
        report("Regions", done, len(data.regions))
    region_ids = {region.name: region.pk for region in regions_by_code.values()}

    # Organisations, first pass: everything but the parent ICB, so that every
    # ICB exists before the trusts point at it.
    existing = {org.ods_code: org for org in Organisation.objects.all()}
    to_create: list[Organisation] = []
    updated: dict[str, Organisation] = {}
    changed_fields: set[str] = set()
    total = len(data.organisations)
    for done, row in enumerate(data.organisations.values(), start=1):
        wanted = {
            "name": row.name,
            "search_name": search_text(row.name),
            "org_type": row.org_type,
            "region_id": region_ids.get(row.region_name),
            **row.dates,
        }
        org = existing.get(row.ods_code)
        if org is None:
            to_create.append(Organisation(ods_code=row.ods_code, **wanted))
        else:
            for name, value in wanted.items():
                if getattr(org, name) != value:
                    setattr(org, name, value)
                    changed_fields.add(name)
                    updated[org.ods_code] = org
        report("Organisations", done, total)
    if to_create:
        Organisation.objects.bulk_create(to_create, batch_size=200)
        created_codes = [org.ods_code for org in to_create]
        for org in Organisation.objects.filter(ods_code__in=created_codes):
            existing[org.ods_code] = org
    if updated:
        # Only the columns that changed: a CASE over every column is slow.
        Organisation.objects.bulk_update(
            list(updated.values()), fields=sorted(changed_fields), batch_size=200
        )
    counts["organisations_created"] = len(to_create)
    created_codes_set = {org.ods_code for org in to_create}

    # Second pass: parent ICBs, now that every ICB exists. One UPDATE per
    # parent ICB rather than a row at a time.
    moves: dict[int | None, list[int]] = {}
    for done, row in enumerate(data.organisations.values(), start=1):
        org = existing[row.ods_code]
        parent_id = existing[row.icb_ods_code].pk if row.icb_ods_code else None
        if org.parent_icb_id != parent_id:
            org.parent_icb_id = parent_id
            moves.setdefault(parent_id, []).append(org.pk)
            if org.ods_code not in created_codes_set:
                updated[org.ods_code] = org
        report("Parent ICBs", done, total)
    for parent_id, pks in moves.items():
        Organisation.objects.filter(pk__in=pks).update(parent_icb_id=parent_id)
    counts["organisations_updated"] = len(updated)

    # Successions.
    ids = {code: org.pk for code, org in existing.items()}
    current = {
        (s.predecessor_id, s.successor_id): s
        for s in Succession.objects.filter(
            predecessor_id__in=[ids[s.predecessor] for s in data.successions]
        )
    }
    for done, row in enumerate(data.successions, start=1):
        key = (ids[row.predecessor], ids[row.successor])
        wanted = {"kind": row.kind, "effective_on": row.effective_on, "note": row.note}
        succession = current.get(key)
        if succession is None:
            Succession.objects.create(predecessor_id=key[0], successor_id=key[1], **wanted)
            counts["successions_created"] += 1
        elif any(getattr(succession, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(succession, name, value)
            succession.save(update_fields=list(wanted))
            counts["successions_updated"] += 1
        report("Successions", done, len(data.successions))

    return LoadResult(
        **counts,
        regions_in_files=len(data.regions),
        organisations_in_files=len(data.organisations),
        successions_in_files=len(data.successions),
    )


# --- Successions recorded by people ----------------------------------------------


def _leads_back(*, start_id: int, target_id: int) -> bool:
    """Whether following successions from ``start_id`` reaches ``target_id``."""
    graph: dict[int, list[int]] = {}
    for predecessor_id, successor_id in Succession.objects.values_list(
        "predecessor_id", "successor_id"
    ):
        graph.setdefault(predecessor_id, []).append(successor_id)
    seen: set[int] = set()
    stack = [start_id]
    while stack:
        node = stack.pop()
        if node == target_id:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(graph.get(node, []))
    return False


def succession_record(
    *,
    predecessor: Organisation,
    successor: Organisation,
    kind: str,
    effective_on: dt.date,
    note: str = "",
    actor,
    reason: str,
) -> Succession:
    """Record that ``predecessor`` passes (all or part of) itself to ``successor``.

    Refuses a succession to itself, an unknown kind, a missing or impossible
    date (before either organisation opened, or after the successor closed), a
    pair already recorded, and one that would make a loop of successions.
    """
    errors: dict[str, list[str]] = {}

    def problem(field_name: str, message: str) -> None:
        errors.setdefault(field_name, []).append(message)

    if predecessor.pk == successor.pk:
        problem("successor", "An organisation cannot succeed itself.")
    if kind not in SuccessionKind.values:
        problem("kind", f"Choose one of {', '.join(SuccessionKind.values)}.")
    if not isinstance(effective_on, dt.date) or isinstance(effective_on, dt.datetime):
        problem("effective_on", "Enter the date the succession takes effect.")
    else:
        if predecessor.opened_on and effective_on <= predecessor.opened_on:
            problem(
                "effective_on",
                f"The date must be after {predecessor.name} opened ({predecessor.opened_on}).",
            )
        if successor.opened_on and effective_on < successor.opened_on:
            problem(
                "effective_on",
                f"The date must not be before {successor.name} opened ({successor.opened_on}).",
            )
        if successor.closed_on and effective_on > successor.closed_on:
            problem(
                "effective_on",
                f"The date must not be after {successor.name} closed ({successor.closed_on}).",
            )
    if not (reason or "").strip():
        problem("reason", "Give the reason for recording this succession.")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        # Lock both organisations so two people cannot record crossing
        # successions at the same moment (PostgreSQL; SQLite serialises writers).
        list(
            Organisation.objects.select_for_update()
            .filter(pk__in=[predecessor.pk, successor.pk])
            .order_by("pk")
        )
        if Succession.objects.filter(predecessor=predecessor, successor=successor).exists():
            raise ValidationError(
                {"successor": [f"{predecessor.name} already has {successor.name} as a successor."]}
            )
        if _leads_back(start_id=successor.pk, target_id=predecessor.pk):
            raise ValidationError(
                {"successor": [f"{successor.name} already succeeds {predecessor.name}, "
                               "directly or through others: this would make a loop."]}
            )  # fmt: skip
        succession = Succession.objects.create(
            predecessor=predecessor,
            successor=successor,
            kind=kind,
            effective_on=effective_on,
            note=note or "",
        )
        audit_record(
            actor=actor,
            action="organisations.succession.recorded",
            reason=reason,
            subject=succession,
            payload={
                "predecessor": predecessor.ods_code,
                "successor": successor.ods_code,
                "kind": kind,
                "effective_on": effective_on.isoformat(),
            },
        )
    return succession


def organisation_risk_set(*, organisation: Organisation, risk_level: str, actor, reason: str):
    """Record an organisation's risk level (used by appointment vetting until the
    oversight capability's risk profile replaces it)."""
    from steward.organisations.models import RiskLevel

    if risk_level not in RiskLevel.values:
        choices = ", ".join(RiskLevel.values)
        raise ValidationError({"risk_level": f"Choose a risk level: one of {choices}."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the risk level is changing."})
    previous = organisation.risk_level
    if previous == risk_level:
        return organisation
    with transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(risk_level=risk_level)
        organisation.risk_level = risk_level
        audit_record(
            actor=actor,
            action="organisations.risk_level.set",
            reason=reason.strip(),
            subject=organisation,
            payload={"ods_code": organisation.ods_code, "from": previous, "to": risk_level},
        )
    return organisation
