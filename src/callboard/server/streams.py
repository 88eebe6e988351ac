"""Fan-out of engine output to live subscribers (agent WebSockets, supervisor SSE).

The live center calls `publish` from its listener thread once each command is
durable; subscribers wait on asyncio queues. Each call hands all of a command's
messages to the event loop in one `call_soon_threadsafe` (every wake-up of the
loop costs), and a slow subscriber loses its oldest messages rather than
holding up the center.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from callboard.engine import Outputs

QUEUE_LIMIT = 1000

Delivery = list[tuple[asyncio.Queue[dict[str, Any]], dict[str, Any]]]


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

    def publish(self, output: Outputs) -> None:
        """One command's output, in order: its offers, then the events naming an agent."""
        loop = self.loop
        if loop is None:
            return
        messages = [
            (offer.agent_id, {
                "type": "offer", "contact_id": offer.contact_id, "queue": offer.queue,
                "callback": offer.callback, "at": offer.at,
            })
            for offer in output.offers
        ] + [
            (event.agent_id, {
                "type": event.type.value, "at": event.at, "contact_id": event.contact_id,
                "queue": event.queue, "data": dict(event.data),
            })
            for event in output.events
            if event.agent_id is not None
        ]  # fmt: skip
        with self._lock:
            delivery: Delivery = [
                (queue, message)
                for agent_id, message in messages
                for queue in self._agents.get(agent_id, ())
            ]
        if delivery:
            loop.call_soon_threadsafe(_deliver, delivery)


def _deliver(delivery: Delivery) -> None:
    for queue, message in delivery:
        if queue.full():
            queue.get_nowait()
        queue.put_nowait(message)
