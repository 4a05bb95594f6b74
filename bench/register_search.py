"""How fast is the public register's search at national scale, and against Datasette?

1. Builds (or reuses) a throw-away SQLite database under var/bench/ with N
   registrants (default 1,000,000) from ``steward bench-data``: names from many
   backgrounds, about three career roles each over the real NHS organisations.
2. Times ``GET /api/v1/register?q=`` in-process (Django's test client, the
   whole stack: URL routing, validation, search, current roles, JSON) for
   surname, full-name and prefix queries taken from the data (so common names
   come up as often as they do on the register): median and p95.
3. Serves the same database with ``steward serve`` (gunicorn) and with
   Datasette (FTS5 search over the same registrants table, installed in its
   own virtualenv var/bench-venv, never in the project's), and drives each
   with the same threaded load generator for the same number of requests:
   throughput and p95, and the ratio.

    .venv/bin/python bench/register_search.py                        # 1,000,000 (first run builds)
    .venv/bin/python bench/register_search.py --registrants 100000   # a quicker look

See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "var" / "bench"
BENCH_VENV = REPO / "var" / "bench-venv"
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def steward_env(db_path: Path, settings_dir: Path | None = None) -> dict:
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db_path}",
        STEWARD_TESTING="1",  # local-use keys and an in-memory cache per process
        DEBUG="",
        LOG_LEVEL="WARNING",
    )
    if settings_dir is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(settings_dir), str(REPO)])
        env["DJANGO_SETTINGS_MODULE"] = "register_bench_settings"
    return env


def build(db_path: Path, n: int, seed: int) -> float:
    """Migrate and fill a new database; seconds taken."""
    done = db_path.with_suffix(".complete")
    if db_path.exists() and done.exists():
        print(f"Reusing {db_path} ({n:,} registrants).", flush=True)
        return 0.0
    for stale in db_path.parent.glob(db_path.name + "*"):
        stale.unlink()
    done.unlink(missing_ok=True)
    env = steward_env(db_path)
    start = time.perf_counter()
    steward = [PYTHON, "-m", "steward"]
    subprocess.run([*steward, "migrate", "--verbosity", "0"], cwd=REPO, env=env, check=True)
    subprocess.run(
        [*steward, "bench-data", "--registrants", str(n), "--seed", str(seed)],
        cwd=REPO,
        env=env,
        check=True,
    )
    seconds = time.perf_counter() - start
    done.write_text(f"{n}\n")
    print(f"Built {n:,} registrants in {seconds:,.0f} s.", flush=True)
    return seconds


def sample_queries(db_path: Path, count: int, seed: int) -> dict[str, list[str]]:
    """Surname, full-name and prefix queries of random registrants."""
    import sqlite3

    db = sqlite3.connect(db_path)
    low, high = db.execute("SELECT MIN(id), MAX(id) FROM register_registrant").fetchone()
    rng = random.Random(seed)
    rows = []
    while len(rows) < count:
        row = db.execute(
            "SELECT legal_forenames, legal_surname FROM register_registrant WHERE id >= ? "
            "ORDER BY id LIMIT 1",
            (rng.randint(low, high),),
        ).fetchone()
        if row:
            rows.append(row)
    db.close()
    surnames = [surname for _, surname in rows]
    full = [f"{forenames.split()[0]} {surname}" for forenames, surname in rows]
    prefixes = [surname.replace("'", "")[: rng.choice([3, 4, 5])] for surname in surnames]
    return {"surname": surnames, "full name": full, "prefix": prefixes}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def in_process_latency(db_path: Path, queries: dict[str, list[str]]) -> dict[str, dict]:
    os.environ.update(steward_env(db_path))
    os.environ["DJANGO_SETTINGS_MODULE"] = "steward.settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.REGISTER_PUBLIC_RATE = "off"
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    for q in queries["surname"][:20]:  # warm the operating system's file cache
        client.get("/api/v1/register", {"q": q})
    results = {}
    for kind, items in queries.items():
        timings, counts = [], []
        for q in items:
            start = time.perf_counter()
            response = client.get("/api/v1/register", {"q": q})
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"/api/v1/register?q={q!r} gave {response.status_code}")
            counts.append(response.json()["count"])
        results[kind] = {
            "median": statistics.median(timings),
            "p95": percentile(timings, 95),
            "max": max(timings),
            "median_matches": statistics.median(counts),
            "queries": len(items),
        }
    return results


SETTINGS_MODULE = """
from steward.settings import *  # noqa: F401,F403

# One client sends every request here: lift its limit (the limiter still runs).
REGISTER_PUBLIC_RATE = "100000000/m"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
"""


def wait_for(port: int, path: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"Server on port {port} did not answer {path} in {seconds:.0f} s.")


def load(port: int, paths: list[str], *, requests: int, threads: int, seconds: float) -> dict:
    """Send ``requests`` GETs over ``threads`` keep-alive connections; at most ``seconds``."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    next_index = [0]
    deadline = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if next_index[0] >= requests:
                    break
                path = paths[next_index[0] % len(paths)]
                next_index[0] += 1
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1
        conn.close()

    start = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - start
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "seconds": wall,
        "rps": len(latencies) / wall if wall else 0.0,
        "median": statistics.median(latencies) if latencies else float("nan"),
        "p95": percentile(latencies, 95) if latencies else float("nan"),
    }


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def steward_http(db_path: Path, queries: list[str], args, workdir: Path) -> dict:
    (workdir / "register_bench_settings.py").write_text(SETTINGS_MODULE)
    port = free_port()
    env = steward_env(db_path, workdir)
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "steward",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--no-collectstatic",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, "/api/v1/register?q=smith")
        paths = ["/api/v1/register?" + urllib.parse.urlencode({"q": q}) for q in queries]
        load(port, paths[:50], requests=100, threads=args.threads, seconds=30)  # warm up
        return load(port, paths, requests=args.requests, threads=args.threads, seconds=args.seconds)
    finally:
        stop(server)


