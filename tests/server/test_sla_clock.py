"""SLA escalations fire live, over HTTP, on SQLite and PostgreSQL: once, at the due time,
with history, the policy's effects and a notice a real webhook receiver gets; a restart
neither fires again nor forgets a notice it could not deliver."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from callboard.cases import SlaPolicies, load_policies
from callboard.server.app import ServerConfig, build_app
from callboard.server.demo import AcceleratedClock
from callboard.surge import EmailNotifier, Notifier, WebhookNotifier
from tests.fixtures.live_server import serving
from tests.server.hotline import T0, Hotline, eventually
from tests.surge.receivers import smtp_receiver, webhook_receiver

KYIV = ZoneInfo("Europe/Kyiv")
POLICY = """
[calendar]
timezone = "Europe/Kyiv"

[default]
first_response = "10m"
resolution = "1h"
on_breach = { first_response = { priority = 8, assign_to = "bob" } }
"""
# Several of the SLA clock's steps (it reads the clock every 0.25 s at most).
A_FEW_STEPS_S = 1.0
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def policies(tmp_path: Path, notify: str | None = None) -> SlaPolicies:
    path = tmp_path / "sla.toml"
    gas = f'[category.gas-leak]\nfirst_response = "10m"\non_breach = {{ notify = "{notify}" }}\n'
    path.write_text(POLICY + (gas if notify else ""))
    return load_policies(path)


@contextmanager
def sla_server(
    db: Hotline, tmp_path: Path, *notifiers: Notifier, notify: str | None = None
) -> Iterator[None]:
    """Served with POLICY; with `notify`, a gas-leak category whose breaches go to it."""
    config = ServerConfig(clock=db.time, policies=policies(tmp_path, notify), notifiers=notifiers)
    with serving(build_app(db.engine, config)) as url:
        db.url = url
        yield


def history(db: Hotline, number: int) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = (
        db.as_("sue").get(f"/api/v1/cases/{number}/history").json()["history"]
    )
    return entries


def entries(db: Hotline, number: int, action: str) -> list[dict[str, Any]]:
    return [h for h in history(db, number) if h["action"] == action]


def open_case(db: Hotline, **fields: Any) -> dict[str, Any]:
    response = db.as_("sue").post("/api/v1/cases", json={"queue": "billing", **fields})
    assert response.status_code == 201, response.text
    case: dict[str, Any] = response.json()
    return case


def test_a_breach_escalates_once_at_its_due_time_and_reaches_the_webhook(
    hotline_db: Hotline, tmp_path: Path
) -> None:
    db = hotline_db
    with webhook_receiver() as hook:
        with sla_server(db, tmp_path, WebhookNotifier(hook.url)):
            case = open_case(db, priority=2)
            number = case["id"]
            due = datetime.fromisoformat(case["sla"]["first_response_due"])
            assert due == T0 + timedelta(minutes=10)

            db.time.now = due - timedelta(seconds=1)
            time.sleep(A_FEW_STEPS_S)
            assert [h["action"] for h in history(db, number)] == ["opened"]
            assert hook.received == []

            db.time.now = due + timedelta(seconds=1)
            eventually(lambda: len(hook.received) == 1, "the webhook notice")
            (notice,) = hook.received
            assert notice["kind"] == "sla.escalated" and notice["case_id"] == number
            assert notice["target"] == "first_response"
            assert notice["notice_id"] == f"case-{number}-first_response"
            assert notice["due"] == due.astimezone(KYIV).isoformat()
            assert (notice["priority"], notice["assignee"]) == (8, "bob")
            assert "first response was due" in notice["message"]

            (escalated,) = entries(db, number, "escalated")
            assert escalated["at"] == (due + timedelta(seconds=1)).astimezone(KYIV).isoformat()
            assert escalated["changes"]["effects"] == {
                "priority": [2, 8],
                "assignee": [None, "bob"],
            }
            now = db.as_("sue").get(f"/api/v1/cases/{number}").json()
            assert now["escalations"] == ["first_response"]
            assert (now["priority"], now["assignee"]) == (8, "bob")
            channels = {"log", f"webhook {hook.url}"}
            eventually(
                lambda: (
                    {h["changes"]["channel"] for h in entries(db, number, "notified")} == channels
                ),
                "a notified entry per channel",
            )

            time.sleep(A_FEW_STEPS_S)
            assert len(hook.received) == 1 and len(entries(db, number, "escalated")) == 1

        # A restart on the same store fires nothing again ...
        with sla_server(db, tmp_path, WebhookNotifier(hook.url)):
            time.sleep(A_FEW_STEPS_S)
            assert len(hook.received) == 1 and len(entries(db, number, "escalated")) == 1
            assert len(entries(db, number, "notified")) == 2
            # ... and the resolution target still fires, once, in the new run.
            db.time.now = T0 + timedelta(hours=1, seconds=1)
            eventually(lambda: len(hook.received) == 2, "the resolution notice")
            assert hook.received[1]["target"] == "resolution"
            time.sleep(A_FEW_STEPS_S)
            assert len(hook.received) == 2
            assert [e["changes"]["target"] for e in entries(db, number, "escalated")] == [
                "first_response",
                "resolution",
            ]


def test_a_notice_that_failed_is_delivered_after_a_restart_once(
    hotline_db: Hotline, tmp_path: Path
) -> None:
    db = hotline_db
    with webhook_receiver() as hook:
        hook.status = 500
        with sla_server(db, tmp_path, WebhookNotifier(hook.url)):
            number = open_case(db)["id"]
            db.time.now = T0 + timedelta(minutes=11)
            eventually(lambda: entries(db, number, "notify_failed") != [], "the failed delivery")
            (failed,) = entries(db, number, "notify_failed")
            assert failed["changes"]["channel"] == f"webhook {hook.url}"
            assert "500" in failed["changes"]["error"]
        tries = len(hook.received)
        hook.status = 204
        with sla_server(db, tmp_path, WebhookNotifier(hook.url)):
            eventually(lambda: len(entries(db, number, "notified")) == 2, "the delivery")
            time.sleep(A_FEW_STEPS_S)
            assert len(hook.received) == tries + 1  # the one that went through
            assert len(entries(db, number, "escalated")) == 1


def test_a_breach_with_an_address_is_mailed_and_one_without_is_not(
    hotline_db: Hotline, tmp_path: Path
) -> None:
    db = hotline_db
    with smtp_receiver() as (port, mailbox):
        mail = EmailNotifier("127.0.0.1", port, "callboard@localhost")
        with sla_server(db, tmp_path, mail, notify="duty@example.org"):
            number = open_case(db, category="gas-leak")["id"]
            quiet = open_case(db)["id"]
            db.time.now = T0 + timedelta(minutes=11)
            eventually(lambda: len(mailbox.messages) == 1, "the e-mail")
            eventually(lambda: entries(db, quiet, "notified") != [], "the log entry")
            ((recipients, message),) = mailbox.messages
            assert recipients == ["duty@example.org"]
            assert message["Subject"] == f"Callboard case {number}: first response escalated"
            assert f"Case {number} (gas-leak, billing): first response was due" in str(
                message.get_payload()
            )
            channels = [h["changes"]["channel"] for h in entries(db, quiet, "notified")]
            assert channels == ["log"]  # no address on the default policy: no e-mail


def test_the_demos_accelerated_clock_drives_escalations(
    hotline_db: Hotline, tmp_path: Path
) -> None:
    db = hotline_db
    fast = AcceleratedClock(start=T0.timestamp(), speed=600)  # ten center minutes a second
    config = ServerConfig(clock=fast, policies=policies(tmp_path))
    with serving(build_app(db.engine, config)) as url:
        db.url = url
        number = open_case(db)["id"]
        eventually(lambda: entries(db, number, "escalated") != [], "the escalation")
        (escalated,) = entries(db, number, "escalated")
        fired = datetime.fromisoformat(escalated["at"])
        due = datetime.fromisoformat(escalated["changes"]["due"])
        # Fired on the center's clock soon after its due time: a step is 0.25 s of wall
        # time at most, 2.5 center minutes at this speed; the bound leaves room for a
        # busy machine.
        assert due < fired < due + timedelta(minutes=20)


def test_every_time_the_cases_api_returns_carries_the_centers_offset(
    hotline_db: Hotline, tmp_path: Path
) -> None:
    db = hotline_db
    with sla_server(db, tmp_path):
        sue = db.as_("sue")
        number = open_case(db, notes="first call")["id"]
        sue.patch(f"/api/v1/cases/{number}", json={"status": "pending", "notes": "waiting"})
        db.time.now = T0 + timedelta(minutes=5)
        sue.patch(f"/api/v1/cases/{number}", json={"status": "open"})
        sue.post(f"/api/v1/cases/{number}/responses", json={"message": "on it"})
        db.time.now = T0 + timedelta(hours=2)
        eventually(lambda: entries(db, number, "escalated") != [], "the resolution escalation")
        answers = [
            sue.get(f"/api/v1/cases/{number}").json(),
            sue.get("/api/v1/cases").json(),
            sue.get(f"/api/v1/cases/{number}/history").json(),
            sue.get("/api/v1/cases/escalations").json(),
        ]
        stamps = [s for answer in answers for s in _strings(answer) if STAMP.match(s)]
        assert len(stamps) > 10
        # November in Kyiv is +02:00; history, pending spans and due times alike.
        assert all(s.endswith("+02:00") for s in stamps), stamps
        case = answers[0]
        assert case["opened_at"] == "2026-11-23T10:00:00+02:00"
        assert case["pending_spans"] == [["2026-11-23T10:00:00+02:00", "2026-11-23T10:05:00+02:00"]]
        assert "[2026-11-23T10:00:00+02:00 sue] waiting" in case["notes"]


def test_the_console_board_lists_escalated_and_soon_due_cases(
    hotline_db: Hotline, tmp_path: Path
) -> None:
    db = hotline_db
    with sla_server(db, tmp_path):
        late = open_case(db)["id"]
        db.time.now = T0 + timedelta(minutes=30)
        soon = open_case(db)["id"]  # first response due at 08:40 UTC
        sue = db.as_("sue")

        def board(within: int) -> dict[str, Any]:
            answer: dict[str, Any] = sue.get(
                "/api/v1/cases/escalations", params={"within": within}
            ).json()
            return answer

        eventually(lambda: board(900)["escalated"] != [], "the first escalation")
        eventually(lambda: board(900)["due_soon"] != [], "the second case on the clock")
        board_now = board(900)
        assert [c["id"] for c in board_now["escalated"]] == [late]
        assert [(c["id"], c["next_due"]) for c in board_now["due_soon"]] == [
            (soon, "2026-11-23T10:40:00+02:00")
        ]
        assert board(60)["due_soon"] == []
        assert db.as_("ann").get("/api/v1/cases/escalations").status_code == 403


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
