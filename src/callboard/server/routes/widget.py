"""/api/v1/widget (being built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/widget", tags=["widget"])
