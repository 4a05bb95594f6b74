"""How many concerns a second can Steward receive, and how many inbox reads?

Both pay for one Argon2id hash of a receipt code (and sealing, and the daily rate
limits), so the table shows each next to the bare hash rate at the same cost: the
ratio says how much of the time the hashing takes.

Runs the real API (Django's test client, one process, one core) against a
throw-away SQLite database, with the rate limits raised out of the way and the
default Argon2id cost (or the one given).

    .venv/bin/python bench/concerns_api.py [--submissions N] [--reads N]
        [--time-cost T] [--memory-kib M]

See bench/README.md.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--time-cost", type=int, default=None)
    parser.add_argument("--memory-kib", type=int, default=None)
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="steward-bench-concerns-")
    os.environ.update({"DEBUG": "1", "STEWARD_VAR_DIR": var})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from rich.console import Console
    from rich.table import Table

    from steward.concerns.receipts import receipt_code_generate, receipt_code_hash

    if args.time_cost:
        settings.RECEIPT_ARGON2_TIME_COST = args.time_cost
    if args.memory_kib:
        settings.RECEIPT_ARGON2_MEMORY_KIB = args.memory_kib
    settings.CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY = 10**9
    settings.CONCERNS_SUBMISSIONS_PER_DAY = 10**9
    settings.CONCERNS_CODE_FAILURES_PER_CLIENT_PER_DAY = 10**9
    settings.CONCERNS_CODE_FAILURES_PER_DAY = 10**9
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("organisations", "load", stdout=open(os.devnull, "w"))  # noqa: SIM115

    client = Client(REMOTE_ADDR="127.0.0.1")
    body = {
        "anonymity": "anonymous",
        "what_happened": "Incident reports about falls on ward 7 were deleted before the "
        "inspection, and staff who asked why were moved to night shifts.",
        "when": "February and March 2026",
        "patient_harm": "Patients were put at risk",
        "organisation_ods_code": "RR8",
    }
    codes = []
    start = time.perf_counter()
    for _ in range(args.submissions):
        response = client.post("/api/v1/concerns", body, content_type="application/json")
        assert response.status_code == 201, response.content
        codes.append(response.json()["receipt_code"])
    submit_rate = args.submissions / (time.perf_counter() - start)

    start = time.perf_counter()
    for n in range(args.reads):
        response = client.get("/api/v1/concerns/inbox", HTTP_X_RECEIPT_CODE=codes[n % len(codes)])
        assert response.status_code == 200, response.content
    read_rate = args.reads / (time.perf_counter() - start)

    code = receipt_code_generate()
    hashes = max(20, args.reads // 4)
    start = time.perf_counter()
    for _ in range(hashes):
        receipt_code_hash(code)
    hash_rate = hashes / (time.perf_counter() - start)

    cost = (
        f"Argon2id t={settings.RECEIPT_ARGON2_TIME_COST}, "
        f"m={settings.RECEIPT_ARGON2_MEMORY_KIB // 1024} MiB"
    )
    table = Table(title=f"Concerns API, one process ({cost})")
    for column in ("operation", "per second", "ms each", "hash share of the time"):
        table.add_column(column, justify="right")
    table.add_row("receipt-code hash alone", f"{hash_rate:,.1f}", f"{1000 / hash_rate:,.1f}", "")
    for label, rate in (
        (f"POST /api/v1/concerns ({args.submissions})", submit_rate),
        (f"GET /api/v1/concerns/inbox ({args.reads})", read_rate),
    ):
        table.add_row(label, f"{rate:,.1f}", f"{1000 / rate:,.1f}", f"{rate / hash_rate:.0%}")
    Console().print(table)


if __name__ == "__main__":
    main()
