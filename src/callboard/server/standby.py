"""The active server and the hot standby: who serves depends on who holds the writer lock.

`callboard serve` runs this ASGI app in front of the real one. While the process
does not hold the store's writer lock it is a standby: it listens, answers
`GET /api/v1/health` with 200 and role `standby` (so a proxy's health check
can tell the two apart), every other request with 503 and Retry-After, and
polls the lock. Once it holds the lock it builds the real app, which recovers
the center from the latest snapshot plus the journal (`LiveCenter.open`),
runs that app's lifespan (timers, surge) and hands it every request.

The active server checks its lock every second. A PostgreSQL session can be
lost (a database failover, a network cut); then it takes the lock again if it
is still free, and otherwise stops serving and goes back to standby, so two
processes never write at once. This is the lease-and-fence pattern of
Patroni and Pacemaker, with the database's own lock as the lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from callboard import __version__
from callboard.server.errors import error_response
from callboard.store import WriterLock

log = logging.getLogger(__name__)

HEALTH_PATH = "/api/v1/health"
# How often a standby asks for the lock: half of this is the mean added to a failover.
POLL_S = 0.2
# How often the active server makes sure it still holds the lock.
WATCH_S = 1.0
# A WebSocket refused by a standby closes with 1013, "try again later".
_TRY_AGAIN_LATER = 1013


class Switchboard:
    """The ASGI app `serve` runs: standby until the lock is taken, then `build()`'s app."""

    def __init__(self, lock: WriterLock, build: Callable[[], ASGIApp]) -> None:
        self.lock = lock
        self.build = build
        self.app: ASGIApp | None = None
        self._active = asyncio.Event()
        self._stopped = asyncio.Event()

    @property
    def role(self) -> str:
        return "standby" if self.app is None else "active"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        app = self.app
        if scope["type"] == "http" and scope["path"] == HEALTH_PATH:
            send = _readable_anywhere(send)
        if app is not None:
            await app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": _TRY_AGAIN_LATER})
        elif scope["type"] == "http":
            await self._as_standby(scope, receive, send)

    async def _as_standby(self, scope: Scope, receive: Receive, send: Send) -> None:
        response: JSONResponse
        if scope["path"] == HEALTH_PATH:
            body = {"ok": True, "version": __version__, "role": "standby"}
            response = JSONResponse(body)
        else:
            response = error_response(503, "this server is a standby; the active one answers")
        await response(scope, receive, send)

    # ------------------------------------------------------------ lifespan

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        await receive()  # lifespan.startup
        started_active = self.lock.held()
        run = asyncio.create_task(self._run(give_up=started_active))
        if started_active:
            # Started as the active server: listen only once the center is recovered.
            done = asyncio.create_task(self._active.wait())
            await asyncio.wait({run, done}, return_when=asyncio.FIRST_COMPLETED)
            done.cancel()
            if run.done():
                message = repr(run.exception()) if not run.cancelled() else "cancelled"
                await send({"type": "lifespan.startup.failed", "message": message})
                return
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        self._stopped.set()
        with contextlib.suppress(Exception):
            await run
        await asyncio.to_thread(self.lock.release)
        await send({"type": "lifespan.shutdown.complete"})

    async def _run(self, *, give_up: bool) -> None:
        """Standby until the lock is ours; active until it is lost; then standby again.

        A recovery that fails (the store went away halfway) releases the lock and
        stands by again, so a standby never sits on a lock it cannot serve with;
        with `give_up` (a server started active) it ends the run instead, and the
        server fails to start, as it would without a standby.
        """
        while not self._stopped.is_set():
            await self._wait_for_lock()
            if self._stopped.is_set():
                return
            try:
                app = await asyncio.to_thread(self.build)
            except Exception:
                if give_up:
                    raise
                log.exception("recovery failed; releasing the writer lock and standing by")
                await asyncio.to_thread(self.lock.release)
                await _sleep_unless(self._stopped, WATCH_S)
                continue
            give_up = False
            lifespan: Any = getattr(app, "router", None)
            context = lifespan.lifespan_context(app) if lifespan else contextlib.nullcontext()
            async with context:
                self.app = app
                self._active.set()
                log.warning("this server is now active")
                await self._watch()
                self.app = None
                self._active.clear()

    async def _wait_for_lock(self) -> None:
        waited = False
        while not self._stopped.is_set():
            try:
                if await asyncio.to_thread(self.lock.try_take):
                    await asyncio.to_thread(self.lock.record)
                    return
            except Exception as exc:  # the store is away: keep asking
                log.warning("standby: cannot ask for the writer lock: %s", exc)
            if not waited:
                holder = await _quietly(self.lock.holder) or "another server"
                log.warning("standby: the store is served by %s; waiting", holder)
                waited = True
            await _sleep_unless(self._stopped, POLL_S)

    async def _watch(self) -> None:
        """Return when the lock is lost and cannot be taken back, or at shutdown."""
        while not await _sleep_unless(self._stopped, WATCH_S):
            if await asyncio.to_thread(self.lock.held):
                continue
            log.error("the writer lock was lost; taking it again")
            try:
                if await asyncio.to_thread(self.lock.try_take):
                    continue
            except Exception as exc:
                log.error("cannot take the writer lock again: %s", exc)
                continue  # the store is away for everyone; try again on the next round
            log.error("another server took the writer lock; this one is a standby again")
            return


def _readable_anywhere(send: Send) -> Send:
    """The health answer may be read by pages of any origin: the screens' server list
    (web/static/js/servers.js) asks every server which one is active. It tells no more
    than the role and the version."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [*message.get("headers", []), (b"access-control-allow-origin", b"*")]
            message = {**message, "headers": headers}
        await send(message)

    return sending


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep `seconds`; True if `stop` was set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()


async def _quietly(read: Callable[[], Any]) -> Any:
    try:
        return await asyncio.to_thread(read)
    except Exception:
        return None
