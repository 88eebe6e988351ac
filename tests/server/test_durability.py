"""`kill -9` under load loses no acknowledged contact, queue order or agent state; group
commit keeps the order commands were applied in, and never acknowledges an unwritten one."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from callboard.domain import Event, EventType
from callboard.engine import Arrive, Center, Outputs
from callboard.server.live import LiveCenter, StoreUnavailable
from callboard.store import open_store
from callboard.store.journal import Journal, JournalEntry, Snapshot
from callboard.store.schema import events
from callboard.store.users import UserStore
from tests.fixtures.ports import free_port
from tests.server.hotline import eventually, hotline

ROOT = Path(__file__).resolve().parents[2]
CENTER = Path(__file__).with_name("hotline.yaml")


@contextmanager
def server_process(
    url: str, data: Path, center: Path = CENTER
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    process = subprocess.Popen(
        # Snapshot often, so recovery exercises snapshot + journal replay, not replay alone.
        [sys.executable, "-m", "callboard", "--data", str(data), "serve", "--center",
         str(center), "--port", str(port), "--snapshot-every", "25"],
        cwd=ROOT, env={**os.environ, "CALLBOARD_DB_URL": url},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise RuntimeError("server process did not start")
        yield base, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)


def test_kill_9_under_load_keeps_every_acknowledged_contact(store_url: str, tmp_path: Path) -> None:
    engine = open_store(store_url)
    users = UserStore(engine)
    users.add("pbx", "integration")
    users.add("sue", "supervisor")
    pbx_token, sue_token = users.issue_token("pbx"), users.issue_token("sue")
    engine.dispose()
    pbx_headers = {"Authorization": f"Bearer {pbx_token}"}
    sue_headers = {"Authorization": f"Bearer {sue_token}"}

    acknowledged: list[tuple[float, str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def caller(base: str) -> None:
        with httpx.Client(base_url=base, headers=pbx_headers, timeout=5) as client:
            while not stop.is_set():
                try:
                    response = client.post("/api/v1/contacts", json={"queue": "heating"})
                except httpx.TransportError:
                    return  # the server died mid-request: that contact was never acknowledged
                if response.status_code == 201:
                    with lock:
                        acknowledged.append((time.monotonic(), response.json()["contact_id"]))

    with server_process(store_url, tmp_path) as (base, process):
        with httpx.Client(base_url=base, headers=sue_headers) as sue:
            sue.post("/api/v1/agents", json={"agent_id": "ann", "skills": {"heating": 1}})
            sue.post("/api/v1/agents/ann/login", json={"ready": False})
        threads = [threading.Thread(target=caller, args=(base,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        while len(acknowledged) < 150:
            time.sleep(0.01)
        # kill -9 while the callers are still sending
        process.send_signal(signal.SIGKILL)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    with server_process(store_url, tmp_path) as (base, _), httpx.Client(base_url=base) as client:
        positions = {}
        for _, contact_id in acknowledged:
            status = client.get(f"/api/v1/contacts/{contact_id}", headers=pbx_headers).json()
            assert status["state"] == "waiting", status
            positions[contact_id] = status["position"]
        # The queue order after recovery is the order the server took the arrivals in.
        arrived = _arrival_order(store_url)
        by_arrival = sorted(positions, key=arrived.__getitem__)
        assert [positions[c] for c in by_arrival] == sorted(positions.values())
        agent = client.get("/api/v1/agents/ann", headers=sue_headers).json()
        assert agent["state"] == "not_ready"


def _arrival_order(url: str) -> dict[str, int]:
    engine = open_store(url)
    query = select(events.c.contact_id, events.c.seq).where(events.c.type == "contact.arrived")
    with engine.connect() as conn:
        order = {contact_id: int(seq) for contact_id, seq in conn.execute(query)}
    engine.dispose()
    return order


# ----------------------------------------------------------- group commit, in process


class FlakyJournal(Journal):
    """Refuses the next `failures` batch writes, as a store that went away would."""

    failures = 0

    def write(
        self,
        entries: Sequence[tuple[JournalEntry, Sequence[Event]]],
        snapshot: Snapshot | None = None,
    ) -> None:
        if self.failures:
            self.failures -= 1
            raise OSError("the store went away")
        super().write(entries, snapshot)


def _line(live: LiveCenter, contact_ids: list[str]) -> list[str]:
    """The contacts among `contact_ids` still waiting, in queue order."""

    def read(center: Center) -> list[str]:
        waiting = [(center.position(c), c) for c in contact_ids]
        return [c for position, c in sorted((p, c) for p, c in waiting if p is not None)]

    line: list[str] = live.read(read)
    return line


def test_commands_committed_together_recover_in_the_order_they_were_applied(store: Engine) -> None:
    live = LiveCenter.open(Journal(store), hotline, time.time, snapshot_every=7)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: live.execute(Arrive(f"t{i}", "heating")), range(60)))

    async def callers() -> None:
        await asyncio.gather(*(live.submit(Arrive(f"a{i}", "heating")) for i in range(60)))

    # A thread of its own: Playwright's sync API (tests/e2e) may leave an event
    # loop running in the main thread, where asyncio.run would refuse to start.
    with ThreadPoolExecutor(1) as loop_thread:
        loop_thread.submit(asyncio.run, callers()).result()
    ids = [f"{kind}{i}" for kind in "ta" for i in range(60)]
    line = _line(live, ids)
    live.close()
    assert len(line) == 120
    assert _line(LiveCenter.open(Journal(store), hotline, time.time), ids) == line


def test_a_failed_write_refuses_its_commands_and_the_center_goes_back_to_the_store(
    store: Engine,
) -> None:
    journal = FlakyJournal(store)
    live = LiveCenter.open(journal, hotline, time.time)
    live.execute(Arrive("kept", "heating"))
    journal.failures = 1
    with pytest.raises(StoreUnavailable):
        live.execute(Arrive("lost", "heating"))
    assert live.read(lambda c: c.contact("lost")) is None
    live.execute(Arrive("after", "heating"))
    ids = ["kept", "lost", "after"]
    assert _line(live, ids) == ["kept", "after"]
    live.close()
    assert _line(LiveCenter.open(Journal(store), hotline, time.time), ids) == ["kept", "after"]


def test_listeners_hear_durable_output_in_order_and_may_run_commands(store: Engine) -> None:
    live = LiveCenter.open(Journal(store), hotline, time.time)
    heard: list[str] = []

    def listener(output: Outputs) -> None:
        arrived = [e.contact_id for e in output.events if e.type == EventType.CONTACT_ARRIVED]
        heard.extend(c for c in arrived if c is not None)
        if "first" in arrived:
            live.execute(Arrive("from-listener", "heating"))

    live.listeners.append(listener)
    live.execute(Arrive("first", "heating"))
    live.execute(Arrive("second", "heating"))
    eventually(lambda: "from-listener" in heard, "the listener's own command was heard")
    live.close()
    journaled = [e.command.contact_id for e in Journal(store).after(0)
                 if isinstance(e.command, Arrive)]  # fmt: skip
    assert heard == journaled and heard[0] == "first" and len(heard) == 3
