"""`serve --follow-shifts`: the scenario's agents log in and out and take their breaks at
its times on the live clock, each change journaled once, also across a restart."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select

from callboard.engine import Arrive
from callboard.errors import BadInput
from callboard.server import build_app
from callboard.server.app import ServerConfig
from callboard.server.centers import center_factory
from callboard.server.launch import ServeOptions, prepare
from callboard.server.live import LiveCenter, StoreUnavailable
from callboard.server.shifts import ShiftFollower
from callboard.sim import Scenario, load_scenario
from callboard.store import Journal
from callboard.store.schema import journal
from callboard.workspace import Workspace
from tests.fixtures.live_server import serving
from tests.server.hotline import T0, Hotline, eventually
from tests.server.test_durability import FlakyJournal

ROTA = """\
name: rota
start: 2026-01-05T00:00
timezone: UTC
duration: 1d
queues:
  heating:
    arrivals: {rate_per_hour: 60}
    service: {dist: exponential, mean: 300}
agents:
  - name: day
    count: 2
    skills: {heating: 1}
    shift: {start: "08:00", end: "09:00"}
    breaks: [{at: "08:30", duration: 10m, reason: lunch}]
"""


@pytest.fixture
def rota(tmp_path: Path) -> Scenario:
    path = tmp_path / "rota.yaml"
    path.write_text(ROTA)
    return load_scenario(path)


@contextmanager
def served(api: Hotline, scenario: Scenario) -> Iterator[httpx.Client]:
    config = ServerConfig(clock=api.time, center=center_factory(scenario), follow_shifts=scenario)
    with serving(build_app(api.engine, config)) as url:
        api.url = url
        with api.as_("sue") as sue:
            yield sue


def states(sue: httpx.Client) -> list[tuple[str, str | None]]:
    agents = sorted(sue.get("/api/v1/agents").json()["agents"], key=lambda a: a["agent_id"])
    return [(a["state"], a["reason"]) for a in agents]


def journaled(api: Hotline) -> dict[str, int]:
    query = select(journal.c.command, func.count()).group_by(journal.c.command)
    with api.engine.connect() as conn:
        return {str(command): int(n) for command, n in conn.execute(query)}


def test_the_rota_is_followed_on_the_live_clock_and_survives_a_restart(
    hotline_db: Hotline, rota: Scenario
) -> None:
    hotline_db.time.now = T0 - timedelta(minutes=5)  # 07:55, before the shift
    with served(hotline_db, rota) as sue:
        assert states(sue) == [("logged_out", None)] * 2
        hotline_db.time.now = T0 + timedelta(minutes=1)
        eventually(lambda: states(sue) == [("ready", None)] * 2, "the shift began")
        hotline_db.time.now = T0 + timedelta(minutes=31)
        assert states(sue) == [("not_ready", "lunch")] * 2
    # A restart in the middle of lunch: nothing fires again, the rota goes on.
    with served(hotline_db, rota) as sue:
        assert states(sue) == [("not_ready", "lunch")] * 2
        hotline_db.time.now = T0 + timedelta(minutes=41)
        assert states(sue) == [("ready", None)] * 2
        hotline_db.time.now = T0 + timedelta(minutes=61)
        assert states(sue) == [("logged_out", None)] * 2
    once_each = {"login": 2, "set_not_ready": 2, "set_ready": 2, "logout": 2}
    assert {k: v for k, v in journaled(hotline_db).items() if k in once_each} == once_each


def test_a_center_started_during_lunch_starts_on_lunch(hotline_db: Hotline, rota: Scenario) -> None:
    hotline_db.time.now = T0 + timedelta(minutes=35)
    with served(hotline_db, rota) as sue:
        assert states(sue) == [("not_ready", "lunch")] * 2
        hotline_db.time.now = T0 + timedelta(minutes=40)
        assert states(sue) == [("ready", None)] * 2


def test_following_shifts_needs_a_scenario(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="--follow-shifts needs --center"):
        prepare(Workspace(tmp_path), ServeOptions(follow_shifts=True))


def test_shift_changes_lost_with_a_failed_write_fire_again(store: Engine, rota: Scenario) -> None:
    clock = [(T0 - timedelta(minutes=5)).timestamp()]
    journal = FlakyJournal(store)
    live = LiveCenter.open(journal, center_factory(rota), lambda: clock[0])
    live.schedule = ShiftFollower(rota)
    clock[0] = (T0 + timedelta(minutes=1)).timestamp()
    journal.failures = 1
    with pytest.raises(StoreUnavailable):
        live.execute(Arrive("c1", "heating"))  # the shift's logins go down with it
    assert live.read(lambda c: c.agent_state("day-1")) == ("ready", None)
    live.close()
    reopened = LiveCenter.open(Journal(store), center_factory(rota), lambda: clock[0])
    assert reopened.center.agent_state("day-2") == ("ready", None)
    reopened.close()
