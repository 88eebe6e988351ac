"""bench/failover: how long a kill -9 keeps the center from acknowledging contacts.

Two drills (tests/fixtures/failover.py), each run `--runs` times under load from
four callers that try each server address in turn:

- server: an active `callboard serve` and a `--standby` on one PostgreSQL store;
  the active process is killed with -9 and the standby takes the writer lock,
  recovers the center from snapshot plus journal, and serves.
- database: one server on a multi-host URL (`target_session_attrs=read-write`)
  over a primary and its synchronous standby; the primary's postmaster is killed
  with -9 and the standby promoted at once (the promotion delay a Patroni or
  repmgr adds, its TTL or its health checks, comes on top; docs/operations.md).

The time is the longest stretch without an acknowledged contact once the kill
has happened (the time to the first answer after the kill says little: a killed
postmaster's backends may commit for a few milliseconds more). Every contact
acknowledged, before and after, is looked up on the server that carries on.
PostgreSQL keeps its durable defaults (fsync on). Ends with one JSON line.
Targets (issue 14): serving again within 10 s; found == acknowledged.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from tests.fixtures.failover import Failover, database_failover, server_failover
from tests.fixtures.postgres import cluster, replicated_pair


def summary(drills: list[Failover]) -> dict[str, Any]:
    seconds = [d.seconds for d in drills]
    return {
        "runs": len(drills),
        "median_s": round(statistics.median(seconds), 3),
        "max_s": round(max(seconds), 3),
        "acknowledged": sum(d.acknowledged for d in drills),
        "found": sum(d.found for d in drills),
        "arrivals_recorded_twice": sum(d.arrivals_recorded_twice for d in drills),
        "answers": _total([d.answers for d in drills]),
    }


def _total(answers: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for one in answers:
        for answer, count in one.items():
            total[answer] = total.get(answer, 0) + count
    return dict(sorted(total.items()))


def _report(kind: str, run: int, drill: Failover) -> None:
    print(
        f"{kind} run {run}: serving again after {drill.seconds:.2f} s; "
        f"{drill.found}/{drill.acknowledged} acknowledged contacts found; {drill.answers}",
        flush=True,
    )


def server_runs(runs: int, work: Path) -> list[Failover]:
    drills = []
    with cluster(fsync=True) as postgres:
        admin = create_engine(postgres.url, isolation_level="AUTOCOMMIT")
        for run in range(1, runs + 1):
            name = f"failover_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = postgres.url.rsplit("/", 1)[0] + f"/{name}"
            drills.append(server_failover(url, work / f"server-{run}"))
            _report("server", run, drills[-1])
        admin.dispose()
    return drills


def database_runs(runs: int, work: Path) -> list[Failover]:
    drills = []
    for run in range(1, runs + 1):
        with replicated_pair(fsync=True) as pair:
            drills.append(database_failover(pair, work / f"database-{run}"))
        _report("database", run, drills[-1])
    return drills


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", choices=("server", "database"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="callboard-failover-"))
    result: dict[str, Any] = {"bench": "failover"}
    if args.only in (None, "server"):
        result["server"] = summary(server_runs(args.runs, work))
    if args.only in (None, "database"):
        result["database"] = summary(database_runs(args.runs, work))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
