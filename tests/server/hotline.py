"""The hotline the server tests run: two queues, four users, a clock the test moves."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import Engine

from callboard.engine import Center, QueueSpec
from callboard.server import build_app
from callboard.server.app import ServerConfig
from callboard.server.lane import DecisionLane
from callboard.store.users import Principal
from tests.fixtures.live_server import serving

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
USERS = [("pbx", "integration"), ("sue", "supervisor"), ("ann", "agent"), ("bob", "agent")]


@dataclass
class FakeTime:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


def hotline(now: float) -> Center:
    return Center(
        [QueueSpec("heating", offer_timeout_s=20), QueueSpec("billing", offer_timeout_s=20)],
        start=now,
    )


@dataclass
class Hotline:
    engine: Engine
    time: FakeTime
    tokens: dict[str, str]
    url: str = ""

    def as_(self, user: str) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        return httpx.Client(base_url=self.url, headers=headers)

    def serve(
        self, *, lane: list[str] | None = None, center: Callable[[float], Center] = hotline
    ) -> Any:
        """Serve the hotline (or another `center`); with `lane`, the decision lane goes in
        front of it and records there every token it resolved."""
        app = build_app(self.engine, ServerConfig(clock=self.time, center=center))
        if lane is not None:
            tokens = app.state.tokens

            def principal_of(token: str) -> Principal | None:
                lane.append(token)
                principal: Principal | None = tokens.authenticate(token)
                return principal

            app.add_middleware(DecisionLane, principal_of=principal_of)
        return serving(app)


def eventually(check: Callable[[], bool], what: str) -> None:
    """Poll a condition the server's timer loop will make true; bounded, never a timing assert."""
    for _ in range(400):
        if check():
            return
        time.sleep(0.025)
    raise AssertionError(f"never happened: {what}")


def call(api: Hotline, queue: str, **extra: Any) -> dict[str, Any]:
    response = api.as_("pbx").post("/api/v1/contacts", json={"queue": queue, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


MAX_WAIT_S = 90.0


def patient_hotline(now: float) -> Center:
    """heating offers a callback at the longest wait; billing keeps the default offer timeout."""
    return Center(
        [
            QueueSpec("heating", max_wait_s=MAX_WAIT_S, max_wait_action="callback"),
            QueueSpec("billing", max_length=1, full_action="voicemail"),
        ],
        start=now,
    )


def route(api: Hotline, call_id: str, queue: str = "heating", **extra: Any) -> dict[str, Any]:
    response = api.as_("pbx").post(
        "/api/v1/telephony/route", json={"call_id": call_id, "queue": queue, **extra}
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer
