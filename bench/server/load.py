"""The load generator for bench/server: simulated callers and agents over HTTP and WebSockets.

It runs in its own process, apart from the server, on uvloop with a small
HTTP/1.1 client (keep-alive, one connection per caller or agent): a general
client such as httpx spends more CPU per request than the server does, and on
a two-core machine the generator would then measure itself.

Callers arrive open-loop: each of N callers is a Poisson process, together
`rate` contacts/s, so a slow answer does not slow the arrivals down. Agents
hear offers on their WebSocket and accept and complete each at once. Every
decision request (create, accept, complete) is timed from the moment it is
sent until its answer is read.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import connect

DECISIONS = ("create", "accept", "complete")


class Http:
    """One keep-alive HTTP/1.1 connection; requests on it go one at a time.

    The server closes a connection idle for 5 s (uvicorn's keep-alive), so one
    idle for `IDLE_S` is replaced before a request could race that close.
    """

    IDLE_S = 4.0

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.head = f"Host: {parts.netloc}\r\nAuthorization: Bearer {token}\r\n"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0.0

    async def post(self, path: str, body: bytes = b"") -> tuple[int, bytes]:
        return await self._send(
            f"POST {path} HTTP/1.1\r\n{self.head}Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    async def get(self, path: str) -> tuple[int, bytes]:
        return await self._send(f"GET {path} HTTP/1.1\r\n{self.head}\r\n".encode())

    async def _send(self, request: bytes) -> tuple[int, bytes]:
        now = time.perf_counter()
        if self.writer is None or now - self.used > self.IDLE_S:
            self.close()
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None and self.writer is not None
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        start = head.lower().index(b"content-length:") + 15
        length = int(head[start : head.index(b"\r\n", start)])
        body = await self.reader.readexactly(length)
        self.used = time.perf_counter()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


@dataclass
class Tally:
    """What one run saw; times are `time.perf_counter()` seconds."""

    # (sent at, seconds to the answer) per decision
    latencies: dict[str, list[tuple[float, float]]] = field(
        default_factory=lambda: {d: [] for d in DECISIONS}
    )
    completed_at: list[float] = field(default_factory=list)
    late_s: list[tuple[float, float]] = field(default_factory=list)  # behind schedule, callers
    refused: dict[str, int] = field(default_factory=lambda: {d: 0 for d in DECISIONS})


async def caller(
    url: str, token: str, rate: float, began: float, until: float, seed: int, tally: Tally
) -> None:
    http = Http(url, token)
    draw = random.Random(seed)
    body = json.dumps({"queue": "support"}).encode()
    due = began + draw.expovariate(rate)
    try:
        while due < until:
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            sent = time.perf_counter()
            tally.late_s.append((sent, sent - due))
            status, _ = await http.post("/api/v1/contacts", body)
            if status == 201:
                tally.latencies["create"].append((sent, time.perf_counter() - sent))
            else:
                tally.refused["create"] += 1
            due += draw.expovariate(rate)
    finally:
        http.close()


async def agent(url: str, token: str, name: str, stop: asyncio.Event, tally: Tally) -> None:
    http = Http(url, token)
    ws_url = url.replace("http", "ws", 1) + f"/api/v1/agents/{name}/stream"
    bearer = {"Authorization": f"Bearer {token}"}
    async with connect(ws_url, compression=None, additional_headers=bearer) as ws:
        await http.post(f"/api/v1/agents/{name}/login", b"{}")
        done = b'{"acw_s": 0}'
        while not stop.is_set():
            try:
                message = json.loads(await asyncio.wait_for(ws.recv(), timeout=0.25))
            except TimeoutError:
                continue
            if message["type"] != "offer":
                continue
            contact = message["contact_id"]
            for decision, path, body in (
                ("accept", f"/api/v1/agents/{name}/offers/{contact}/accept", b""),
                ("complete", f"/api/v1/agents/{name}/contacts/{contact}/complete", done),
            ):
                sent = time.perf_counter()
                status, _ = await http.post(path, body)
                if status != 200:
                    tally.refused[decision] += 1
                    break
                tally.latencies[decision].append((sent, time.perf_counter() - sent))
            else:
                tally.completed_at.append(time.perf_counter())
    http.close()


async def waiting(url: str, token: str) -> int:
    """How many callers are still in line: a backlog that grows means the rate is not held."""
    http = Http(url, token)
    _, body = await http.get("/api/v1/queues")
    http.close()
    return sum(int(q["waiting"]) for q in json.loads(body)["queues"])


@dataclass(frozen=True)
class Plan:
    url: str
    caller_token: str
    agent_token: str
    agents: int
    callers: int
    rate: float
    warmup_s: float
    seconds: float
    server_pid: int


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def cpu_used(plan: Plan, start: float, end: float) -> tuple[float, float]:
    """CPU seconds the server and this generator spent between two perf_counter times."""
    await asyncio.sleep(start - time.perf_counter())
    server, own = cpu_s(plan.server_pid), time.process_time()
    await asyncio.sleep(end - time.perf_counter())
    return cpu_s(plan.server_pid) - server, time.process_time() - own


async def run(plan: Plan) -> dict[str, Any]:
    tally = Tally()
    stop = asyncio.Event()
    agents = [
        asyncio.create_task(agent(plan.url, plan.agent_token, f"agent-{i + 1}", stop, tally))
        for i in range(plan.agents)
    ]
    await asyncio.sleep(1.0)  # every agent logged in and listening
    began = time.perf_counter()
    measured_from = began + plan.warmup_s
    until = measured_from + plan.seconds
    callers = [
        caller(plan.url, plan.caller_token, plan.rate / plan.callers, began, until, i, tally)
        for i in range(plan.callers)
    ]
    cpu = asyncio.create_task(cpu_used(plan, measured_from, until))
    await asyncio.gather(*callers)
    ended = time.perf_counter()
    backlog = await waiting(plan.url, plan.agent_token)
    stop.set()
    await asyncio.gather(*agents)
    server_cpu, own_cpu = await cpu
    result = summarise(tally, measured_from, until, ended, backlog, plan)
    completed = result["contacts_per_s"] * plan.seconds
    result["server_cpu_ms_per_contact"] = server_cpu * 1000 / max(completed, 1)
    result["load_cpu_ms_per_contact"] = own_cpu * 1000 / max(completed, 1)
    return result


def summarise(
    tally: Tally,
    measured_from: float,
    until: float,
    ended: float,
    backlog: int,
    plan: Plan,
) -> dict[str, Any]:
    """Figures over the measured window: requests sent in it, contacts completed in it."""
    window = until - measured_from

    def inside(timed: list[tuple[float, float]]) -> list[float]:
        return [seconds for sent, seconds in timed if measured_from <= sent < until]

    creates = inside(tally.latencies["create"])
    decisions = [v for d in DECISIONS for v in inside(tally.latencies[d])]
    p50, p99 = _percentiles(decisions)
    result: dict[str, Any] = {
        "offered_per_s": plan.rate,
        "contacts_per_s": sum(1 for t in tally.completed_at if measured_from <= t < until) / window,
        "created_per_s": len(creates) / window,
        "p50_ms": p50,
        "p99_ms": p99,
        "decisions": len(decisions),
        "waiting_at_end": backlog,
        "caller_late_p99_ms": _percentiles(inside(tally.late_s))[1],
        "drain_s": ended - until,
        "refused": sum(tally.refused.values()),
    }
    for decision in DECISIONS:
        d50, d99 = _percentiles(inside(tally.latencies[decision]))
        result[f"{decision}_p50_ms"], result[f"{decision}_p99_ms"] = d50, d99
    return result


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds (nearest rank)."""
    if not seconds:
        return float("nan"), float("nan")
    ordered = sorted(seconds)
    last = len(ordered) - 1
    return ordered[min(last, len(ordered) // 2)] * 1000, ordered[
        min(last, int(0.99 * len(ordered)))
    ] * 1000
