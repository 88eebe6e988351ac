"""The caller widget: self-help first, then the queue, a callback or a message, then CSAT.

It is public and meant to sit in an iframe on a hotline's own site, so it has
its own slim header and reads only the widget's public API and the public KB.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from callboard.server.pages.common import render, signed_in
from callboard.server.routes.widget import QUEUE_NAME

router = APIRouter(include_in_schema=False)
ACCENT = r"^#[0-9a-fA-F]{6}$"  # a colour the CSS variable takes as it is


@router.get("/widget", response_class=HTMLResponse)
def widget(
    request: Request,
    queue: str = Query("", max_length=64, pattern=f"{QUEUE_NAME}|^$"),
    theme: Literal["light", "dark"] = "light",
    accent: str | None = Query(None, pattern=ACCENT),
) -> HTMLResponse:
    """`theme` and `accent` are the embedding site's look (docs/widget.md)."""
    principal = signed_in(request, "widget")
    return render(
        request, "widget.html", screen="widget", principal=principal, script="widget.js",
        queue=queue, theme=theme, accent=accent,
    )  # fmt: skip
