"""The server's one source of time, so tests and accelerated demos can replace it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import Request

Clock = Callable[[], datetime]


def wall_clock() -> datetime:
    return datetime.now(UTC)


def now(request: Request) -> datetime:
    clock: Clock = request.app.state.clock
    return clock()
