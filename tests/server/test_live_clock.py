"""The live center keeps time: with no command at all, waits grow and timers fire, and
every prompt reaches the caller (widget and PBX), journaled first.

Real uvicorn over HTTP, on SQLite and PostgreSQL; the test's clock stands for the
wall clock (or the demo's accelerated one) and jumps center time forward.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select
from websockets.sync.client import connect

from callboard.server import build_app
from callboard.server.app import ServerConfig
from callboard.server.demo import AcceleratedClock
from callboard.store.schema import events
from tests.fixtures.live_server import serving
from tests.server.hotline import MAX_WAIT_S, T0, Hotline, eventually, patient_hotline, route


def oldest_wait(api: Hotline, queue: str) -> float:
    queues = api.as_("sue").get("/api/v1/queues").json()["queues"]
    return float(next(q["oldest_wait_s"] for q in queues if q["queue"] == queue))


def count(api: Hotline, event_type: str, contact_id: str) -> int:
    query = select(func.count()).where(events.c.type == event_type,
                                       events.c.contact_id == contact_id)  # fmt: skip
    with api.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_waits_grow_and_max_wait_offers_a_callback_with_no_command_at_all(
    clocked: Hotline,
) -> None:
    assert route(clocked, "m.1")["action"] == "queue"
    with httpx.Client(base_url=clocked.url) as caller:
        joined = caller.post(
            "/api/v1/widget/contacts", json={"queue": "heating", "phone": "+380501112233"}
        ).json()
        mine = f"/api/v1/widget/contacts/{joined['contact_id']}"
        secret = {"X-Widget-Secret": joined["secret"]}
        assert joined["prompt"] is None
        assert oldest_wait(clocked, "heating") == 0.0
        # Two minutes of center time pass; nobody says anything to the server.
        clocked.time.now += timedelta(minutes=2)
        assert oldest_wait(clocked, "heating") == 120.0
        eventually(lambda: caller.get(mine, headers=secret).json()["prompt"] is not None,
                   "the widget shows the callback offer")  # fmt: skip
        seen = caller.get(mine, headers=secret).json()
        assert seen["prompt"]["offer"] == "callback" and seen["prompt"]["reason"] == "max_wait"
        assert seen["state"] == "waiting" and seen["position"] == 2
        offered = route(clocked, "m.1")
        assert offered["action"] == "offer_callback" and offered["prompt_reason"] == "max_wait"
        # The SSE feed shows the same, current figure.
        with clocked.as_("sue").stream("GET", "/api/v1/stream/queues") as feed:
            line = next(x for x in feed.iter_lines() if x.startswith("data:"))
        assert '"oldest_wait_s": 120.0' in line

        # The caller on the phone takes it and keeps their place; the widget caller says no.
        taken = (
            clocked.as_("pbx")
            .post("/api/v1/telephony/choice", json={"call_id": "m.1", "choice": "accept"})
            .json()
        )
        assert taken["action"] == "hangup" and taken["position"] == 1
        assert route(clocked, "m.1")["action"] == "hangup"
        declined = caller.post(f"{mine}/decline", headers=secret).json()
        assert declined["prompt"] is None and declined["position"] == 2
        again = clocked.as_("pbx").post(
            "/api/v1/telephony/choice", json={"call_id": "m.1", "choice": "accept"}
        )
        assert again.status_code == 409
    # The offer fired once, at its time, and was journaled before it was shown.
    assert count(clocked, "callback.requested", "pbx:m.1") == 1


def test_a_full_line_offers_voicemail_to_the_pbx_and_an_emergency_is_announced(
    clocked: Hotline,
) -> None:
    assert route(clocked, "v.1", "billing")["action"] == "queue"
    full = route(clocked, "v.2", "billing")
    assert full["action"] == "offer_voicemail" and full["prompt_reason"] == "full"
    left = (
        clocked.as_("pbx")
        .post(
            "/api/v1/telephony/choice",
            json={
                "call_id": "v.2",
                "choice": "accept",
                "recording": "/var/spool/asterisk/vm/v2.wav",
            },
        )
        .json()
    )
    assert left["action"] == "hangup"
    assert route(clocked, "v.2", "billing")["action"] == "finished"

    mode = clocked.as_("sue").post(
        "/api/v1/queues/heating/mode",
        json={"mode": "emergency", "message": "Storm: expect delays.",
              "messages": {"uk": "Буря: можливі затримки."}},
    ).json()  # fmt: skip
    assert mode["message"] == "Storm: expect delays." and mode["messages"]["uk"]
    heard = route(clocked, "e.1", language="uk")
    assert heard["action"] == "announce" and heard["announcement"] == "Буря: можливі затримки."
    assert route(clocked, "e.2", language="zh")["announcement"] == "Storm: expect delays."
    assert route(clocked, "e.1")["action"] == "queue"  # announced once, on the first ask


def test_a_finished_call_is_never_queued_again(clocked: Hotline) -> None:
    pbx = clocked.as_("pbx")
    assert route(clocked, "t2.1")["action"] == "queue"
    gone = pbx.post("/api/v1/telephony/hangup", json={"call_id": "t2.1"}).json()
    assert gone["state"] == "finished"
    assert route(clocked, "t2.1")["action"] == "finished"
    retried = pbx.post("/api/v1/telephony/hangup", json={"call_id": "t2.1"})
    assert retried.status_code == 200 and retried.json()["last_event"] == "contact.abandoned"
    assert route(clocked, "t2.1")["action"] == "finished"
    assert count(clocked, "contact.arrived", "pbx:t2.1") == 1
    assert count(clocked, "contact.abandoned", "pbx:t2.1") == 1
    # Answered, then hung up: finished too.
    clocked.as_("ann").post("/api/v1/agents/ann/login", json={})
    assert route(clocked, "t2.2")["action"] == "connect"
    clocked.as_("ann").post("/api/v1/agents/ann/offers/pbx:t2.2/accept")
    pbx.post("/api/v1/telephony/hangup", json={"call_id": "t2.2"})
    assert route(clocked, "t2.2")["action"] == "finished"
    assert count(clocked, "contact.arrived", "pbx:t2.2") == 1


def test_a_desk_that_disconnects_times_out_by_default(clocked: Hotline) -> None:
    bob = clocked.as_("bob")
    bob.post("/api/v1/agents/bob/login", json={})
    ws_url = clocked.url.replace("http", "ws") + "/api/v1/agents/bob/stream"
    bearer = {"Authorization": f"Bearer {clocked.tokens['bob']}"}
    with connect(ws_url, additional_headers=bearer) as desk:
        assert route(clocked, "d.1", "billing")["action"] == "connect"
        assert "offer" in desk.recv(timeout=10)
    # The desk is gone with the offer open; the queue sets no timeout of its own.
    assert bob.get("/api/v1/agents/bob").json()["state"] == "reserved"
    clocked.time.now += timedelta(seconds=29)
    assert bob.get("/api/v1/agents/bob").json()["state"] == "reserved"
    clocked.time.now += timedelta(seconds=1)
    eventually(lambda: bob.get("/api/v1/agents/bob").json()["state"] == "not_ready",
               "the offer timed out")  # fmt: skip
    assert bob.get("/api/v1/agents/bob").json()["reason"] == "other"
    back = route(clocked, "d.1", "billing")
    assert back["action"] == "queue" and back["position"] == 1


def test_on_the_demos_accelerated_clock_the_timer_loop_fires_with_no_request(
    hotline_db: Hotline,
) -> None:
    clock = AcceleratedClock(start=T0.timestamp(), speed=120.0)  # two minutes a second
    app = build_app(hotline_db.engine, ServerConfig(clock=clock, center=patient_hotline))
    with serving(app) as url:
        hotline_db.url = url
        assert route(hotline_db, "a.1")["action"] == "queue"
        queued_at = clock.seconds()
        # No request at all: the timer loop fires the maximum wait (`prompt` reads no
        # center, so it moves no time).
        live = app.state.live
        eventually(lambda: live.prompt("pbx:a.1") is not None, "the timer loop fired")
        assert clock.seconds() - queued_at >= MAX_WAIT_S
        eventually(lambda: clock.seconds() - queued_at > MAX_WAIT_S + 30, "center time passed")
        assert route(hotline_db, "a.1")["action"] == "offer_callback"
        assert oldest_wait(hotline_db, "heating") > MAX_WAIT_S + 30


def test_route_and_hangup_take_the_decision_lane(hotline_db: Hotline) -> None:
    resolved: list[str] = []
    with hotline_db.serve(lane=resolved, center=patient_hotline) as url:
        hotline_db.url = url
        assert route(hotline_db, "lane.1")["action"] == "queue"
        hung_up = hotline_db.as_("pbx").post("/api/v1/telephony/hangup", json={"call_id": "lane.1"})
        assert hung_up.json()["last_event"] == "contact.abandoned"
        assert route(hotline_db, "lane.1")["action"] == "finished"
        # What the lane cannot resolve, FastAPI answers as always.
        bad = hotline_db.as_("pbx").post("/api/v1/telephony/route", json={"call_id": ""})
        assert bad.status_code == 422
    assert resolved.count(hotline_db.tokens["pbx"]) >= 4
