"""Building the FastAPI app: one function, used by `callboard serve` and by the tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from fastapi import FastAPI
from sqlalchemy import Engine

from callboard import __version__
from callboard.engine import Center
from callboard.server import errors
from callboard.server.auth import TokenCache
from callboard.server.clock import Clock, wall_clock
from callboard.server.live import LiveCenter
from callboard.server.pages import agent_desk, console, wallboard, widget
from callboard.server.pages import kb as kb_page
from callboard.server.pages import reports as reports_page
from callboard.server.routes import (
    agents,
    cases,
    contacts,
    kb,
    queues,
    reports,
    streams,
    surge,
    telephony,
)
from callboard.server.streams import Hub
from callboard.store.cases import CaseStore, SlaPolicies
from callboard.store.journal import Journal
from callboard.store.users import UserStore
from callboard.workspace import Workspace

# The timer loop never sleeps longer than this, so a clock moved by a test or
# an accelerated demo is noticed promptly.
MAX_TIMER_SLEEP_S = 0.25


@dataclass
class ServerConfig:
    policies: SlaPolicies = field(default_factory=SlaPolicies)
    clock: Clock = wall_clock
    # Builds the center on first start; later starts recover it from the journal.
    center: Callable[[float], Center] | None = None
    snapshot_every: int = 1000
    # The workspace whose imported contact records the reports read; None: no records.
    workspace: Workspace | None = None


def build_app(engine: Engine, config: ServerConfig | None = None) -> FastAPI:
    config = config or ServerConfig()
    clock = config.clock
    live = None
    hub = Hub()
    if config.center is not None:
        live = LiveCenter.open(
            Journal(engine), config.center, lambda: clock().timestamp(),
            snapshot_every=config.snapshot_every,
        )  # fmt: skip
        live.listeners.append(hub.publish)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        hub.loop = asyncio.get_running_loop()
        task = asyncio.create_task(_run_timers(live)) if live is not None else None
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = FastAPI(
        title="Callboard",
        version=__version__,
        description="Contacts, agents, cases and caller status for a live contact center.",
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.clock = clock
    app.state.workspace = config.workspace
    app.state.live = live
    app.state.hub = hub
    app.state.users = UserStore(engine)
    app.state.tokens = TokenCache(app.state.users)
    app.state.cases = CaseStore(engine, config.policies)
    errors.install(app)
    api = (contacts, agents, queues, cases, streams, telephony, surge, kb, reports)
    pages = (wallboard, console, agent_desk, widget, reports_page, kb_page)
    for module in (*api, *pages):
        app.include_router(module.router)

    @app.get("/api/v1/health", tags=["ops"])
    def health() -> dict[str, object]:
        return {"ok": True, "version": __version__, "live": live is not None}

    return app


async def _run_timers(live: LiveCenter) -> None:
    """Wake the engine when its timers fall due: offer timeouts, wrap-up ends, hours."""
    while True:
        wake = await asyncio.to_thread(live.tick)
        delay = MAX_TIMER_SLEEP_S if wake is None else wake - live.clock()
        await asyncio.sleep(min(max(delay, 0.01), MAX_TIMER_SLEEP_S))
