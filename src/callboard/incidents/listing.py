"""The question `incident list` asks, with its options as typed: times as ISO text.

A time without an offset is on the center's clock, as everywhere in Callboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from callboard.errors import BadInput
from callboard.incidents.detection import SurgeSpan, find_incidents
from callboard.incidents.incident import Incident
from callboard.incidents.settings import DetectionSettings
from callboard.kpi import Source


def parse_local(text: str | None, option: str) -> datetime | None:
    """An ISO date or time as a naive wall-clock time; an offset is kept as an instant."""
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(
            f"{option}: {text!r} is not an ISO date or time (2024-03-04 or 2024-03-04T09:30)"
        ) from None


def list_incidents(
    source: Source,
    settings: DetectionSettings,
    *,
    start: str | None = None,
    end: str | None = None,
    queues: Sequence[str] = (),
    surges: Sequence[SurgeSpan] = (),
) -> list[Incident]:
    first, last = parse_local(start, "--from"), parse_local(end, "--to")
    if first is not None and last is not None and _naive(last) <= _naive(first):
        raise BadInput(f"--to {end} is not after --from {start}: the stretch is empty")
    return find_incidents(
        source, settings, start=first, end=last, queues=list(queues) or None, surges=surges
    )


def _naive(moment: datetime) -> datetime:
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)
