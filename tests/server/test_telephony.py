"""The PBX webhook contract end to end, over HTTP."""

from __future__ import annotations

from tests.server.hotline import Hotline


def test_a_pbx_queues_a_call_and_learns_where_it_goes(api: Hotline) -> None:
    pbx = api.as_("pbx")
    first = pbx.post("/api/v1/telephony/route", json={"call_id": "171.1", "queue": "heating"})
    assert first.json()["action"] == "queue" and first.json()["position"] == 1
    again = pbx.post("/api/v1/telephony/route", json={"call_id": "171.1", "queue": "heating"})
    assert again.json()["position"] == 1  # asking again does not queue it twice
    api.as_("ann").post("/api/v1/agents/ann/login", json={})
    ringing = pbx.post("/api/v1/telephony/route", json={"call_id": "171.1", "queue": "heating"})
    assert ringing.json()["action"] == "connect" and ringing.json()["agent_id"] == "ann"


def test_a_hangup_is_an_abandon_while_waiting_and_an_end_once_connected(api: Hotline) -> None:
    pbx = api.as_("pbx")
    pbx.post("/api/v1/telephony/route", json={"call_id": "w", "queue": "billing"})
    gone = pbx.post("/api/v1/telephony/hangup", json={"call_id": "w"}).json()
    assert gone["last_event"] == "contact.abandoned"

    bob = api.as_("bob")
    bob.post("/api/v1/agents/bob/login", json={})
    pbx.post("/api/v1/telephony/route", json={"call_id": "c", "queue": "billing"})
    bob.post("/api/v1/agents/bob/offers/pbx:c/accept")
    ended = pbx.post("/api/v1/telephony/hangup", json={"call_id": "c"}).json()
    assert ended["last_event"] == "contact.completed"
    assert bob.get("/api/v1/agents/bob").json()["state"] in ("wrap_up", "ready")


def test_only_integrations_may_call_the_bridge(api: Hotline) -> None:
    response = api.as_("sue").post("/api/v1/telephony/hangup", json={"call_id": "x"})
    assert response.status_code == 403
