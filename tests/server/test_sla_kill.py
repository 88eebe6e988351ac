"""`kill -9` of a real `callboard serve --sla` on the wall clock: an escalation fired before
the kill is not fired again, and one fired but not yet told is told after the restart, once."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from callboard.store import open_store
from callboard.store.users import UserStore
from tests.fixtures.serve_process import Served, serving
from tests.surge.receivers import webhook_receiver

POLICY = """
[default]
first_response = "2s"
resolution = "1h"
on_breach = { priority = 6 }
"""


def until(done: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


def test_kill_9_neither_fires_twice_nor_forgets_a_notice(store_url: str, tmp_path: Path) -> None:
    engine = open_store(store_url)
    users = UserStore(engine)
    users.add("sue", "supervisor")
    headers = {"Authorization": f"Bearer {users.issue_token('sue')}"}
    engine.dispose()
    policy = tmp_path / "sla.toml"
    policy.write_text(POLICY)

    def client(served: Served) -> httpx.Client:
        return httpx.Client(base_url=served.base, headers=headers, timeout=5)

    def actions(served: Served, number: int, action: str) -> list[dict[str, Any]]:
        found = client(served).get(f"/api/v1/cases/{number}/history").json()["history"]
        return [h for h in found if h["action"] == action]

    with webhook_receiver() as hook:
        options = ("--sla", str(policy), "--notify-webhook", hook.url)
        with serving(store_url, tmp_path / "data", *options) as served:
            told = client(served).post("/api/v1/cases", json={}).json()["id"]
            until(lambda: len(hook.received) == 1, "the first notice")
            until(lambda: len(actions(served, told, "notified")) == 2, "both deliveries recorded")
            # The next one fires while the webhook refuses: fired, not told, then kill -9.
            hook.status = 500
            untold = client(served).post("/api/v1/cases", json={}).json()["id"]
            until(lambda: actions(served, untold, "notify_failed") != [], "the refused notice")
            served.kill()
        refused = len(hook.received) - 1
        hook.status = 204

        with serving(store_url, tmp_path / "data", *options) as served:
            until(lambda: len(actions(served, untold, "notified")) == 2, "the notice after restart")
            time.sleep(3)  # longer than the first-response target: nothing else falls due
            assert [n["case_id"] for n in hook.received] == [told] + [untold] * (refused + 1)
            for number in (told, untold):
                (escalated,) = actions(served, number, "escalated")
                assert escalated["at"].endswith("+00:00")  # the hotline's zone is UTC
                case = client(served).get(f"/api/v1/cases/{number}").json()
                assert case["escalations"] == ["first_response"] and case["priority"] == 6
