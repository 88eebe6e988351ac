"""A demo hotline: the live server with simulated callers and agents, at accelerated time.

The traffic goes through the public API like a real PBX and real desks would:
callers are created, give up and answer prompts over HTTP; agents hear their
offers from the live center (as a desk hears its WebSocket) and accept and
complete over HTTP. Arrival rates, service and patience come from a
simulation scenario, so the demo center and a what-if run share one file.

`Demo.start` is the whole of `callboard demo`: a fresh store under the store's
writer lock (like `serve`, so a second demo on the same folder refuses instead
of deleting the first one's store), the users and tokens the traffic needs,
the server on its own thread and the traffic. One agent, `demo-agent`, is left
to a person: the traffic never answers its offers, so someone signed in at the
agent desk with the printed link takes real calls.
"""

from __future__ import annotations

import heapq
import shutil
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import numpy as np
import uvicorn
from sqlalchemy import Engine

from callboard.domain import time_of_day
from callboard.engine import Offer, Outputs, Prompt
from callboard.errors import BadInput
from callboard.server.app import ServerConfig, build_app
from callboard.server.centers import center_factory
from callboard.server.launch import uvicorn_config
from callboard.server.live import LiveCenter
from callboard.server.openings import Opening, openings
from callboard.server.surge_live import SurgeLive, surge_setup
from callboard.sim import Scenario, load_scenario
from callboard.store import UserStore, WriterLock, open_store, writer_lock

TICK_S = 0.05  # wall seconds between traffic steps
ROLL_CALL_S = 1.0  # wall seconds between looks at who of the reserve is due
HUMAN_AGENT = "demo-agent"  # the agent a person plays at the desk; the traffic leaves it be


@dataclass
class AcceleratedClock:
    """Virtual time that runs `speed` times faster than the wall clock from `start`."""

    start: float
    speed: float
    wall0: float = field(default_factory=time.monotonic)

    def seconds(self) -> float:
        return self.start + (time.monotonic() - self.wall0) * self.speed

    def __call__(self) -> datetime:
        return datetime.fromtimestamp(self.seconds(), UTC)


