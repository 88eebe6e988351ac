"""kill -9 of a real `callboard serve` while the center's timers fall due, then a restart:
each timer fires once, not twice, and a prompt made before the kill is still pending."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, select

from callboard.store import open_store
from callboard.store.schema import events
from callboard.store.users import UserStore
from tests.server.hotline import eventually
from tests.server.test_durability import server_process

CENTER = Path(__file__).with_name("timers.yaml")
MAX_WAIT_S = 2.0  # timers.yaml


def test_timers_fire_once_across_a_kill_9(store_url: str, tmp_path: Path) -> None:
    engine = open_store(store_url)
    users = UserStore(engine)
    users.add("pbx", "integration")
    pbx = {"Authorization": f"Bearer {users.issue_token('pbx')}"}
    drained: list[str] = []
    offered: list[str] = []
    with server_process(store_url, tmp_path, CENTER) as (base, process):
        with httpx.Client(base_url=base, headers=pbx) as client:
            started = time.monotonic()
            # Callers keep coming for twice the maximum wait, so some timers have fired
            # (and were journaled) when the server dies and others are still to come.
            while time.monotonic() - started < 2 * MAX_WAIT_S:
                for queue, ids in (("drain", drained), ("offer", offered)):
                    made = client.post("/api/v1/contacts", json={"queue": queue})
                    assert made.status_code == 201, made.text
                    ids.append(made.json()["contact_id"])
                time.sleep(0.1)
            early = offered[0]
            eventually(lambda: client.get(f"/api/v1/contacts/{early}").json()["prompt"]
                       is not None, "the first caller was offered a callback")  # fmt: skip
        process.send_signal(signal.SIGKILL)

    exited_before = _count(engine, "contact.exited")
    assert 0 < exited_before < len(drained)
    restarted = server_process(store_url, tmp_path, CENTER)
    with restarted as (base, _), httpx.Client(base_url=base, headers=pbx) as client:
        last = drained[-1]
        eventually(lambda: client.get(f"/api/v1/contacts/{last}").json()["state"]
                   == "finished", "the last caller's maximum wait fired")  # fmt: skip
        time.sleep(0.5)  # time for a timer that would fire twice to do so
        for contact_id in offered:
            status = client.get(f"/api/v1/contacts/{contact_id}").json()
            assert status["state"] == "waiting", status
            assert status["prompt"]["offer"] == "callback", status
    per_contact = _per_contact(engine, "contact.exited")
    assert per_contact == {contact_id: 1 for contact_id in drained}
    engine.dispose()


def _count(engine: Engine, event_type: str) -> int:
    return sum(_per_contact(engine, event_type).values())


def _per_contact(engine: Engine, event_type: str) -> dict[str, int]:
    query = (
        select(events.c.contact_id, func.count())
        .where(events.c.type == event_type)
        .group_by(events.c.contact_id)
    )
    with engine.connect() as conn:
        return {str(c): int(n) for c, n in conn.execute(query)}
