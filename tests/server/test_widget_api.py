"""The caller widget's public API: a caller touches only their own contact, with its secret.

Runs over HTTP against a real uvicorn, on SQLite and PostgreSQL, because the
secret must still open a contact after it has left the center (read back from
the journal) and after a restart.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.server.hotline import Hotline, call


def join(client: httpx.Client, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/widget/contacts", json={"queue": "heating", **body})
    assert response.status_code == 201, response.text
    joined: dict[str, Any] = response.json()
    return joined


def opened(secret: str) -> dict[str, str]:
    return {"X-Widget-Secret": secret}


def test_a_caller_follows_only_their_own_contact(api: Hotline) -> None:
    call(api, "heating")
    with httpx.Client(base_url=api.url) as caller:
        mine = join(caller, name="Olena", phone="+380 50 111 22 33")
        assert mine["position"] == 2 and len(mine["secret"]) >= 32
        assert "agent_id" not in mine
        cid, secret = mine["contact_id"], mine["secret"]
        seen = caller.get(f"/api/v1/widget/contacts/{cid}", headers=opened(secret)).json()
        assert seen["state"] == "waiting" and seen["position"] == 2
        other = join(caller)
        wrong = caller.get(f"/api/v1/widget/contacts/{cid}", headers=opened(other["secret"]))
        assert wrong.status_code == 404 and "secret" in wrong.json()["error"]
        missing = caller.get(f"/api/v1/widget/contacts/{cid}")
        assert missing.status_code == 422
        stolen = caller.post(f"/api/v1/widget/contacts/{cid}/cancel", headers=opened("x" * 40))
        assert stolen.status_code == 404
        kept = caller.post(f"/api/v1/widget/contacts/{cid}/callback", headers=opened(secret))
        assert kept.json()["callback"] is True and kept.json()["position"] == 2
        no_phone = caller.post(
            f"/api/v1/widget/contacts/{other['contact_id']}/callback",
            headers=opened(other["secret"]),
        )
        assert no_phone.status_code == 409 and "phone" in no_phone.json()["error"]
        at_once = join(caller, channel="callback", phone="+380441234567")
        assert at_once["callback"] is True and at_once["position"] == 4
    # The secret's hash is kept with the contact, never shown to staff or callers.
    assert "widget_secret" not in api.as_("pbx").get(f"/api/v1/contacts/{cid}").text


def test_refusals_are_clear(api: Hotline) -> None:
    with httpx.Client(base_url=api.url) as caller:
        unknown = caller.post("/api/v1/widget/contacts", json={"queue": "plumbing"})
        assert unknown.status_code == 404 and "plumbing" in unknown.json()["error"]
        for body in (
            {"queue": "heating", "name": "x" * 101},
            {"queue": "heating", "phone": "call me maybe"},
            {"queue": "heating", "channel": "email"},
            {"queue": "heating", "priority": 9},
            {"queue": "../heating"},
        ):
            refused = caller.post("/api/v1/widget/contacts", json=body)
            assert refused.status_code == 422, body
        needs_phone = caller.post(
            "/api/v1/widget/contacts", json={"queue": "heating", "channel": "callback"}
        )
        assert needs_phone.status_code == 422 and "phone" in needs_phone.json()["error"]
        mine = join(caller)
        huge = caller.post(
            f"/api/v1/widget/contacts/{mine['contact_id']}/message",
            json={"message": "x" * 4001},
            headers=opened(mine["secret"]),
        )
        assert huge.status_code == 422
        api.as_("sue").post("/api/v1/queues/heating/mode", json={"mode": "closed"})
        assert caller.get("/api/v1/widget/queues/heating").json()["open"] is False
        closed = caller.post("/api/v1/widget/contacts", json={"queue": "heating"})
        assert closed.status_code == 409 and "closed" in closed.json()["error"]


def test_a_message_becomes_a_case_with_the_callers_number(api: Hotline) -> None:
    with httpx.Client(base_url=api.url) as caller:
        mine = join(caller, name="Petro", phone="+380441234567")
        left = caller.post(
            f"/api/v1/widget/contacts/{mine['contact_id']}/message",
            json={"message": "No heat on the third floor"},
            headers=opened(mine["secret"]),
        )
        assert left.status_code == 201, left.text
    sue = api.as_("sue")
    case = sue.get(f"/api/v1/cases/{left.json()['case_id']}").json()
    assert case["caller"] == "+380441234567" and case["queue"] == "heating"
    # The case is opened with the number: no second write fills it in afterwards.
    history = sue.get(f"/api/v1/cases/{case['id']}/history").json()["history"]
    assert [h["action"] for h in history] == ["opened"]
    assert "Petro: No heat on the third floor" in case["notes"]
    assert case["contact_ids"] == [mine["contact_id"]]


def test_csat_reaches_the_resolved_case_after_the_contact_ended_and_a_restart(
    api: Hotline,
) -> None:
    ann = api.as_("ann")
    ann.post("/api/v1/agents/ann/login", json={})
    with httpx.Client(base_url=api.url) as caller:
        mine = join(caller, phone="+380441234567")
    cid, secret = mine["contact_id"], mine["secret"]
    ann.post(f"/api/v1/agents/ann/offers/{cid}/accept")
    opened_case = ann.post(
        "/api/v1/cases", json={"queue": "heating", "category": "no heat", "contact_ids": [cid]}
    ).json()
    ann.post(f"/api/v1/agents/ann/contacts/{cid}/complete", json={"acw_s": 0})
    with api.serve() as url, httpx.Client(base_url=url) as caller:
        early = caller.post(
            f"/api/v1/widget/contacts/{cid}/csat", json={"score": 5}, headers=opened(secret)
        )
        assert early.status_code == 409 and "resolved" in early.json()["error"]
        staff = httpx.Client(base_url=url, headers=api.as_("sue").headers)
        staff.patch(f"/api/v1/cases/{opened_case['id']}", json={"status": "resolved"})
        ended = caller.get(f"/api/v1/widget/contacts/{cid}", headers=opened(secret)).json()
        assert ended["state"] == "finished" and ended["last_event"] == "contact.completed"
        rated = caller.post(
            f"/api/v1/widget/contacts/{cid}/csat",
            json={"score": 4, "comment": "warm again"},
            headers=opened(secret),
        )
        assert rated.status_code == 200, rated.text
        case = staff.get(f"/api/v1/cases/{opened_case['id']}").json()
        assert case["csat_score"] == 4 and case["csat_comment"] == "warm again"
        again = caller.post(
            f"/api/v1/widget/contacts/{cid}/csat", json={"score": 1}, headers=opened(secret)
        )
        assert again.status_code == 409 and "already" in again.json()["error"]
        wrong = caller.post(
            f"/api/v1/widget/contacts/{cid}/csat", json={"score": 1}, headers=opened("y" * 43)
        )
        assert wrong.status_code == 404
        staff.close()
