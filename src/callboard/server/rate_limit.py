"""Rate limiting of the anonymous API: the caller widget and the public knowledge base.

Those routes take no token, so anyone on the internet can call them as fast as
they like, and each join writes to the journal. A token bucket per client
address bounds that: a burst of `burst` requests, refilled at `burst / per_s`
a second. A widget polling its position every 2 s uses a small part of it.

The buckets live in memory, in one process: a limit that needs a shared store
would put the store on the path it is there to protect. They are touched only
from the event loop (the dependency is a coroutine), so they need no lock.
The client address is the connection's peer. Only when that peer is a proxy
named by `serve --forwarded-allow-ips` does uvicorn put the address the proxy
forwarded there instead (server/launch.py's `uvicorn_config`); from anyone
else an `X-Forwarded-For` is ignored, so a caller cannot choose its bucket.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from fastapi import HTTPException, Request

# The default: 30 requests at once, then 30 per 10 s.
BURST = 30
PER_S = 10.0
# Buckets kept at most; past this the least recently seen are forgotten (see `take`).
MAX_CLIENTS = 100_000


class RateLimiter:
    def __init__(
        self,
        burst: int = BURST,
        per_s: float = PER_S,
        *,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if burst < 1 or per_s <= 0 or max_clients < 1:
            raise ValueError("a rate limit needs burst >= 1, per_s > 0 and max_clients >= 1")
        self.burst = burst
        self.refill = burst / per_s  # tokens a second
        self.max_clients = max_clients
        self.clock = clock
        # client -> (tokens left, when counted); in order of last use, oldest first.
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str) -> float:
        """Spend one token of `client`'s bucket: 0 if the request may go on, otherwise
        the seconds until a token is back."""
        now = self.clock()
        tokens, then = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.refill)
        if tokens >= 1.0:
            tokens -= 1.0
            wait = 0.0
        else:
            wait = (1.0 - tokens) / self.refill
        self._buckets[client] = (tokens, now)  # re-inserted: the newest use goes last
        if len(self._buckets) > self.max_clients:
            # The least recently seen bucket goes; forgetting it at worst hands that
            # client a fresh burst, which is what a bucket untouched for long holds anyway.
            del self._buckets[next(iter(self._buckets))]
        return wait


async def public_rate_limit(request: Request) -> None:
    """A dependency for anonymous routes: 429 with Retry-After once the caller's bucket is empty."""
    client = request.client.host if request.client is not None else "unknown"
    limiter: RateLimiter = request.app.state.public_rate_limit
    wait = limiter.take(client)
    if wait > 0:
        raise HTTPException(
            429,
            f"too many requests from {client}; try again in {math.ceil(wait)} s",
            headers={"Retry-After": str(math.ceil(wait))},
        )
