"""Failover: a second server refuses or stands by; a standby takes over from a killed
server, and a server carries on when its PostgreSQL primary dies and the synchronous
standby is promoted. Each checks correctness (every acknowledged contact is found, no
arrival recorded twice), not time: bench/failover measures that."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from callboard.store import open_store
from callboard.store.schema import events
from tests.fixtures.failover import (
    OUTAGE_REQUESTS,
    Tokens,
    database_failover,
    server_failover,
    store_outage,
)
from tests.fixtures.postgres import Cluster, ReplicatedPair
from tests.fixtures.serve_process import serving, start
from tests.server.hotline import eventually


def test_a_second_server_refuses_and_names_the_first(store_url: str, tmp_path: Path) -> None:
    with serving(store_url, tmp_path) as first:
        second = start(store_url, tmp_path)
        assert second.process.wait(timeout=60) == 2
        said = " ".join(second.output().split())
        assert "is already served by pid" in said and f"{first.process.pid}" in said
        assert first.base in said and "since" in said and "--standby" in said


def test_a_standby_answers_503_until_it_takes_over(store_url: str, tmp_path: Path) -> None:
    with (
        serving(store_url, tmp_path),
        serving(store_url, tmp_path, "--standby", wanted="standby") as standby,
    ):
        health = httpx.get(f"{standby.base}/api/v1/health")
        assert health.status_code == 200 and health.json()["role"] == "standby"
        refused = httpx.get(f"{standby.base}/api/v1/queues")
        assert refused.status_code == 503 and refused.headers["Retry-After"]
        assert refused.json()["ok"] is False


def test_the_standby_takes_over_from_a_killed_server(store_url: str, tmp_path: Path) -> None:
    drill = server_failover(store_url, tmp_path)
    assert drill.acknowledged >= 100
    assert drill.found == drill.acknowledged
    assert drill.arrivals_recorded_twice == 0
    assert "500" not in drill.answers


@pytest.mark.postgres
def test_the_server_carries_on_when_the_primary_dies_and_the_standby_is_promoted(
    replicated_postgres: ReplicatedPair, tmp_path: Path
) -> None:
    drill = database_failover(replicated_postgres, tmp_path)
    assert drill.acknowledged >= 100
    assert drill.found == drill.acknowledged
    assert drill.arrivals_recorded_twice == 0
    assert "500" not in drill.answers and "no answer" not in drill.answers


@pytest.mark.postgres
def test_a_store_outage_answers_503_with_retry_after_and_recovers_by_itself(
    postgres_cluster: Cluster, tmp_path: Path
) -> None:
    answers = store_outage(postgres_cluster, tmp_path, seconds=8)
    during = " ".join(answers["during"])
    assert "503" in during
    for wrong in (" 500", "no answer", "without Retry-After"):
        assert wrong not in during, answers["during"]
    after = answers["after"]
    for method, path, _ in OUTAGE_REQUESTS:
        kind = f"{method} {path.split('?')[0]}"
        assert any(k.startswith(kind) and k.endswith((" 200", " 201")) for k in after), after
        assert not any(k.startswith(kind) and (" 500" in k or "no answer" in k) for k in after)


TIMED_OUT_CENTER = """\
name: callers who wait 2 s at most
start: 2026-01-05T00:00
timezone: UTC
duration: 1h
queues:
  heating:
    arrivals: {rate_per_hour: 60}
    service: {dist: exponential, mean: 300}
    max_wait: 2s
    max_wait_action: exit
agents:
  - {name: ann, count: 1, skills: {heating: 1}}
"""


def test_timers_fire_once_across_a_takeover(store_url: str, tmp_path: Path) -> None:
    """Callers leave at their maximum wait: those due before the kill left on the first
    server, the rest leave on the standby that took over, and none leaves twice."""
    center = tmp_path / "center.yaml"
    center.write_text(TIMED_OUT_CENTER)
    tokens = Tokens.issue(store_url)
    pbx = {"Authorization": f"Bearer {tokens.pbx}"}
    with (
        serving(store_url, tmp_path, center=center) as first,
        serving(store_url, tmp_path, "--standby", wanted="standby", center=center) as second,
    ):
        ids = []
        for batch in range(2):
            for _ in range(10):
                response = httpx.post(f"{first.base}/api/v1/contacts", json={"queue": "heating"},
                                      headers=pbx)  # fmt: skip
                ids.append(response.json()["contact_id"])
            if batch == 0:
                eventually(lambda: _exits(store_url).keys() >= set(ids), "the first exits")
        first.kill()
        second.wait_for("active")
        eventually(lambda: _exits(store_url).keys() >= set(ids), "every caller left")
        time.sleep(3)  # past every timer: a timer fired twice would show by now
    assert _exits(store_url) == dict.fromkeys(ids, 1)


def _exits(url: str) -> dict[str, int]:
    """How often each contact left by its maximum wait, from the event log."""
    engine = open_store(url)
    query = (
        select(events.c.contact_id, func.count()).where(events.c.type == "contact.exited")
        .group_by(events.c.contact_id)
    )  # fmt: skip
    with engine.connect() as conn:
        exits = {contact_id: int(count) for contact_id, count in conn.execute(query)}
    engine.dispose()
    return exits
