"""What agents and supervisors read: held contacts with their caller, the callbacks an agent
can serve, every agent at once, the case filed for a contact, and offers that name the caller.

Real uvicorn on loopback, on SQLite and PostgreSQL (a finished contact's caller is read
back from the journal).
"""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.server.hotline import Hotline, call


def test_an_agent_reads_the_contact_it_holds_with_its_caller(api: Hotline) -> None:
    ann, bob, sue, pbx = (api.as_(u) for u in ("ann", "bob", "sue", "pbx"))
    ann.post("/api/v1/agents/ann/login", json={})
    with httpx.Client(base_url=api.url) as caller:
        joined = caller.post(
            "/api/v1/widget/contacts",
            json={"queue": "heating", "name": "Petro", "phone": "+380441234567"},
        ).json()
    cid = joined["contact_id"]
    mine = ann.get(f"/api/v1/contacts/{cid}")
    assert mine.status_code == 200, mine.text
    view = mine.json()
    assert view["state"] == "offered" and view["agent_id"] == "ann"
    assert view["caller"] == "+380441234567" and view["name"] == "Petro"
    assert view["channel"] == "chat" and view["queue"] == "heating"
    assert view["attributes"] == {"source": "widget", "name": "Petro", "channel": "chat"}
    assert view["waited_s"] == 0
    assert bob.get(f"/api/v1/contacts/{cid}").status_code == 404
    assert sue.get(f"/api/v1/contacts/{cid}").json()["caller"] == "+380441234567"
    held = ann.get("/api/v1/agents/ann/contacts").json()["contacts"]
    assert [c["contact_id"] for c in held] == [cid] and held[0]["name"] == "Petro"
    assert bob.get("/api/v1/agents/ann/contacts").status_code == 403
    assert sue.get("/api/v1/agents/ann/contacts").json()["contacts"] == held
    assert bob.get("/api/v1/agents/bob/contacts").json()["contacts"] == []

    ann.post(f"/api/v1/agents/ann/offers/{cid}/accept")
    assert ann.get(f"/api/v1/contacts/{cid}").json()["state"] == "connected"
    ann.post(f"/api/v1/agents/ann/contacts/{cid}/complete", json={"acw_s": 0})
    assert ann.get(f"/api/v1/contacts/{cid}").status_code == 404
    finished = pbx.get(f"/api/v1/contacts/{cid}").json()
    assert finished["state"] == "finished" and finished["caller"] == "+380441234567"
    assert finished["name"] == "Petro" and "widget_secret_sha256" not in finished["attributes"]
    assert ann.get("/api/v1/contacts/nobody").status_code == 404
    assert pbx.get("/api/v1/contacts/nobody").status_code == 404


def test_an_agent_lists_the_callbacks_waiting_in_its_queues(api: Hotline) -> None:
    ann, bob, sue = api.as_("ann"), api.as_("bob"), api.as_("sue")
    pbx = api.as_("pbx")
    heat = [call(api, "heating", caller=f"+38044000000{i}") for i in range(2)]
    bill = call(api, "billing", caller="+380440000009")
    plain = call(api, "heating")
    for contact in (*heat, bill):
        pbx.post(f"/api/v1/contacts/{contact['contact_id']}/callback")
    api.time.now += timedelta(minutes=1)
    listed = ann.get("/api/v1/agents/ann/callbacks").json()["callbacks"]
    assert [c["contact_id"] for c in listed] == [c["contact_id"] for c in heat]
    assert [c["position"] for c in listed] == [1, 2]
    assert listed[0]["caller"] == "+380440000000" and listed[0]["waited_s"] == 60
    assert plain["contact_id"] not in {c["contact_id"] for c in listed}
    assert ann.get("/api/v1/agents/ann/callbacks", params={"limit": 1}).json()["callbacks"] == [
        listed[0]
    ]
    billing = bob.get("/api/v1/agents/bob/callbacks").json()["callbacks"]
    assert [c["contact_id"] for c in billing] == [bill["contact_id"]]
    assert bob.get("/api/v1/agents/ann/callbacks").status_code == 403
    assert sue.get("/api/v1/agents/ann/callbacks").json()["callbacks"] == listed
    assert sue.get("/api/v1/agents/eve/callbacks").status_code == 404
    assert pbx.get("/api/v1/agents/ann/callbacks").status_code == 403


def test_supervisors_list_every_agent_and_agents_only_themselves(api: Hotline) -> None:
    ann, sue = api.as_("ann"), api.as_("sue")
    ann.post("/api/v1/agents/ann/login", json={})
    api.as_("bob").post("/api/v1/agents/bob/login", json={})
    api.as_("bob").post("/api/v1/agents/bob/state", json={"state": "not_ready", "reason": "break"})
    contact = call(api, "heating")
    everyone = sue.get("/api/v1/agents")
    assert everyone.status_code == 200, everyone.text
    assert everyone.json()["agents"] == [
        {"agent_id": "ann", "name": "ann", "state": "reserved", "reason": None,
         "skills": {"heating": 1}, "queues": ["heating"], "group": None,
         "contacts": [contact["contact_id"]]},
        {"agent_id": "bob", "name": "bob", "state": "not_ready", "reason": "break",
         "skills": {"billing": 1}, "queues": ["billing"], "group": None, "contacts": []},
    ]  # fmt: skip
    own = ann.get("/api/v1/agents").json()["agents"]
    assert [a["agent_id"] for a in own] == ["ann"]
    assert api.as_("pbx").get("/api/v1/agents").status_code == 403


def test_an_offer_on_the_agent_stream_names_the_caller(api: Hotline) -> None:
    ws_url = api.url.replace("http://", "ws://") + "/api/v1/agents/ann/stream"
    bearer = {"Authorization": f"Bearer {api.tokens['ann']}"}
    with connect(ws_url, additional_headers=bearer) as stream:
        api.as_("ann").post("/api/v1/agents/ann/login", json={})
        contact = call(api, "heating", caller="+380501112233", attributes={"name": "Olena"})
        messages = [json.loads(stream.recv(timeout=10)) for _ in range(3)]
    offer = next(m for m in messages if m["type"] == "offer")
    assert offer["contact_id"] == contact["contact_id"] and offer["queue"] == "heating"
    assert offer["caller"] == "+380501112233" and offer["name"] == "Olena"
    assert offer["channel"] == "call" and offer["waited_s"] == 0
    assert offer["attributes"] == {"name": "Olena", "channel": "call"}


def test_cases_are_found_by_the_contact_they_link(api: Hotline) -> None:
    ann, bob, sue = api.as_("ann"), api.as_("bob"), api.as_("sue")
    first = ann.post("/api/v1/cases", json={"contact_ids": ["c1"]}).json()
    ann.post("/api/v1/cases", json={"contact_ids": ["c10"]})
    both = bob.post("/api/v1/cases", json={"contact_ids": ["c2", "c1"]}).json()

    def ids(client: httpx.Client, contact_id: str) -> list[int]:
        found = client.get("/api/v1/cases", params={"contact_id": contact_id})
        assert found.status_code == 200, found.text
        return [c["id"] for c in found.json()["cases"]]

    assert ids(sue, "c1") == [both["id"], first["id"]]
    assert ids(ann, "c1") == [first["id"]]  # an agent sees only its own cases
    assert ids(bob, "c1") == [both["id"]]
    assert ids(sue, "c") == []
    too_long = sue.get("/api/v1/cases", params={"contact_id": "x" * 129})
    assert too_long.status_code == 422 and too_long.json()["ok"] is False


def test_the_agent_stream_checks_tokens_it_has_not_seen_before(api: Hotline) -> None:
    ws_url = api.url.replace("http://", "ws://") + "/api/v1/agents/ann/stream"
    with pytest.raises(InvalidStatus) as refused:
        connect(ws_url, additional_headers={"Authorization": f"Bearer cb_{'x' * 43}"})
    assert refused.value.response.status_code == 403
    # The supervisor's token is not in the cache yet: it is verified against the store.
    bearer = {"Authorization": f"Bearer {api.tokens['sue']}"}
    with connect(ws_url, additional_headers=bearer) as stream:
        api.as_("ann").post("/api/v1/agents/ann/login", json={})
        assert json.loads(stream.recv(timeout=10))["type"] == "agent.state_changed"
