"""What does hashing a receipt code cost? (Every code a reporter presents, right or
wrong, is hashed once with Argon2id, so this is the floor under each inbox read and
each confidential or anonymous submission.)

Times Steward's ``receipt_code_hash`` at several Argon2id costs, including the
default (2 passes, 19 MiB), and compares each with argon2-cffi's own default
password hasher on this machine as the peer.

    .venv/bin/python bench/receipt_codes.py [--seconds S]

See bench/README.md.
"""

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from argon2 import PasswordHasher  # noqa: E402
from django.conf import settings  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from steward.concerns.receipts import receipt_code_generate, receipt_code_hash  # noqa: E402

COSTS = [(1, 19 * 1024), (2, 19 * 1024), (3, 19 * 1024), (3, 64 * 1024)]
DEFAULT = (2, 19 * 1024)


def rate(fn, seconds: float) -> float:
    fn()  # warm up
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        done += 1
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per row")
    args = parser.parse_args()
    code = receipt_code_generate()
    peer = PasswordHasher()
    peer_rate = rate(lambda: peer.hash(code), args.seconds)
    table = Table(title="Receipt-code hashing (one core)")
    for column in ("Argon2id cost", "hashes/s", "ms each", "vs argon2-cffi default"):
        table.add_column(column, justify="right")
    for time_cost, memory in COSTS:
        settings.RECEIPT_ARGON2_TIME_COST = time_cost
        settings.RECEIPT_ARGON2_MEMORY_KIB = memory
        steward_rate = rate(lambda: receipt_code_hash(code), args.seconds)
        label = f"t={time_cost}, m={memory // 1024} MiB"
        if (time_cost, memory) == DEFAULT:
            label += " (default)"
        table.add_row(
            label,
            f"{steward_rate:,.1f}",
            f"{1000 / steward_rate:,.1f}",
            f"{steward_rate / peer_rate:,.2f}×",
        )
    table.add_row(
        f"peer: argon2-cffi default (t={peer.time_cost}, m={peer.memory_cost // 1024} MiB, "
        f"p={peer.parallelism})",
        f"{peer_rate:,.1f}",
        f"{1000 / peer_rate:,.1f}",
        "1.00×",
    )
    Console().print(table)


if __name__ == "__main__":
    main()
