"""Fan-out of engine output to live subscribers (agent WebSockets, supervisor SSE).

Commands run in worker threads; subscribers wait on asyncio queues. The hub
hands each message to the event loop with `call_soon_threadsafe`, and a slow
subscriber loses its oldest messages rather than holding up a command.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from callboard.domain import Event
from callboard.engine import Offer, Prompt

QUEUE_LIMIT = 1000


class Hub:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._agents: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}

    def subscribe(self, agent_id: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_LIMIT)
        with self._lock:
            self._agents.setdefault(agent_id, set()).add(queue)
        return queue

    def unsubscribe(self, agent_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        with self._lock:
            self._agents.get(agent_id, set()).discard(queue)

    def publish(self, events: list[Event], offers: list[Offer], prompts: list[Prompt]) -> None:
        """Called by the live center after each durable command, in a worker thread."""
        if self.loop is None:
            return
        for offer in offers:
            self._send(offer.agent_id, {
                "type": "offer", "contact_id": offer.contact_id, "queue": offer.queue,
                "callback": offer.callback, "at": offer.at,
            })  # fmt: skip
        for event in events:
            if event.agent_id is not None:
                self._send(event.agent_id, {
                    "type": event.type.value, "at": event.at, "contact_id": event.contact_id,
                    "queue": event.queue, "data": dict(event.data),
                })  # fmt: skip

    def _send(self, agent_id: str, message: dict[str, Any]) -> None:
        with self._lock:
            targets = list(self._agents.get(agent_id, ()))
        assert self.loop is not None
        for queue in targets:
            self.loop.call_soon_threadsafe(_put_dropping_oldest, queue, message)


def _put_dropping_oldest(queue: asyncio.Queue[dict[str, Any]], message: dict[str, Any]) -> None:
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(message)
