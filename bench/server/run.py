"""bench/server: concurrent callers and agents over HTTP on loopback, SQLite and PostgreSQL.

Callers POST /api/v1/contacts as fast as they can; agents hear offers on their
WebSockets, accept and complete at once. The server runs as its own process
(`callboard serve --center`), PostgreSQL with its durable defaults (fsync on).
Reports contacts/s sustained and the p50/p99 latency of the routing decision
(the POST that queues or offers a contact), then one JSON line.
Target (issue 5): ≥ 500 contacts/s with p99 ≤ 50 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
from tests.fixtures.ports import free_port
from tests.fixtures.postgres import throwaway_cluster
from websockets.asyncio.client import connect

from callboard.store import open_store
from callboard.store.users import UserStore

ROOT = Path(__file__).resolve().parents[2]
CENTER = Path(__file__).with_name("center.yaml")
AGENTS = 40


@contextlib.contextmanager
def server(db_url: str, data: Path) -> Iterator[tuple[str, dict[str, str]]]:
    engine = open_store(db_url)
    users = UserStore(engine)
    users.add("bench-pbx", "integration")
    users.add("bench-sup", "supervisor")
    tokens = {"pbx": users.issue_token("bench-pbx"), "sup": users.issue_token("bench-sup")}
    engine.dispose()
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "callboard",
            "--data",
            str(data),
            "serve",
            "--center",
            str(CENTER),
            "--port",
            str(port),
        ],
        env={**os.environ, "CALLBOARD_DB_URL": db_url, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            time.sleep(0.05)
        yield url, tokens
    finally:
        process.kill()
        process.wait()


async def agent(url: str, token: str, name: str, stop: asyncio.Event) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    handled = 0
    ws_url = url.replace("http", "ws") + f"/api/v1/agents/{name}/stream?token={token}"
    async with httpx.AsyncClient(base_url=url, headers=headers) as client, connect(ws_url) as ws:
        await client.post(f"/api/v1/agents/{name}/login", json={})
        while not stop.is_set():
            try:
                message = json.loads(await asyncio.wait_for(ws.recv(), timeout=0.5))
            except TimeoutError:
                continue
            if message["type"] != "offer":
                continue
            contact = message["contact_id"]
            await client.post(f"/api/v1/agents/{name}/offers/{contact}/accept")
            done = await client.post(
                f"/api/v1/agents/{name}/contacts/{contact}/complete", json={"acw_s": 0}
            )
            handled += done.status_code == 200
    return handled


async def caller(url: str, token: str, until: float, latencies: list[float]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers) as client:
        while time.perf_counter() < until:
            began = time.perf_counter()
            response = await client.post("/api/v1/contacts", json={"queue": "support"})
            if response.status_code == 201:
                latencies.append(time.perf_counter() - began)


async def load(url: str, tokens: dict[str, str], callers: int, seconds: float) -> dict[str, float]:
    stop = asyncio.Event()
    agents = [
        asyncio.create_task(agent(url, tokens["sup"], f"agent-{i + 1}", stop))
        for i in range(AGENTS)
    ]
    await asyncio.sleep(1.0)  # let every agent log in and subscribe
    latencies: list[float] = []
    began = time.perf_counter()
    until = began + seconds
    await asyncio.gather(*(caller(url, tokens["pbx"], until, latencies) for _ in range(callers)))
    elapsed = time.perf_counter() - began
    stop.set()
    handled = sum(await asyncio.gather(*agents))
    ms = np.array(latencies) * 1000
    return {
        "contacts": len(latencies),
        "contacts_per_s": len(latencies) / elapsed,
        "handled_by_agents": handled,
        "p50_ms": float(np.percentile(ms, 50)) if len(ms) else float("nan"),
        "p99_ms": float(np.percentile(ms, 99)) if len(ms) else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--callers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{Path(folder) / 'bench.db'}"
        with server(sqlite_url, Path(folder) / "s") as (url, tokens):
            results["sqlite"] = asyncio.run(load(url, tokens, args.callers, args.seconds))
        with (
            throwaway_cluster(fsync=True) as pg_url,
            server(pg_url, Path(folder) / "p") as (
                url,
                tokens,
            ),
        ):
            results["postgresql"] = asyncio.run(load(url, tokens, args.callers, args.seconds))
    print(f"{'store':<12}{'contacts/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'handled':>10}")
    for store, r in results.items():
        print(
            f"{store:<12}{r['contacts_per_s']:>12.0f}{r['p50_ms']:>10.1f}{r['p99_ms']:>10.1f}"
            f"{r['handled_by_agents']:>10.0f}"
        )
    pg = results["postgresql"]
    print(
        json.dumps(
            {
                "benchmark": "server",
                "callers": args.callers,
                "agents": AGENTS,
                "seconds": args.seconds,
                **{f"{k}_{m}": v for k, r in results.items() for m, v in r.items()},
                "target_contacts_per_s": 500,
                "target_p99_ms": 50,
                "meets_target": pg["contacts_per_s"] >= 500 and pg["p99_ms"] <= 50,
            }
        )
    )


if __name__ == "__main__":
    main()
