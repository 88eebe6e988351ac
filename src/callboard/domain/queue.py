"""Queue configuration shared by the engine, the KPI engine and planning."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Queue:
    """A queue and its service targets.

    `sl_threshold_s` is T and `short_abandon_s` is S in KPI.md; both are per
    queue because a sales line and an emergency line promise different things.
    """

    name: str
    sl_threshold_s: float = 20.0
    short_abandon_s: float = 5.0
    max_wait_s: float | None = None
    max_length: int | None = None
    timezone: str = "UTC"
