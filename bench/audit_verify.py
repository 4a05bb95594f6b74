"""How fast does ``steward audit verify`` check a national-scale audit trail?

Builds N realistic events (default 1,000,000) with daily signed checkpoints
straight into a throw-away SQLite database, then times the full verification
(hash chain, Merkle roots of every checkpoint, Ed25519 signatures) and
compares it with this machine's raw SHA-256 over the same bytes: the floor
that any verifier of the same hash chain must pay.

    .venv/bin/python bench/audit_verify.py [--events N] [--chunk-size C] [--keep]

See bench/README.md.
"""

import argparse
import datetime as dt
import hashlib
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

FIRST_NAMES = [
    "Siobhán",
    "Zoë",
    "Adebayo",
    "Priya",
    "Tomasz",
    "Margaret",
    "Kwame",
    "José",
    "Chen",
    "Fiona",
    "Gareth",
    "Helen",
    "Imran",
    "Olivia",
    "Samuel",
    "Rachel",
]
LAST_NAMES = [
    "O'Connor",
    "Clarke-Bennett",
    "Okonkwo-Hughes",
    "Raghunathan",
    "Wiśniewski",
    "Ó Súilleabháin",
    "Mensah",
    "Martínez",
    "Wei",
    "MacLeod",
    "Llewellyn",
    "D'Souza",
    "Qureshi",
    "Brennan",
    "Adeyemi",
    "Whitfield",
]
ODS_CODES = ["RR8", "RXF", "RAE", "RWA", "R0A", "RJ1", "RYJ", "RTH", "QWO", "QOQ", "X24"]
ROLES = ["chair", "chief_executive", "hr_lead", "registrant", "caseworker", "auditor"]
SANCTIONS = ["advice", "warning", "conditions", "suspension", "removal"]
STATUSES = ["registered", "suspended", "conditions", "removed", "lapsed"]
JOB_TITLES = [
    "Chief Operating Officer",
    "Director of Nursing",
    "Finance Director",
    "Chief People Officer",
    "Non-executive Director",
    "Medical Director",
]
REASONS = [
    "Annual fit and proper person test concluded by the chair",
    "Panel decision after a hearing on the facts found proved",
    "Registrant asked for the change through their account",
    "Case examiners agreed undertakings with the registrant",
    "Regional director's review of the annual return",
    "Correction of a typing error reported by the HR lead",
    "",
]


def make_event(rng: random.Random, i: int, restricted_ref) -> tuple[str, str, str, dict, str]:
    """(action, subject_type, subject_id, payload, reason): a plausible mix of Steward's work."""
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    registrant = str(rng.randint(1, 1_000_000))
    kind = rng.random()
    if kind < 0.30:
        return (
            "register.registrant.restricted_viewed",
            "register.registrant",
            registrant,
            {"fields": sorted(rng.sample(["date_of_birth", "email", "phone", "address"], 2))},
            "Case investigation",
        )
    if kind < 0.55:
        return (
            "careers.record.added",
            "careers.careerrecord",
            str(i),
            {
                "registrant": registrant,
                "organisation": rng.choice(ODS_CODES),
                "role_title": rng.choice(JOB_TITLES),
                "started_on": dt.date(2010 + i % 15, 1 + i % 12, 1 + i % 28),
                "note": f"Added by {name}",
            },
            rng.choice(REASONS),
        )
    if kind < 0.70:
        return (
            "register.registrant.status_changed",
            "register.registrant",
            registrant,
            {
                "from": rng.choice(STATUSES),
                "to": rng.choice(STATUSES),
                "case": f"FTP-2026-{i:06d}",
                "effective_on": dt.date(2026, 1 + i % 12, 1),
            },
            rng.choice(REASONS),
        )
    if kind < 0.85:
        return (
            "accounts.role.granted",
            "accounts.user",
            str(rng.randint(1, 50_000)),
            {
                "role": rng.choice(ROLES),
                "organisation": rng.choice(ODS_CODES),
                "region": None,
                "panel_category": None,
                "assignment": i,
            },
            rng.choice(REASONS),
        )
    if kind < 0.95:
        return (
            "concerns.concern.triaged",
            "concerns.concern",
            str(i),
            {
                "standard": f"{rng.randint(1, 7)}.{rng.randint(1, 5)}",
                "priority": rng.choice(["low", "medium", "high"]),
                "reporter_identity": restricted_ref(f"reporter-{i % 5000}"),
            },
            rng.choice(REASONS),
        )
    return (
        "cases.sanction.imposed",
        "cases.case",
        str(i),
        {
            "sanction": rng.choice(SANCTIONS),
            "duration_months": rng.choice([3, 6, 12, 24]),
            "review_on": dt.date(2027, 1 + i % 12, 1),
            "panel": [name, "Lay member"],
        },
        "Panel determination",
    )


