"""Chat between a widget caller and the agent holding the contact, over real HTTP.

On SQLite and PostgreSQL: messages live in the store, so both sides read the
same conversation, and it survives the contact leaving the center.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.server.hotline import Hotline, call
from tests.server.test_widget_api import join, opened


def say(client: httpx.Client, path: str, body: str, **headers: str) -> httpx.Response:
    return client.post(path, json={"body": body}, headers=headers)


def bodies(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return [(m["sender"], m["body"]) for m in messages]


def test_caller_and_agent_talk_and_others_cannot_listen(api: Hotline) -> None:
    ann, bob, sue = api.as_("ann"), api.as_("bob"), api.as_("sue")
    with httpx.Client(base_url=api.url) as caller:
        mine = join(caller, name="Olena")
        cid, secret = mine["contact_id"], mine["secret"]
        widget = f"/api/v1/widget/contacts/{cid}/messages"
        first = say(caller, widget, "  The radiator is cold  ", **opened(secret))
        assert first.status_code == 201, first.text
        assert first.json()["sender"] == "caller" and first.json()["body"] == "The radiator is cold"
        # Not held yet: the agent cannot read it, a supervisor can.
        desk = f"/api/v1/contacts/{cid}/messages"
        assert ann.get(desk).status_code == 404
        assert bodies(sue.get(desk)) == [("caller", "The radiator is cold")]
        ann.post("/api/v1/agents/ann/login", json={})
        assert ann.post(f"/api/v1/agents/ann/offers/{cid}/accept").status_code == 200
        assert bodies(ann.get(desk)) == [("caller", "The radiator is cold")]
        answer = say(ann, desk, "Which floor?")
        assert answer.status_code == 201 and answer.json()["agent_id"] == "ann"
        after = first.json()["id"]
        seen = caller.get(widget, params={"after": after}, headers=opened(secret))
        assert bodies(seen) == [("agent", "Which floor?")]
        assert "agent_id" not in seen.json()["messages"][0]
        # Another agent, a wrong secret, no secret: as if there were no such contact.
        assert bob.get(desk).status_code == 404
        assert say(bob, desk, "hi").status_code == 404
        other = join(caller)
        assert caller.get(widget, headers=opened(other["secret"])).status_code == 404
        stolen = say(caller, widget, "hi", **opened(other["secret"]))
        assert stolen.status_code == 404 and "secret" in stolen.json()["error"]
        assert caller.get(widget).status_code == 422
        # Oversize and empty messages are refused before anything is stored.
        assert say(caller, widget, "x" * 2001, **opened(secret)).status_code == 422
        assert say(ann, desk, "   ").status_code == 422
        assert caller.get(widget, params={"after": -1}, headers=opened(secret)).status_code == 422
        # Ended: the history stays readable, nobody can write any more.
        ann.post(f"/api/v1/agents/ann/contacts/{cid}/complete", json={"acw_s": 0})
        ended = say(caller, widget, "still there?", **opened(secret))
        assert ended.status_code == 409 and "ended" in ended.json()["error"]
        assert say(sue, desk, "bye").status_code == 409
        everything = caller.get(widget, headers=opened(secret))
        assert bodies(everything) == [("caller", "The radiator is cold"), ("agent", "Which floor?")]


def test_a_contact_that_is_not_a_chat_has_no_conversation(api: Hotline) -> None:
    phoned = call(api, "heating")
    desk = f"/api/v1/contacts/{phoned['contact_id']}/messages"
    sue = api.as_("sue")
    refused = say(sue, desk, "hello")
    assert refused.status_code == 409 and "not a chat" in refused.json()["error"]
    assert sue.get(desk).status_code == 409
    assert sue.get("/api/v1/contacts/nobody/messages").status_code == 404