def datasette_ready() -> Path | None:
    datasette = BENCH_VENV / "bin" / "datasette"
    if datasette.exists():
        return datasette
    print("Installing Datasette into var/bench-venv (the project never depends on it)…")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [str(BENCH_VENV / "bin" / "pip"), "install", "--quiet", "datasette"], check=True
        )
    except subprocess.CalledProcessError:
        print("Could not install Datasette; skipping the comparison.")
        return None
    return datasette if datasette.exists() else None


def datasette_http(db_path: Path, queries: list[str], args, workdir: Path) -> dict | None:
    datasette = datasette_ready()
    if datasette is None:
        return None
    metadata = {
        "databases": {
            db_path.stem: {
                "tables": {
                    "register_registrant": {
                        "fts_table": "register_registrant_fts",
                        "fts_pk": "id",
                    }
                }
            }
        }
    }
    (workdir / "metadata.json").write_text(json.dumps(metadata))
    port = free_port()
    server = subprocess.Popen(
        [
            str(datasette),
            "serve",
            str(db_path),
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--metadata",
            str(workdir / "metadata.json"),
            "--setting",
            "sql_time_limit_ms",
            "10000",
            # Facet suggestions are a browsing aid, not part of a search answer,
            # and cost more than the search itself at this size.
            "--setting",
            "suggest_facets",
            "off",
            "--setting",
            "num_sql_threads",
            str(args.workers * 2),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    table = f"/{db_path.stem}/register_registrant.json"
    columns = "&".join(
        f"_col={c}"
        for c in ("registration_number", "legal_forenames", "legal_surname", "known_as", "status")
    )

    def path(q: str) -> str:
        # The same matching as Steward's: every word a prefix of a word of the names.
        words = " ".join(f'"{w}"*' for w in search_words(q))
        return (
            f"{table}?_search={urllib.parse.quote(words)}&_searchmode=raw&_size=50"
            f"&_shape=objects&{columns}"
        )

    try:
        wait_for(port, path("smith"))
        paths = [path(q) for q in queries]
        load(port, paths[:50], requests=100, threads=args.threads, seconds=30)
        return load(port, paths, requests=args.requests, threads=args.threads, seconds=args.seconds)
    finally:
        stop(server)


def search_words(q: str) -> list[str]:
    sys.path.insert(0, str(REPO))
    from steward.core.text import search_text

    return list(dict.fromkeys(search_text(q).split()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registrants", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300, help="in-process queries of each kind")
    parser.add_argument("--requests", type=int, default=3000, help="HTTP requests per server")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per HTTP run")
    parser.add_argument("--threads", type=int, default=8, help="load generator connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-http", action="store_true", help="in-process latency only")
    parser.add_argument("--no-datasette", action="store_true")
    args = parser.parse_args()
    if args.registrants < 1:
        parser.error("--registrants must be at least 1")

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    db_path = BENCH_DIR / f"register-{args.registrants}.sqlite3"
    build_seconds = build(db_path, args.registrants, args.seed)
    size_mb = db_path.stat().st_size / 1e6
    queries = sample_queries(db_path, args.queries, args.seed)

    http_steward = http_datasette = None
    if not args.no_http:
        mixed = [q for trio in zip(*queries.values(), strict=True) for q in trio]
        with tempfile.TemporaryDirectory(prefix="steward-register-bench-") as tmp:
            workdir = Path(tmp)
            print("HTTP: steward serve…", flush=True)
            http_steward = steward_http(db_path, mixed, args, workdir)
            if not args.no_datasette:
                print("HTTP: Datasette…", flush=True)
                http_datasette = datasette_http(db_path, mixed, args, workdir)

    print("In-process latency…", flush=True)
    latency = in_process_latency(db_path, queries)

    rows = [
        ("registrants", f"{args.registrants:,}"),
        ("database size (MB)", f"{size_mb:,.0f}"),
    ]
    if build_seconds:
        rows.append(("build seconds (migrate + bench-data)", f"{build_seconds:,.0f}"))
    for kind, r in latency.items():
        rows.append(
            (
                f"API in-process, {kind} query: median / p95 / max ms",
                f"{r['median']:.1f} / {r['p95']:.1f} / {r['max']:.1f}",
            )
        )
        rows.append(
            (f"  {kind}: median matches ({r['queries']} queries)", f"{r['median_matches']:,.0f}")
        )
    for label, result in (("steward serve", http_steward), ("Datasette", http_datasette)):
        if result:
            rows.append(
                (
                    f"HTTP {label}: requests/s (p50 / p95 ms)",
                    f"{result['rps']:,.0f} ({result['median']:.0f} / {result['p95']:.0f})",
                )
            )
            rows.append(
                (
                    f"  {label}: requests, errors, seconds",
                    f"{result['requests']:,}, {result['errors']}, {result['seconds']:.1f}",
                )
            )
    if http_steward and http_datasette and http_datasette["rps"]:
        rows.append(
            (
                "throughput ratio (Steward / Datasette)",
                f"{http_steward['rps'] / http_datasette['rps']:.2f}x",
            )
        )
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 24}")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print(
        f"\nHTTP: {args.threads} client connections, {args.workers} gunicorn workers x 4 threads; "
        "Datasette with the same database and FTS5 index."
    )


if __name__ == "__main__":
    main()