def setup_django(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("STEWARD_TESTING", "1")  # the local-use keys; nothing else changes
    os.environ["DJANGO_SETTINGS_MODULE"] = "steward.settings"
    sys.path.insert(0, str(REPO))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def build(db_path: Path, n: int, seed: int) -> tuple[list[bytes], int]:
    """Insert n events and daily checkpoints; return the hashed documents and checkpoint count."""
    from django.contrib.auth.hashers import make_password

    from steward.accounts.models import User
    from steward.audit import canonical, merkle, signing

    users = User.objects.bulk_create(
        User(
            email=f"bench{k}@bench.steward.example",
            full_name=f"Bench Person {k}",
            password=make_password(None),
        )
        for k in range(200)
    )
    user_ids = [u.pk for u in users]
    rng = random.Random(seed)
    restricted_ref = canonical.restricted_ref
    documents: list[bytes] = []
    tree = merkle.MerkleAccumulator()
    pending_leaves: list[bytes] = []
    checkpoints = []
    prev_hash = canonical.GENESIS_HASH
    moment = dt.datetime(2024, 4, 1, 7, 0, tzinfo=dt.UTC)
    day = moment.date()

    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    insert = (
        "INSERT INTO audit_auditevent (seq, occurred_at, actor_id, actor_label, action, "
        "subject_type, subject_id, reason, payload, prev_hash, entry_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    batch = []

    def sign_checkpoint(size: int, when: dt.datetime) -> None:
        tree.add_hashes(pending_leaves)
        pending_leaves.clear()
        root_hash = tree.root()
        key_id, signature = signing.sign(signing.checkpoint_body(size, root_hash))
        checkpoints.append(
            (size, root_hash.hex(), when.strftime("%Y-%m-%d %H:%M:%S"), key_id, signature)
        )

    for seq in range(1, n + 1):
        moment += dt.timedelta(seconds=rng.randint(1, 120))
        if moment.date() != day:  # the nightly checkpoint, over yesterday's trail
            sign_checkpoint(seq - 1, moment)
            day = moment.date()
        action, subject_type, subject_id, payload, reason = make_event(rng, seq, restricted_ref)
        if rng.random() < 0.9:
            actor_id = rng.choice(user_ids)
            actor_label = f"user:{actor_id}"
        else:
            actor_id, actor_label = None, "system: nightly register expiry"
        payload_text = canonical.canonical_json(payload)
        occurred = canonical.format_timestamp(moment)
        document = canonical.entry_document(
            seq=seq,
            occurred_at=occurred,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            reason=reason,
            payload=payload_text,
            prev_hash=prev_hash,
        )
        entry_hash = hashlib.sha256(document).digest()
        documents.append(document)
        pending_leaves.append(merkle.leaf_hash(entry_hash))
        # Stored the way Django stores an aware datetime in SQLite: UTC, no offset.
        stored_time = moment.strftime("%Y-%m-%d %H:%M:%S") + (
            f".{moment.microsecond:06d}" if moment.microsecond else ""
        )
        batch.append(
            (
                seq,
                stored_time,
                actor_id,
                actor_label,
                action,
                subject_type,
                subject_id,
                reason,
                payload_text,
                prev_hash,
                entry_hash.hex(),
            )
        )
        prev_hash = entry_hash.hex()
        if len(batch) >= 50_000:
            db.executemany(insert, batch)
            batch.clear()
    if batch:
        db.executemany(insert, batch)
    sign_checkpoint(n, moment + dt.timedelta(minutes=5))
    checkpoints = [c for c in checkpoints if c[0] > 0]
    db.executemany(
        "INSERT INTO audit_checkpoint (tree_size, root_hash, created_at, key_id, signature) "
        "VALUES (?, ?, ?, ?, ?)",
        checkpoints,
    )
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()
    return documents, len(checkpoints)


def raw_sha256_seconds(documents: list[bytes]) -> float:
    sha256 = hashlib.sha256
    best = float("inf")
    for _ in range(3):  # best of three: the floor, not the noise
        start = time.perf_counter()
        for document in documents:
            sha256(document).digest()
        best = min(best, time.perf_counter() - start)
    return best


# Runs the real command in a fresh process and reports that process's own peak
# memory (VmHWM, reset by exec) rather than ru_maxrss, which on Linux carries
# over the resident size of the large parent this process was forked from.
CLI_WITH_PEAK = """
import atexit, sys

def peak():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    sys.stderr.write("PEAK_KB " + line.split()[1] + "\\n")
    except OSError:
        pass

atexit.register(peak)
from steward.cli import main
main(["audit", "verify"])
"""


def cli_verify(db_path: Path) -> tuple[float, float | None, str]:
    """Run ``steward audit verify`` in its own process: wall time, peak memory (MB), output."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}", STEWARD_TESTING="1")
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", CLI_WITH_PEAK],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"steward audit verify failed:\n{completed.stdout}{completed.stderr}")
    peaks = [
        line.split()[1] for line in completed.stderr.splitlines() if line.startswith("PEAK_KB")
    ]
    peak_mb = int(peaks[0]) / 1024 if peaks else None
    return seconds, peak_mb, completed.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--chunk-size", type=int, default=None, help="events per query")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database and print its path")
    parser.add_argument("--no-cli", action="store_true", help="skip the separate-process run")
    args = parser.parse_args()
    if args.events < 1:
        parser.error("--events must be at least 1")

    workdir = Path(tempfile.mkdtemp(prefix="steward-audit-bench-"))
    db_path = workdir / "audit.sqlite3"
    try:
        setup_django(db_path)
        from steward.audit.verification import DEFAULT_CHUNK_SIZE, verify

        chunk_size = args.chunk_size or DEFAULT_CHUNK_SIZE
        start = time.perf_counter()
        documents, checkpoint_count = build(db_path, args.events, args.seed)
        build_seconds = time.perf_counter() - start
        print(
            f"Built {args.events:,} events and {checkpoint_count:,} checkpoints in "
            f"{build_seconds:.1f} s ({db_path.stat().st_size / 1e6:,.0f} MB).",
            flush=True,
        )

        start = time.perf_counter()
        result = verify(chunk_size=chunk_size)
        verify_seconds = time.perf_counter() - start
        if not result.ok or result.events_checked != args.events:
            raise SystemExit(f"Verification failed: {result.summary()}")

        bytes_hashed = sum(len(d) for d in documents)
        raw_seconds = raw_sha256_seconds(documents)
        del documents
        cli = None if args.no_cli else cli_verify(db_path)

        rows = [
            ("events", f"{args.events:,}"),
            ("checkpoints (daily, each root and signature checked)", f"{checkpoint_count:,}"),
            ("bytes hashed (canonical event documents)", f"{bytes_hashed:,}"),
            ("verify seconds (chain + Merkle roots + signatures)", f"{verify_seconds:.2f}"),
            ("events/second", f"{args.events / verify_seconds:,.0f}"),
            ("raw SHA-256 seconds, same bytes (hashlib loop)", f"{raw_seconds:.2f}"),
            ("ratio (verify / raw SHA-256)", f"{verify_seconds / raw_seconds:.1f}x"),
        ]
        if cli:
            rows += [
                ("`steward audit verify` wall seconds (new process)", f"{cli[0]:.2f}"),
                (
                    "`steward audit verify` peak memory (MB)",
                    f"{cli[1]:,.0f}" if cli[1] is not None else "n/a",
                ),
            ]
        width = max(len(r[0]) for r in rows)
        print()
        print(f"| {'measure'.ljust(width)} | value |")
        print(f"|{'-' * (width + 2)}|------:|")
        for label, value in rows:
            print(f"| {label.ljust(width)} | {value} |")
        print()
        print(result.summary())
        if cli:
            print(f"CLI: {cli[2]}")
        print(
            f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
            f"{os.cpu_count()} CPUs, chunk size {chunk_size}"
        )
    finally:
        if args.keep:
            print(f"Database kept at {db_path}")
        else:
            for path in workdir.iterdir():
                path.unlink()
            workdir.rmdir()


if __name__ == "__main__":
    main()
