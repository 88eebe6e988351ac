"""The knowledge-base screen: agents search and read; supervisors also write articles
and see how often callers helped themselves (deflection)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from callboard.server.pages.common import render, signed_in
from callboard.store import LIMITS, Role

router = APIRouter(include_in_schema=False)


@router.get("/kb", response_class=HTMLResponse)
def knowledge_base(request: Request) -> HTMLResponse:
    principal = signed_in(request, "kb")
    editor = principal is not None and principal.role in (Role.SUPERVISOR, Role.ADMIN)
    return render(
        request, "kb.html", screen="kb", principal=principal, script="kb.js", editor=editor,
        limits=LIMITS,
    )  # fmt: skip
