"""Asking a running server for its surge projection, over the API anyone may call.

Only the server holds the live figures (the arrival trend, reserve people on
their way) a projection starts from, so a projection is fetched, never
computed from the store; the API's role checks apply to this client as to
anyone.
"""

from __future__ import annotations

from typing import Any

import httpx

from callboard.errors import CallboardError

# A projection runs tens of replications per option on the server; minutes, not seconds.
TIMEOUT_S = 300.0


class ProjectionUnavailable(CallboardError):
    """The server could not be reached, or refused (a wrong token, no plan, no center)."""


def fetch_projection(url: str, token: str, *, minutes: int, replications: int) -> dict[str, Any]:
    """`GET /api/v1/surge/projection` as a supervisor: the options, each with sl,
    abandon_rate and peak_wait_s (mean and 95% interval), and the recommended one."""
    try:
        response = httpx.get(
            f"{url.rstrip('/')}/api/v1/surge/projection",
            params={"minutes": minutes, "replications": replications},
            headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT_S,
        )  # fmt: skip
    except httpx.HTTPError as exc:
        raise ProjectionUnavailable(f"cannot reach {url}: {exc}") from None
    body: dict[str, Any] = response.json()
    if not response.is_success:
        raise ProjectionUnavailable(f"{response.status_code}: {body.get('error', body)}")
    return body
