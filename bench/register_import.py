"""How fast does ``steward import-register`` load a workforce export, and does memory stay flat?

For two sizes (by default 90,000 and 900,000 rows) it writes a realistic CSV
in the shape of an electronic staff record export, migrates a throw-away SQLite
database, loads the NHS organisations, and runs ``steward import-register`` in
a new process twice: a first import (everyone new) and a re-run of the same
file (everyone unchanged). It reports rows per second and the peak memory
(ru_maxrss) of each import process. Flat memory means the two sizes' peaks are
about the same although one file is ten times the other.

    .venv/bin/python bench/register_import.py [--rows N] [--keep]

``--rows N`` sets the larger size (default 900,000: registration numbers have six
serial digits, so the register holds at most 999,999 people); the smaller is N / 10.
The re-run is timed at the smaller size only unless ``--rerun-all`` (it takes
about as long as the first import). Times include starting the process
(about two seconds).
"""

import argparse
import csv
import datetime as dt
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STEWARD = [sys.executable, "-m", "steward"]

FORENAMES = [
    "Siobhán", "Zoë", "Adebayo", "Priya", "Tomasz", "Margaret", "Kwame", "José", "Chen",
    "Fiona", "Gareth", "Helen", "Imran", "Olivia", "Samuel", "Rachel", "Anne-Marie",
    "Nguyễn", "Øystein", "Aoife", "Mohammed", "Grace", "Łukasz", "Chiamaka", "Dafydd",
]  # fmt: skip
SURNAMES = [
    "O'Connor", "Clarke-Bennett", "Okonkwo-Hughes", "Raghunathan", "Wiśniewski",
    "Ó Súilleabháin", "Mensah", "Martínez", "Wei", "MacLeod", "Llewellyn", "D'Souza",
    "Qureshi", "Brennan", "Adeyemi", "Whitfield", "Smith", "Jones", "Patel", "Khan",
    "Fitzgerald-Brown", "Nowak", "Müller", "da Silva", "Van der Berg",
]  # fmt: skip
TITLES = [
    ("Chair", "chair"),
    ("Chief Executive", "Chief executive"),
    ("Director of Finance", "executive_director"),
    ("Chief Nurse", "Executive director"),
    ("Medical Director", "executive_director"),
    ("Non-executive Director", "non_executive_director"),
    ("Deputy Director of Operations", "senior_manager"),
    ("Head of People", "Senior manager"),
]
HEADER = [
    "employee_number", "organisation_ods_code", "registration_number", "legal_forename",
    "legal_surname", "known_as", "previous_surnames", "date_of_birth", "email", "role_title",
    "role_category", "start_date", "end_date", "interim",
]  # fmt: skip


def organisation_codes() -> list[str]:
    path = REPO / "steward" / "organisations" / "data" / "nhs_organisations.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    key = next(k for k in rows[0] if "ods" in k.lower())
    return [row[key] for row in rows if row[key]]


def write_csv(path: Path, rows: int, codes: list[str], seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("\ufeff")  # as Excel writes "CSV UTF-8"
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i in range(rows):
            forename = rng.choice(FORENAMES)
            surname = rng.choice(SURNAMES)
            previous = ";".join(rng.sample(SURNAMES, rng.choice((1, 1, 2)))) if i % 3 == 0 else ""
            start = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(7000))
            end = start + dt.timedelta(days=rng.randrange(30, 3000)) if i % 5 == 0 else ""
            title, category = rng.choice(TITLES)
            writer.writerow(
                [
                    f"E{i:08d}",
                    codes[i % len(codes)],
                    "",
                    forename,
                    surname,
                    rng.choice(("", "", "", forename[:3])),
                    previous,
                    dt.date(1955 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                    f"person{i}@example.nhs.uk" if i % 2 else "",
                    title,
                    category,
                    start,
                    end,
                    "Y" if i % 11 == 0 else "N",
                ]
            )


def run(command: list[str], env: dict) -> tuple[float, float, int]:
    """(seconds, peak resident memory in MB, exit code) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - our own command line
        command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.read().decode(errors="replace"))
    proc.stderr.close()
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def measure(rows: int, folder: Path, codes: list[str], seed: int, rerun: bool) -> dict:
    var = folder / f"var-{rows}"
    var.mkdir()
    env = {
        **os.environ,
        "STEWARD_VAR_DIR": str(var),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_hex(32),
        "AUDIT_SIGNING_KEY": secrets.token_hex(32),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    # --skip-checks: the system checks are not what is measured.
    for step in (
        ["migrate", "--noinput", "-v0", "--skip-checks"],
        ["organisations", "--skip-checks", "load"],
    ):
        if run([*STEWARD, *step], env)[2] != 0:
            raise SystemExit(f"steward {' '.join(step)} failed")
    path = folder / f"workforce-{rows}.csv"
    started = time.perf_counter()
    write_csv(path, rows, codes, seed)
    generated = time.perf_counter() - started
    command = [*STEWARD, "import-register", "--skip-checks", str(path)]
    first = run(command, env)
    again = run(command, env) if rerun else None
    if first[2] or (again and again[2]):
        raise SystemExit("The import failed: see the messages above.")
    database = var / "steward.sqlite3"
    return {
        "rows": rows,
        "file_mb": path.stat().st_size / 1e6,
        "generated_s": generated,
        "first": first,
        "again": again,
        "db_mb": database.stat().st_size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=900_000, help="the larger size")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the files and databases")
    parser.add_argument(
        "--rerun-all",
        action="store_true",
        help="time the re-run of the same file at every size (default: the smaller only)",
    )
    args = parser.parse_args()
    sizes = sorted({max(args.rows // 10, 100), args.rows})
    codes = organisation_codes()

    folder = Path(tempfile.mkdtemp(prefix="steward-bench-import-"))
    results = []
    try:
        for rows in sizes:
            print(f"Importing {rows:,} rows …", flush=True)
            rerun = args.rerun_all or rows == sizes[0]
            results.append(measure(rows, folder, codes, args.seed, rerun))
    finally:
        if args.keep:
            print(f"Kept {folder}")
        else:
            subprocess.run(["rm", "-rf", str(folder)], check=False)  # noqa: S603, S607

    print()
    python = sys.version.split()[0]
    print(f"steward import-register on SQLite, {len(codes)} organisations, Python {python}")
    header = (
        f"{'rows':>10} {'file MB':>8} {'import s':>9} {'rows/s':>8} {'peak MB':>8} "
        f"{'re-run s':>9} {'rows/s':>8} {'peak MB':>8} {'db MB':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        s1, m1, _ = r["first"]
        again = "         -        -        -"
        if r["again"]:
            s2, m2, _ = r["again"]
            again = f"{s2:>9.1f} {r['rows'] / s2:>8,.0f} {m2:>8.0f}"
        print(
            f"{r['rows']:>10,} {r['file_mb']:>8.1f} {s1:>9.1f} {r['rows'] / s1:>8,.0f} "
            f"{m1:>8.0f} {again} {r['db_mb']:>7.0f}"
        )
    if len(results) == 2:
        small, large = results
        growth = large["first"][1] / small["first"][1]
        print(
            f"\nPeak memory of the first import grew {growth:.2f}× for "
            f"{large['rows'] / small['rows']:.0f}× the rows "
            "(1.00× is perfectly flat; the process starts at the size of Django itself)."
        )
    print(
        "import: everyone new (registrant, status history, staff number, previous names, "
        "career role, audit events); re-run: the same file again, every row unchanged."
    )


if __name__ == "__main__":
    main()
