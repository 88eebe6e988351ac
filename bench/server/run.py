"""bench/server: concurrent callers and agents over HTTP on loopback, SQLite and PostgreSQL.

The server runs as its own process (`callboard serve --center`), exactly as in
production; the load generator (`load.py`) runs in this one. Callers arrive
open-loop at `--rate` contacts/s; 100 agents hear offers on their WebSockets
and accept and complete each at once (100, so that agents' round trips are
never what limits the rate). PostgreSQL keeps its durable defaults
(fsync and synchronous_commit on), SQLite runs as the server always runs it
(WAL, synchronous=FULL): every answer the benchmark counts is durable.

Reported per store: contacts/s sustained (contacts completed by agents per
second in the measured window, with the line still empty at the end), and the
p50/p99 latency of the routing decisions (create -> queued or offered, accept,
complete), the server's CPU per contact (steadier than latency on a shared
machine), the load average, then one JSON line.
Target (issue 5): >= 500 contacts/s with p99 <= 50 ms on PostgreSQL.
There is no peer server to compare with, so no ratio is reported.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import uvloop
from bench.server.load import Plan, run
from sqlalchemy import Engine
from tests.fixtures.ports import free_port
from tests.fixtures.postgres import throwaway_cluster

from callboard.store import open_store
from callboard.store.users import UserStore

CENTER = Path(__file__).with_name("center.yaml")
AGENTS = 100  # as in center.yaml
PG_SETTINGS = (
    "server_version",
    "fsync",
    "synchronous_commit",
    "wal_sync_method",
    "full_page_writes",
)


def settings(engine: Engine) -> dict[str, str]:
    """The durability settings the server ran with, read back from the store."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return {
                name: str(conn.exec_driver_sql(f"PRAGMA {name}").scalar())
                for name in ("journal_mode", "synchronous")
            }
        return {name: str(conn.exec_driver_sql(f"SHOW {name}").scalar()) for name in PG_SETTINGS}


@contextlib.contextmanager
def server(db_url: str, data: Path) -> Iterator[tuple[str, int, dict[str, str], dict[str, str]]]:
    """Serve the bench center on `db_url`; yields the URL, pid, tokens and store settings."""
    engine = open_store(db_url)
    users = UserStore(engine)
    users.add("bench-pbx", "integration")
    users.add("bench-sup", "supervisor")
    tokens = {"pbx": users.issue_token("bench-pbx"), "sup": users.issue_token("bench-sup")}
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "callboard", "--data", str(data), "serve", "--center",
         str(CENTER), "--port", str(port)],
        env={**os.environ, "CALLBOARD_DB_URL": db_url},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            time.sleep(0.05)
        else:
            raise RuntimeError("the server did not start")
        yield url, process.pid, tokens, settings(engine)
    finally:
        process.kill()
        process.wait()
        engine.dispose()


def measure(db_url: str, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    with server(db_url, data) as (url, pid, tokens, store_settings):
        plan = Plan(
            url=url, caller_token=tokens["pbx"], agent_token=tokens["sup"], agents=AGENTS,
            callers=args.callers, rate=args.rate, warmup_s=args.warmup, seconds=args.seconds,
            server_pid=pid,
        )  # fmt: skip
        result = uvloop.run(run(plan))
    return {**result, "settings": store_settings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=500.0, help="contacts/s offered")
    parser.add_argument("--callers", type=int, default=64, help="concurrent callers")
    parser.add_argument("--seconds", type=float, default=15.0, help="measured window")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        if "sqlite" in args.stores:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            results["sqlite"] = measure(url, Path(folder) / "s", args)
        if "postgresql" in args.stores:
            with throwaway_cluster(fsync=True) as pg_url:
                results["postgresql"] = measure(pg_url, Path(folder) / "p", args)
    print(
        f"offered {args.rate:.0f} contacts/s by {args.callers} callers, {AGENTS} agents, "
        f"{args.seconds:.0f} s measured after {args.warmup:.0f} s warm-up; load {_load()}"
    )
    table(results)
    print("peer: none (no other contact-center server is measured here), so no ratio")
    pg = results.get("postgresql")
    meets = (
        pg is not None
        and pg["contacts_per_s"] >= 500
        and pg["p99_ms"] <= 50
        and pg["waiting_at_end"] == 0
    )
    print(json.dumps({
        "benchmark": "server", "offered_per_s": args.rate, "callers": args.callers,
        "agents": AGENTS, "seconds": args.seconds, "load_average": _load(),
        **{store: r for store, r in results.items()},
        "peer": None, "target_contacts_per_s": 500, "target_p99_ms": 50, "meets_target": meets,
    }))  # fmt: skip


# The table's columns: (heading, key in the results).
COLUMNS = (
    ("contacts/s", "contacts_per_s"), ("p50 ms", "p50_ms"), ("p99 ms", "p99_ms"),
    ("create p99", "create_p99_ms"), ("accept p99", "accept_p99_ms"),
    ("complete p99", "complete_p99_ms"), ("waiting at end", "waiting_at_end"),
    ("server CPU ms/contact", "server_cpu_ms_per_contact"),
)  # fmt: skip


def table(results: dict[str, dict[str, Any]]) -> None:
    print(f"{'store':<12}" + "".join(f"{heading:>{len(heading) + 3}}" for heading, _ in COLUMNS))
    for store, r in results.items():
        cells = "".join(f"{r[key]:>{len(heading) + 3}.1f}" for heading, key in COLUMNS)
        print(f"{store:<12}{cells}")
        print(f"{'':<12}settings: {r['settings']}")


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
