"""The live center over HTTP: routing, callbacks, abandons, offer timeouts, recovery.

A real uvicorn serves the app on loopback; the server's clock is a FakeTime
that the test moves, so engine timers (offer timeouts) fire on demand.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.server.hotline import Hotline, call, eventually


def test_a_call_is_routed_by_skill_and_handled(api: Hotline) -> None:
    bob, ann = api.as_("bob"), api.as_("ann")
    assert ann.post("/api/v1/agents/ann/login", json={}).json()["state"] == "ready"
    assert bob.post("/api/v1/agents/bob/login", json={}).json()["state"] == "ready"
    contact = call(api, "billing", caller="+380501112233", region="Kyiv")
    assert contact["agent_id"] == "bob" and contact["state"] == "offered"
    assert bob.get("/api/v1/agents/bob").json()["state"] == "reserved"
    assert ann.get("/api/v1/agents/ann").json()["state"] == "ready"
    cid = contact["contact_id"]
    assert bob.post(f"/api/v1/agents/bob/offers/{cid}/accept").json()["state"] == "busy"
    api.time.now += timedelta(minutes=3)
    done = bob.post(f"/api/v1/agents/bob/contacts/{cid}/complete", json={"acw_s": 30})
    assert done.json()["state"] == "wrap_up"
    finished = api.as_("pbx").get(f"/api/v1/contacts/{cid}").json()
    assert finished["state"] == "finished" and finished["last_event"] == "contact.completed"


def test_a_callback_keeps_its_place_in_line(api: Hotline) -> None:
    first, second, third = (call(api, "heating") for _ in range(3))
    assert [c["position"] for c in (first, second, third)] == [1, 2, 3]
    assert first["ewt_s"] is None  # nobody serves the queue yet: the wait is unknown
    pbx = api.as_("pbx")
    kept = pbx.post(f"/api/v1/contacts/{first['contact_id']}/callback").json()
    assert kept["callback"] is True and kept["position"] == 1
    assert pbx.get(f"/api/v1/contacts/{third['contact_id']}").json()["position"] == 3
    api.as_("ann").post("/api/v1/agents/ann/login", json={})
    offered = pbx.get(f"/api/v1/contacts/{first['contact_id']}").json()
    assert offered["agent_id"] == "ann"
    assert pbx.get(f"/api/v1/contacts/{second['contact_id']}").json()["position"] == 1


def test_an_abandoned_call_leaves_the_queue(api: Hotline) -> None:
    first, second = call(api, "heating"), call(api, "heating")
    pbx = api.as_("pbx")
    gone = pbx.post(f"/api/v1/contacts/{first['contact_id']}/cancel").json()
    assert gone["state"] == "finished" and gone["last_event"] == "contact.abandoned"
    assert pbx.get(f"/api/v1/contacts/{second['contact_id']}").json()["position"] == 1
    again = pbx.post(f"/api/v1/contacts/{first['contact_id']}/cancel")
    assert again.status_code == 409 and again.json()["ok"] is False


def test_an_offer_that_times_out_returns_the_call_to_the_head_of_the_queue(api: Hotline) -> None:
    ann = api.as_("ann")
    ann.post("/api/v1/agents/ann/login", json={})
    first = call(api, "heating")
    second = call(api, "heating")
    assert first["agent_id"] == "ann" and second["position"] == 1
    assert second["ewt_s"] is not None and second["ewt_s"] > 0 and second["ewt_predictor"]
    api.time.now += timedelta(seconds=25)  # past the 20 s offer timeout
    eventually(lambda: ann.get("/api/v1/agents/ann").json()["state"] == "not_ready", "timeout")
    back = api.as_("pbx").get(f"/api/v1/contacts/{first['contact_id']}").json()
    assert back["state"] == "waiting" and back["position"] == 1


def test_a_voicemail_becomes_a_case(api: Hotline) -> None:
    contact = call(api, "heating", caller="+380441234567")
    response = api.as_("pbx").post(
        f"/api/v1/contacts/{contact['contact_id']}/voicemail",
        json={"message": "no heating at Khreshchatyk 1, flat 5"},
    )
    assert response.status_code == 201, response.text
    case = response.json()
    assert case["contact_ids"] == [contact["contact_id"]] and case["queue"] == "heating"
    assert case["caller"] == "+380441234567" and "Khreshchatyk" in case["notes"]


def test_roles_guard_contacts_and_agents(api: Hotline) -> None:
    ann, pbx = api.as_("ann"), api.as_("pbx")
    assert ann.post("/api/v1/agents/bob/login", json={}).status_code == 403
    assert pbx.post("/api/v1/agents/ann/login", json={}).status_code == 403
    assert ann.post("/api/v1/contacts", json={"queue": "heating"}).status_code == 403
    assert ann.post("/api/v1/agents", json={"agent_id": "eve"}).status_code == 403
    assert ann.post("/api/v1/queues/heating/mode", json={"mode": "closed"}).status_code == 403
    unknown = pbx.post("/api/v1/contacts", json={"queue": "no-such-queue"})
    assert unknown.status_code == 409 and "unknown queue 'no-such-queue'" in unknown.json()["error"]
    assert api.as_("sue").post("/api/v1/agents/eve/login", json={}).status_code == 404
    ann.post("/api/v1/agents/ann/login", json={})
    not_on_it = ann.post("/api/v1/agents/ann/contacts/nobody/complete", json={})
    assert not_on_it.status_code == 409 and not_on_it.json()["ok"] is False


def test_a_restart_restores_queue_order_and_agent_states(hotline_db: Hotline) -> None:
    with hotline_db.serve() as url:
        hotline_db.url = url
        sue = hotline_db.as_("sue")
        sue.post("/api/v1/agents", json={"agent_id": "ann", "skills": {"heating": 1}})
        hotline_db.as_("ann").post("/api/v1/agents/ann/login", json={"ready": False})
        waiting = [call(hotline_db, "heating", priority=p)["contact_id"] for p in (0, 0, 5, 0)]
        order = [
            hotline_db.as_("pbx").get(f"/api/v1/contacts/{c}").json()["position"] for c in waiting
        ]
    assert order == [2, 3, 1, 4]  # priority first, then age
    with hotline_db.serve() as url:
        hotline_db.url = url
        pbx = hotline_db.as_("pbx")
        after = [pbx.get(f"/api/v1/contacts/{c}").json()["position"] for c in waiting]
        assert after == order
        assert hotline_db.as_("ann").get("/api/v1/agents/ann").json()["state"] == "not_ready"
        queues = hotline_db.as_("sue").get("/api/v1/queues").json()["queues"]
        assert {q["queue"]: q["waiting"] for q in queues} == {"heating": 4, "billing": 0}


def test_an_agent_hears_its_offers_over_a_websocket(api: Hotline) -> None:
    ws_url = api.url.replace("http://", "ws://") + "/api/v1/agents/ann/stream"
    bearer = {"Authorization": f"Bearer {api.tokens['ann']}"}
    with connect(ws_url, additional_headers=bearer) as stream:
        api.as_("ann").post("/api/v1/agents/ann/login", json={})
        contact = call(api, "heating")
        messages = [json.loads(stream.recv(timeout=10)) for _ in range(3)]
    offers = [m for m in messages if m["type"] == "offer"]
    assert offers and offers[0]["contact_id"] == contact["contact_id"]
    assert any(m["type"] == "agent.state_changed" for m in messages)


def test_an_agent_cannot_follow_another_agents_stream(api: Hotline) -> None:
    ws_url = api.url.replace("http://", "ws://") + "/api/v1/agents/bob/stream"
    with pytest.raises(InvalidStatus) as refused:
        connect(ws_url, additional_headers={"Authorization": f"Bearer {api.tokens['ann']}"})
    assert refused.value.response.status_code == 403


def test_supervisors_get_queue_status_as_server_sent_events(api: Hotline) -> None:
    call(api, "heating")
    with api.as_("sue").stream("GET", "/api/v1/stream/queues") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = response.iter_lines()
        assert next(lines) == "event: queues"
        data = json.loads(next(lines).removeprefix("data: "))
    heating = next(q for q in data["queues"] if q["queue"] == "heating")
    assert heating["waiting"] == 1


def test_the_decision_lane_answers_as_the_api_does(hotline_db: Hotline) -> None:
    """Create, accept and complete through the lane; what it cannot resolve itself
    (unknown token, a role it does not admit, a bad body) FastAPI answers as always."""
    resolved: list[str] = []
    with hotline_db.serve(lane=resolved) as url:
        hotline_db.url = url
        sue, ann, pbx = (hotline_db.as_(name) for name in ("sue", "ann", "pbx"))
        sue.post("/api/v1/agents", json={"agent_id": "ann", "skills": {"heating": 1}})
        ann.post("/api/v1/agents/ann/login", json={})
        contact = call(hotline_db, "heating", caller="+380501112233")
        assert contact["agent_id"] == "ann" and contact["state"] == "offered"
        cid = contact["contact_id"]
        assert ann.post(f"/api/v1/agents/ann/offers/{cid}/accept").json()["state"] == "busy"
        done = ann.post(f"/api/v1/agents/ann/contacts/{cid}/complete", json={"acw_s": 30})
        assert done.status_code == 200 and done.json()["state"] == "wrap_up"

        again = ann.post(f"/api/v1/agents/ann/contacts/{cid}/complete", json={})
        assert again.status_code == 409 and again.json()["ok"] is False
        assert sue.post("/api/v1/agents/eve/offers/x/accept").status_code == 404
        assert (
            hotline_db.as_("bob").post(f"/api/v1/agents/ann/offers/{cid}/accept").status_code == 403
        )
        assert ann.post("/api/v1/contacts", json={"queue": "heating"}).status_code == 403
        stranger = pbx.post(
            "/api/v1/contacts",
            json={"queue": "heating"},
            headers={"Authorization": "Bearer cb_nobody"},
        )
        assert stranger.status_code == 401 and stranger.json()["ok"] is False
        invalid = pbx.post("/api/v1/contacts", json={"queue": "heating", "priority": 99})
        assert invalid.status_code == 422 and "priority" in invalid.json()["error"]
        unknown = pbx.post("/api/v1/contacts", json={"queue": "no-such-queue"})
        assert unknown.status_code == 409 and "unknown queue" in unknown.json()["error"]
    assert resolved.count(hotline_db.tokens["ann"]) >= 3  # the lane served ann's decisions
