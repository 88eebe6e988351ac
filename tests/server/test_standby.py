"""The switchboard in front of `serve`: a standby answers health and 503s, serves once it
holds the lock, and a recovery that fails gives the lock back instead of sitting on it."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import create_engine

from callboard.server.standby import Switchboard
from callboard.store import WriterLock
from tests.fixtures.live_server import serving
from tests.server.hotline import eventually


class FakeLock(WriterLock):
    """Free once `free` is set; counts releases."""

    def __init__(self) -> None:
        super().__init__(create_engine("sqlite://"), "http://test")
        self.free = False
        self.ours = False
        self.releases = 0

    def try_take(self) -> bool:
        self.ours = self.ours or self.free
        return self.ours

    def held(self) -> bool:
        return self.ours

    def release(self) -> None:
        self.ours = False
        self.releases += 1

    def record(self) -> None:
        pass

    def holder(self) -> Any:
        return None


def _active_app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/health")
    def health() -> dict[str, object]:
        return {"ok": True, "role": "active"}

    @app.get("/api/v1/queues")
    def queues() -> list[str]:
        return ["heating"]

    return app


def test_a_standby_serves_once_it_holds_the_lock_and_retries_a_failed_recovery() -> None:
    lock = FakeLock()
    builds: list[int] = []

    def build() -> FastAPI:
        builds.append(1)
        if len(builds) == 1:
            raise OSError("the store went away during recovery")
        return _active_app()

    with serving(Switchboard(lock, build)) as base:  # type: ignore[arg-type]
        health = httpx.get(f"{base}/api/v1/health")
        assert health.json()["role"] == "standby"
        assert health.headers["access-control-allow-origin"] == "*"
        refused = httpx.get(f"{base}/api/v1/queues")
        assert refused.status_code == 503 and refused.headers["retry-after"] == "2"
        lock.free = True
        eventually(lambda: httpx.get(f"{base}/api/v1/health").json()["role"] == "active",
                   "the standby took over")  # fmt: skip
        assert lock.releases == 1 and len(builds) == 2
        assert httpx.get(f"{base}/api/v1/queues").json() == ["heating"]