class DemoTraffic(threading.Thread):
    """Callers and agents for a running demo server; stops when `stop` is set."""

    def __init__(
        self,
        url: str,
        tokens: dict[str, str],
        scenario: Scenario,
        clock: AcceleratedClock,
        live: LiveCenter,
        *,
        seed: int = 1,
    ) -> None:
        super().__init__(daemon=True, name="demo-traffic")
        self.url, self.tokens, self.scenario, self.clock = url, tokens, scenario, clock
        self.rng = np.random.default_rng(seed)
        self.stop = threading.Event()
        self.offers: deque[Offer] = deque()
        self.prompts: deque[Prompt] = deque()
        self.due: list[tuple[float, int, str, str, str]] = []  # (at, seq, what, contact, agent)
        self.queues = {q.spec.name: q for q in scenario.queues}
        self.zone = ZoneInfo(scenario.timezone)
        self.created = 0
        self.completed = 0
        self._seq = 0
        live.listeners.append(self._hear)

    def _hear(self, output: Outputs) -> None:
        self.offers.extend(output.offers)
        self.prompts.extend(output.prompts)

    def _later(self, at: float, what: str, contact_id: str, agent_id: str = "") -> None:
        self._seq += 1
        heapq.heappush(self.due, (at, self._seq, what, contact_id, agent_id))

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=10) as client:
            pbx = {"Authorization": f"Bearer {self.tokens['pbx']}"}
            sup = {"Authorization": f"Bearer {self.tokens['supervisor']}"}
            skills = {name: 1 for name in self.queues}
            client.post("/api/v1/agents", json={"agent_id": HUMAN_AGENT, "skills": skills},
                        headers=sup)  # fmt: skip
            of_day = self.scenario.time_of_day(self.clock.seconds())
            for group in self.scenario.agents:
                # Those on shift when the demo starts log in, and a group on a break
                # (outbound work, say) at that time stays on it.
                if not group.shift_start_s <= of_day < group.shift_end_s:
                    continue
                away = [b.reason for b in group.breaks if 0 <= of_day - b.at_s < b.duration_s]
                for agent_id in group.agent_ids():
                    agent = f"/api/v1/agents/{agent_id}"
                    client.post(f"{agent}/login", json={}, headers=sup)
                    if away:
                        state = {"state": "not_ready", "reason": away[0]}
                        client.post(f"{agent}/state", json=state, headers=sup)
            last = next_roll_call = self.clock.seconds()
            while not self.stop.wait(TICK_S):
                now = self.clock.seconds()
                self._arrivals(client, pbx, last, now)
                self._answer_prompts(client, pbx, now)
                self._take_offers(client, sup, now)
                self._run_due(client, pbx, sup, now)
                if now >= next_roll_call:
                    next_roll_call = now + ROLL_CALL_S * self.clock.speed
                    self._reserve_arrives(client, sup, now)
                last = now

    def _reserve_arrives(self, client: httpx.Client, sup: dict[str, str], now: float) -> None:
        """Reserve people called in by the surge plan come at their due time and log in at
        the desk, as a real person would: the server only takes them as on the line
        once they do (the simulator logs them in itself)."""
        status = client.get("/api/v1/surge", headers=sup)
        if status.status_code != 200:
            return
        for person in status.json()["reserve"]:
            due = datetime.fromisoformat(person["due"]).timestamp()
            if person["state"] in ("on_the_way", "late") and due <= now:
                client.post(f"/api/v1/agents/{person['person_id']}/login", json={}, headers=sup)

    def _arrivals(self, client: httpx.Client, pbx: dict[str, str], last: float, now: float) -> None:
        for name, queue in self.queues.items():
            count = self.rng.poisson(self.scenario.arrival_rate(name, now) * (now - last))
            for _ in range(int(count)):
                response = client.post("/api/v1/contacts", json={"queue": name}, headers=pbx)
                if response.status_code != 201:
                    continue
                self.created += 1
                patience = queue.callers.patience
                if patience is not None:
                    wait = float(patience.draw(self.rng, 1)[0])
                    self._later(now + wait, "patience", response.json()["contact_id"])

    def _answer_prompts(self, client: httpx.Client, pbx: dict[str, str], now: float) -> None:
        while self.prompts:
            prompt = self.prompts.popleft()
            callers = self.queues[prompt.queue].callers
            accept = (
                callers.callback_accept if prompt.offer == "callback" else callers.voicemail_accept
            )
            if self.rng.random() >= accept:
                client.post(f"/api/v1/contacts/{prompt.contact_id}/decline", headers=pbx)
            elif prompt.offer == "callback":
                client.post(f"/api/v1/contacts/{prompt.contact_id}/callback", headers=pbx)
            else:
                client.post(
                    f"/api/v1/contacts/{prompt.contact_id}/voicemail",
                    json={"message": "demo caller left a message"}, headers=pbx,
                )  # fmt: skip

    def _take_offers(self, client: httpx.Client, sup: dict[str, str], now: float) -> None:
        while self.offers:
            offer = self.offers.popleft()
            if offer.agent_id == HUMAN_AGENT:
                continue  # a person answers at the desk
            accepted = client.post(
                f"/api/v1/agents/{offer.agent_id}/offers/{offer.contact_id}/accept", headers=sup
            )
            if accepted.status_code == 200:
                service = self.queues[offer.queue].callers.service
                talk = float(service.draw(self.rng, 1)[0])
                self._later(now + talk, "complete", offer.contact_id, offer.agent_id)

    def _run_due(
        self, client: httpx.Client, pbx: dict[str, str], sup: dict[str, str], now: float
    ) -> None:
        while self.due and self.due[0][0] <= now:
            _, _, what, contact_id, agent_id = heapq.heappop(self.due)
            if what == "complete":
                done = client.post(
                    f"/api/v1/agents/{agent_id}/contacts/{contact_id}/complete", json={},
                    headers=sup,
                )  # fmt: skip
                self.completed += done.status_code == 200
            else:  # patience ran out: hang up if still in line (409 if already answered)
                client.post(f"/api/v1/contacts/{contact_id}/cancel", headers=pbx)


@dataclass
class Demo:
    """A running demo: its address, the tokens it issued, and what it has done so far."""

    url: str
    tokens: dict[str, str]
    scenario: Scenario
    clock: AcceleratedClock
    traffic: DemoTraffic
    surge: SurgeLive | None
    _server: uvicorn.Server
    _thread: threading.Thread
    _store: Engine
    _lock: WriterLock

    @classmethod
    def start(
        cls,
        folder: Path,
        scenario_file: Path,
        *,
        speed: float = 20.0,
        at: str = "09:50",
        host: str = "127.0.0.1",
        port: int = 8080,
        plan: Path | None = None,
    ) -> Demo:
        """Serve the scenario's center from a store recreated in `folder`, starting at the
        local time `at` of the scenario's first day, and start the traffic.

        Raises BadConfig or BadInput for a bad scenario, plan or time, BadInput
        when the server cannot listen on host:port, and StoreLocked while another
        demo (or server) runs on `folder`'s store.
        """
        scenario = load_scenario(scenario_file)
        start = scenario.start + time_of_day(at, what="--at")
        surge = surge_setup(plan, scenario)
        url = f"http://{host}:{port}"
        store, lock = _fresh_store(folder, url)
        users = UserStore(store)
        users.add("demo-pbx", "integration")
        users.add("demo-supervisor", "supervisor")
        users.add(HUMAN_AGENT, "agent")
        tokens = {"pbx": users.issue_token("demo-pbx"),
                  "supervisor": users.issue_token("demo-supervisor")}  # fmt: skip
        clock = AcceleratedClock(start=start, speed=speed)
        app = build_app(store, ServerConfig(center=center_factory(scenario), clock=clock,
                                            surge=surge))  # fmt: skip
        server = uvicorn.Server(uvicorn_config(app, host=host, port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            if not thread.is_alive():
                lock.release()
                store.dispose()
                raise BadInput(f"the server could not start on {host}:{port}")
            time.sleep(0.05)
        traffic = DemoTraffic(url, tokens, scenario, clock, app.state.live)
        traffic.start()
        return cls(
            url, tokens, scenario, clock, traffic, app.state.surge, server, thread, store, lock
        )

    def openings(self) -> list[Opening]:
        """What to open, with fresh one-time sign-in links for the supervisor and the
        agent a person plays."""
        queues = [queue.spec.name for queue in self.scenario.queues]
        return openings(UserStore(self._store), self.url, queues)

    def status(self) -> str:
        """One line for the console: the center's local time, traffic so far, and each
        planned queue's active surge tiers."""
        now = self.clock().astimezone(self.traffic.zone).strftime("%a %H:%M")
        line = f"{now}  callers {self.traffic.created}  calls completed {self.traffic.completed}"
        if self.surge is None:
            return line
        queues = self.surge.status()["queues"]
        return (
            line
            + "  tiers "
            + ", ".join(
                f"{q['queue']} {'+'.join(map(str, q['active_tiers'])) or '-'}" for q in queues
            )
        )

    def stop(self) -> None:
        self.traffic.stop.set()
        self.traffic.join(timeout=10)
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._lock.release()
        self._store.dispose()


def _fresh_store(folder: Path, address: str) -> tuple[Engine, WriterLock]:
    """An empty store in `folder`, with its writer lock held by this process.

    The lock is taken on whatever store is there before anything is deleted, so a
    demo still running keeps its store and this one refuses (StoreLocked). The
    lock file stays while the rest goes: its flock is what keeps the next demo out.
    """
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{(folder / 'callboard.db').resolve()}"
    old = open_store(url)
    lock = writer_lock(old, address)
    lock.take_or_refuse()
    old.dispose()
    for entry in folder.iterdir():
        if entry.suffix == ".lock":  # callboard.db.lock, store/writer_lock.py
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    store = open_store(url)
    lock.engine = store  # the same file, made anew; the holder is recorded in it
    lock.record()
    return store, lock
