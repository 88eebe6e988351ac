"""Building the FastAPI app: one function, used by `callboard serve` and by the tests."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from fastapi import FastAPI
from sqlalchemy import Engine

from callboard import __version__
from callboard.engine import Center
from callboard.server import errors, triage_hook
from callboard.server.auth import TokenCache
from callboard.server.channels_live import ChannelSetup, ChannelsLive
from callboard.server.clock import Clock, wall_clock
from callboard.server.lane import DecisionLane
from callboard.server.live import LiveCenter
from callboard.server.pages import agent_desk, api_docs, common, console, wallboard, widget
from callboard.server.pages import kb as kb_page
from callboard.server.pages import reports as reports_page
from callboard.server.pages import sign_in as login_pages
from callboard.server.rate_limit import RateLimiter
from callboard.server.request_limits import RequestLimits
from callboard.server.routes import (
    agents,
    cases,
    channels,
    chat,
    contacts,
    kb,
    queues,
    reports,
    streams,
    surge,
    telephony,
)
from callboard.server.routes import triage as triage_api
from callboard.server.routes import (
    widget as widget_api,
)
from callboard.server.security import OriginGuard, SecuritySettings
from callboard.server.shifts import ShiftFollower
from callboard.server.sla_clock import SlaClock
from callboard.server.streams import Hub
from callboard.server.surge_live import SurgeLive, SurgeSetup
from callboard.server.targets import Targets
from callboard.sim import Scenario
from callboard.store import CaseStore, Journal, SlaPolicies, UserStore
from callboard.surge import Notifier
from callboard.triage import Triage
from callboard.workspace import Workspace

log = logging.getLogger(__name__)

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
    keep_snapshots: int = 3  # older snapshots are pruned as each new one is written
    # The workspace whose imported contact records the reports read; None: no records.
    workspace: Workspace | None = None
    # A surge plan run against the live center (needs `center`). The live figures
    # (GET /api/v1/surge) run with or without one.
    surge: SurgeSetup | None = None
    # How fast one address may call the anonymous widget and public KB routes.
    public_rate_limit: RateLimiter = field(default_factory=RateLimiter)
    # A scenario whose shifts and breaks the server carries out (`serve --follow-shifts`).
    follow_shifts: Scenario | None = None
    notifiers: tuple[Notifier, ...] = ()  # also told of SLA escalations (the log always is)
    # What the wallboard judges each queue against (`serve --targets`); None: the plan's SL.
    targets: Targets | None = None
    # Suggests every arrival's category and priority (server/triage_hook.py); None: the
    # default rules with the workspace's model, if one was trained.
    triage: Triage | None = None
    # Allowed origins and the widget's framing (server/security.py).
    security: SecuritySettings = field(default_factory=SecuritySettings)
    # Mailboxes read, the SMTP server replies go out by, messenger bridges (channels_live.py).
    channels: ChannelSetup = field(default_factory=ChannelSetup)


def build_app(engine: Engine, config: ServerConfig | None = None) -> FastAPI:
    config = config or ServerConfig()
    clock = config.clock
    live = None
    surge_live = None
    hub = Hub()
    if config.center is not None:
        live = LiveCenter.open(
            Journal(engine, keep_snapshots=config.keep_snapshots), config.center,
            lambda: clock().timestamp(),
            snapshot_every=config.snapshot_every,
        )  # fmt: skip
        live.listeners.append(hub.publish)
        if config.follow_shifts is not None:
            live.schedule = ShiftFollower(config.follow_shifts)
        surge_live = SurgeLive(config.surge, live, engine)
    elif config.surge is not None:
        raise ValueError("a surge plan needs a live center (ServerConfig.center)")

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        hub.loop = asyncio.get_running_loop()
        tasks = [asyncio.create_task(app.state.sla_clock.run())]  # server/sla_clock.py
        if live is not None:
            tasks.append(asyncio.create_task(_run_timers(live)))
        if surge_live is not None and surge_live.plan is not None:
            tasks.append(asyncio.create_task(_run_surge(surge_live)))
        tasks.append(asyncio.create_task(app.state.channels.run_outbox()))
        app.state.channels.start()
        yield
        await asyncio.to_thread(app.state.channels.stop)
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if live is not None:
            await asyncio.to_thread(live.close)

    app = FastAPI(
        title="Callboard",
        version=__version__,
        description="Contacts, agents, cases and caller status for a live contact center.",
        lifespan=lifespan,
        # /docs and /redoc are served from local files (pages/api_docs.py), so they work offline.
        docs_url=None,
        redoc_url=None,
        # FastAPI's native OpenTelemetry hooks look up the global providers on every
        # request even when none is configured; off unless an operator wires them.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.engine = engine
    app.state.clock = clock
    app.state.workspace = config.workspace
    app.state.live = live
    app.state.surge = surge_live
    app.state.targets = config.targets
    app.state.hub = hub
    app.state.public_rate_limit = config.public_rate_limit
    app.state.security = config.security
    app.state.users = UserStore(engine)
    app.state.tokens = TokenCache(app.state.users)
    app.state.cases = CaseStore(engine, config.policies)
    app.state.sla_clock = SlaClock(app.state.cases, clock, config.notifiers)
    app.state.triage = triage_hook.install(live, app.state.cases, config.triage, config.workspace)
    app.state.channels = ChannelsLive(config.channels, live, engine, app.state.cases, clock)
    errors.install(app)
    app.add_exception_handler(common.PageRefusal, common.refusal_page)
    # The three requests every contact makes skip FastAPI's per-request work (lane.py).
    app.add_middleware(DecisionLane, principal_of=app.state.tokens.cached)
    # Outside the lane, so its body limit and NUL rules hold there too (request_limits.py).
    app.add_middleware(RequestLimits)
    # Outermost: a cross-origin cookie write is refused before anything reads it.
    app.add_middleware(OriginGuard, settings=config.security)
    api = (
        contacts, chat, agents, queues, cases, streams, telephony, surge, kb, reports, widget_api,
        triage_api, channels,
    )  # fmt: skip
    # common last: its /static/{path} route must not shadow anything.
    pages = (
        wallboard, console, agent_desk, widget, reports_page, kb_page, api_docs, login_pages,
        common,
    )  # fmt: skip
    for module in (*api, *pages):
        app.include_router(module.router)

    @app.get("/api/v1/health", tags=["ops"])
    def health() -> dict[str, object]:
        # A standby (server/standby.py) answers this route itself, with role "standby".
        return {"ok": True, "version": __version__, "live": live is not None, "role": "active"}

    return app


async def _run_timers(live: LiveCenter) -> None:
    """Wake the engine when its timers fall due: offer timeouts, wrap-up ends, hours."""
    while True:
        wake = await asyncio.to_thread(live.tick)
        delay = MAX_TIMER_SLEEP_S if wake is None else wake - live.clock()
        await asyncio.sleep(min(max(delay, 0.01), MAX_TIMER_SLEEP_S))


async def _run_surge(plan: SurgeLive) -> None:
    """Run the plan: reserve people who are due log in, and every `every_s` of center time
    the runner looks at the figures. Polled, so a moved test or demo clock is noticed.

    A failed step (the store unreachable for a moment, say) is logged and tried again:
    surge control must not stop for the rest of the day because of one bad moment.
    """
    while True:
        try:
            await asyncio.to_thread(plan.step)
        except Exception:
            log.exception("surge control step failed; retrying")
        await asyncio.sleep(MAX_TIMER_SLEEP_S)
