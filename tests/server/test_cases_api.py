"""The cases API end to end over HTTP, against SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from callboard.cases import SlaPolicy, parse_target
from callboard.server import build_app
from callboard.server.app import ServerConfig
from callboard.server.auth import TokenCache
from callboard.store import open_store
from callboard.store.cases import SlaPolicies
from callboard.store.users import UserStore
from tests.fixtures.live_server import serving
from tests.server.hotline import T0, FakeTime, eventually


@dataclass
class Api:
    url: str
    time: FakeTime
    tokens: dict[str, str]

    def client(self, user: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.tokens[user]}"}
        )


@pytest.fixture
def api(store_url: str) -> Iterator[Api]:
    engine = open_store(store_url)
    users = UserStore(engine)
    tokens = {}
    for name, role in [("ann", "agent"), ("bob", "agent"), ("sue", "supervisor"),
                       ("pbx", "integration"), ("root", "admin")]:  # fmt: skip
        users.add(name, role)
        tokens[name] = users.issue_token(name)
    policy = SlaPolicy("billing", parse_target("1h"), parse_target("4h"))
    time = FakeTime()
    app = build_app(engine, ServerConfig(policies=SlaPolicies(default=policy), clock=time))
    with serving(app) as url:
        yield Api(url, time, tokens)
    engine.dispose()


def _error_shape(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status and isinstance(body["errors"], list)
    assert isinstance(body["error"], str) and body["error"]
    return str(body["error"])


def test_a_case_through_its_lifecycle_with_an_sla_breach_and_csat(api: Api) -> None:
    ann, pbx = api.client("ann"), api.client("pbx")
    created = ann.post("/api/v1/cases", json={"caller": "+380441112233", "category": "billing",
                                              "contact_ids": ["c-1"]})  # fmt: skip
    assert created.status_code == 201, created.text
    case = created.json()
    assert case["assignee"] == "ann" and case["status"] == "new"
    number = case["id"]

    api.time.now = T0 + timedelta(hours=2)  # no reply within the 1-hour first-response target
    late = ann.get(f"/api/v1/cases/{number}").json()
    assert late["sla"]["first_response_breached"] is True

    # The server's SLA clock escalates it without anyone asking, and logs it.
    def told() -> bool:
        actions = [
            h["action"] for h in ann.get(f"/api/v1/cases/{number}/history").json()["history"]
        ]
        return actions == ["opened", "escalated", "notified"]

    eventually(told, "the escalation, logged")
    ann.post(f"/api/v1/cases/{number}/responses", json={"message": "checking your bill"})
    ann.patch(f"/api/v1/cases/{number}", json={"status": "pending", "notes": "asked for a copy"})
    api.time.now = T0 + timedelta(hours=6)
    ann.patch(f"/api/v1/cases/{number}", json={"status": "open"})
    api.time.now = T0 + timedelta(hours=7)
    done = ann.patch(f"/api/v1/cases/{number}", json={"status": "resolved", "outcome": "refund"})
    assert done.status_code == 200, done.text
    sla = done.json()["sla"]
    assert sla["paused_s"] == 4 * 3600 and sla["resolution_elapsed_s"] == 3 * 3600
    assert sla["resolution_breached"] is False

    rated = pbx.post(f"/api/v1/cases/{number}/csat", json={"score": 2, "comment": "slow"})
    assert rated.json()["csat_score"] == 2
    history = ann.get(f"/api/v1/cases/{number}/history").json()["history"]
    assert [h["action"] for h in history] == [
        "opened", "escalated", "notified", "responded", "updated", "updated", "updated", "rated",
    ]  # fmt: skip
    assert history[-1]["actor"] == "pbx"


def test_roles_are_enforced(api: Api) -> None:
    ann, bob, sue, pbx = (api.client(u) for u in ("ann", "bob", "sue", "pbx"))
    number = ann.post("/api/v1/cases", json={"category": "billing"}).json()["id"]
    _error_shape(bob.get(f"/api/v1/cases/{number}"), 404)  # another agent's case is invisible
    assert [c["id"] for c in bob.get("/api/v1/cases").json()["cases"]] == []
    assert sue.get(f"/api/v1/cases/{number}").status_code == 200
    _error_shape(ann.patch(f"/api/v1/cases/{number}", json={"assignee": "bob"}), 403)
    _error_shape(pbx.get("/api/v1/cases"), 403)
    _error_shape(ann.post(f"/api/v1/cases/{number}/csat", json={"score": 5}), 403)
    assert sue.patch(f"/api/v1/cases/{number}", json={"assignee": "bob"}).status_code == 200
    assert bob.get(f"/api/v1/cases/{number}").status_code == 200
    assert api.client("root").get("/api/v1/cases").status_code == 200


def test_errors_share_one_shape(api: Api) -> None:
    sue = api.client("sue")
    assert "token" in _error_shape(httpx.get(f"{api.url}/api/v1/cases"), 401)
    bad = httpx.get(f"{api.url}/api/v1/cases", headers={"Authorization": "Bearer nope"})
    _error_shape(bad, 401)
    _error_shape(sue.get("/api/v1/cases/424242"), 404)
    message = _error_shape(sue.post("/api/v1/cases", json={"priority": "urgent"}), 422)
    assert "priority" in message
    number = sue.post("/api/v1/cases", json={}).json()["id"]
    sue.patch(f"/api/v1/cases/{number}", json={"status": "resolved"})
    sue.patch(f"/api/v1/cases/{number}", json={"status": "closed"})
    assert "cannot become open" in _error_shape(
        sue.patch(f"/api/v1/cases/{number}", json={"status": "open"}), 409
    )
    _error_shape(sue.get("/api/v1/cases", params={"opened_from": "2026-01-01T00:00:00"}), 400)


def test_a_revoked_token_stops_working_once_the_cache_expires(store_url: str) -> None:
    engine = open_store(store_url)
    users = UserStore(engine)
    users.add("eve", "supervisor")
    token = users.issue_token("eve")
    cache = TokenCache(users, ttl_s=0.0)
    assert cache.authenticate(token) is not None
    users.revoke("eve")
    assert cache.authenticate(token) is None
    cached = TokenCache(users, ttl_s=3600)
    assert cached.authenticate(token) is None  # a refused token is never cached
    engine.dispose()
