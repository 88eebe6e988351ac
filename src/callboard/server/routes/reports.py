"""/api/v1/reports: KPI tables and the contact records behind them, as JSON or CSV.

Two sources feed the one KPI engine (`callboard.kpi`):

- `records`: the contact records imported into the server's workspace;
- `live`: the live center's own traffic, rebuilt from the event log by
  `callboard.records.ContactFold` into the records a simulation would write,
  so a live day, a simulated day and an imported day are counted by the same
  code. The fold is kept between reports, so a wallboard polling today's
  figures reads only the events appended since its last poll.

Dates without a time and ISO times without an offset are on the center's wall
clock; times with an offset are instants. Periods are half-open, [start, end),
as KPI.md's rules require.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pyarrow as pa
import pyarrow.compute as pc
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine

from callboard.engine import Center
from callboard.errors import BadInput
from callboard.kpi import (
    GROUP_KEYS,
    OUTCOME_CHOICES,
    KpiReport,
    Selection,
    Source,
    compute_kpis,
    select_records,
    write_records,
)
from callboard.records import ContactFold, records_to_table
from callboard.server.auth import require
from callboard.server.inputs import Offset
from callboard.server.live import LiveCenter
from callboard.server.openapi_responses import SIGNED_IN, declare
from callboard.store import EventLog, Principal, Role
from callboard.workspace import Workspace

router = APIRouter(prefix="/api/v1/reports", tags=["reports"], responses=declare(*SIGNED_IN))
Supervisor = Annotated[Principal, Depends(require(Role.SUPERVISOR))]

SOURCES = ("records", "live")
INTERVALS = (15, 30, 60)
FORMATS = ("json", "csv")
# Event-log rows read per round trip while folding a period into records.
PAGE = 10_000
# Live periods whose fold is kept per center: today, and a few asked for lately.
LIVE_PERIODS = 4

SourceParam = Annotated[str, Query(description="records (imported) or live (the center)")]
Times = Annotated[
    str | None,
    Query(description="YYYY-MM-DD or ISO time; without an offset, the center's clock"),
]
Queues = Annotated[list[str] | None, Query(max_length=100)]
Format = Annotated[str, Query(description="json or csv")]

UTC_ZONE = ZoneInfo("UTC")


@router.get("/kpi", response_model=None, responses=declare(409))
def kpi_report(
    principal: Supervisor,
    request: Request,
    source: SourceParam = "records",
    by: Annotated[list[str] | None, Query(description=", ".join(GROUP_KEYS))] = None,
    interval: Annotated[int, Query(description="minutes: 15, 30 or 60")] = 30,
    start: Times = None,
    end: Times = None,
    queue: Queues = None,
    sl_threshold: Annotated[float, Query(ge=0, le=86_400)] = 20.0,
    short_abandon: Annotated[float, Query(ge=0, le=86_400)] = 5.0,
    format: Format = "json",
    repeat_window: Annotated[
        float, Query(ge=0, le=31_622_400, description="seconds; repeat_rate and fcr")
    ] = 604_800.0,
) -> Response:
    """Every KPI of the dictionary per group of `by`, each with its KPI.md name and formula."""
    _choose("format", format, FORMATS)
    _choose("interval", interval, INTERVALS)
    keys = by or []
    for key in keys:
        _choose("by", key, tuple(GROUP_KEYS))
    chosen = _period(request, source, start, end)
    report = compute_kpis(
        chosen.source, by=keys, interval=f"{interval}m", start=chosen.start, end=chosen.end,
        queues=queue or None, sl_threshold=sl_threshold, short_abandon=short_abandon,
        agent_states=chosen.agent_states, repeat_window=repeat_window,
    )  # fmt: skip
    if format == "csv":
        return _attachment(report.to_csv(), f"kpi-{source}.csv")
    return JSONResponse({"source": source, **_body(report)})


@router.get("/records", response_model=None, responses=declare(409))
def drill_down(
    principal: Supervisor,
    request: Request,
    source: SourceParam = "records",
    start: Times = None,
    end: Times = None,
    queue: Queues = None,
    interval_start: Times = None,
    interval_minutes: Annotated[int, Query(ge=1, le=1440)] = 30,
    agent: Annotated[str | None, Query(max_length=128)] = None,
    outcome: Annotated[list[str] | None, Query(description=", ".join(OUTCOME_CHOICES))] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
    format: Format = "json",
) -> Response:
    """The contact records behind a figure, selected exactly as the KPIs count them.

    A report row leads here with the same `start`/`end` and `queue`, or with
    its interval (`interval_start`, `interval_minutes`), its `agent` (empty:
    contacts no agent answered) and an `outcome`. JSON is paged by
    `limit`/`offset`; CSV exports the whole selection, since an export is of
    every record behind the figure.
    """
    _choose("format", format, FORMATS)
    for name in outcome or ():
        _choose("outcome", name, tuple(OUTCOME_CHOICES))
    if interval_start is not None:
        if start is not None or end is not None:
            raise HTTPException(422, "interval_start: give either interval_start or start/end")
        first = _when("interval_start", interval_start)
        start, end = first.isoformat(), (first + timedelta(minutes=interval_minutes)).isoformat()
    chosen = _period(request, source, start, end)
    table = select_records(
        chosen.source, start=chosen.start, end=chosen.end, queues=queue or None,
        outcome=outcome or None,
    )  # fmt: skip
    if agent == "":  # the report's row of contacts no agent answered
        table = table.filter(pc.is_null(table.column("agent")))
    elif agent is not None:
        table = table.filter(pc.equal(table.column("agent"), agent))
    if format == "csv":
        out = io.BytesIO()
        write_records(table, "csv", out)
        return _attachment(out.getvalue().decode(), f"records-{source}.csv")
    page = _plain(table.slice(offset, limit).to_pylist())
    return JSONResponse(
        {"source": source, "total": table.num_rows, "offset": offset, "records": page}
    )


def report_zone(request: Request, tz: str | None = None) -> ZoneInfo:
    """The zone whose days reports are bounded by: `tz`, else the live center's, else UTC."""
    if tz is not None:
        try:
            return ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long
            raise HTTPException(422, f"tz: {tz!r} is not an IANA time zone") from None
    live: LiveCenter | None = request.app.state.live
    return UTC_ZONE if live is None else _live_cache(live).zone


@dataclass(frozen=True)
class _Chosen:
    source: Source
    start: datetime | None
    end: datetime | None
    agent_states: Source | None = None


def _period(request: Request, source: str, start: str | None, end: str | None) -> _Chosen:
    """The records of `source` and the parsed half-open period [start, end)."""
    _choose("source", source, SOURCES)
    first = None if start is None else _when("start", start)
    last = None if end is None else _when("end", end)
    try:
        Selection(first, last)
    except BadInput as exc:
        raise HTTPException(422, f"end: {exc}") from None
    if source == "records":
        workspace: Workspace | None = request.app.state.workspace
        if workspace is None:
            raise HTTPException(
                409, "source=records: this server has no workspace of imported records; "
                "start it with `callboard serve` in a workspace, or use source=live",
            )  # fmt: skip
        return _Chosen(workspace.records(), first, last, workspace.agent_states())
    live: LiveCenter | None = request.app.state.live
    if live is None:
        raise HTTPException(
            409, "source=live: this server runs no live center; start it with --center FILE"
        )
    cache = _live_cache(live)
    if first is None:  # the live report defaults to today on the center's clock
        today = request.app.state.clock().astimezone(cache.zone).date()
        first = datetime.combine(today, datetime.min.time())
    since = first if first.tzinfo is not None else first.replace(tzinfo=cache.zone)
    return _Chosen(cache.records(request.app.state.engine, since.timestamp()), first, last)


class _LivePeriod:
    """One period's live records, brought up to date by reading only the events
    appended since the last report. A contact's record is built once, when it
    leaves the center; those still talking are rebuilt on every report.

    Reading by `seq` relies on the live center being the event log's one
    writer, committing in order, so no lower `seq` can appear later.
    """

    def __init__(self, since: float, channels: Mapping[str, str], zone: str) -> None:
        self.since = since
        self.zone = zone
        self.fold = ContactFold(channels, source="live")
        self.after = -1
        self.ended = records_to_table([], zone)
        self.lock = threading.Lock()

    def records(self, engine: Engine) -> pa.Table:
        log = EventLog(engine)
        with self.lock:
            while page := log.contact_events(self.after, self.since, PAGE):
                for _, event in page:
                    self.fold.feed(event)
                self.after = page[-1][0]
            ended = records_to_table(self.fold.take_ended(), self.zone)
            if ended.num_rows:
                self.ended = pa.concat_tables([self.ended, ended]).combine_chunks()
            talking = records_to_table(self.fold.talking(), self.zone)
            return pa.concat_tables([self.ended, talking])


class _LiveCache:
    """What reports keep per live center: its zone and queue channels, read once from
    its specs, and the folds of the few periods asked for most recently."""

    def __init__(self, live: LiveCenter) -> None:
        # The engine exposes its queue specs only through `snapshot()`. Its
        # queues share the scenario's zone, so the first queue's is the center's.
        specs = [queue["spec"] for queue in live.read(Center.snapshot)["queues"]]
        self.zone = ZoneInfo(specs[0]["timezone"]) if specs else UTC_ZONE
        self.channels = {spec["name"]: spec["channel"] for spec in specs}
        self.periods: OrderedDict[float, _LivePeriod] = OrderedDict()
        self.lock = threading.Lock()

    def records(self, engine: Engine, since: float) -> pa.Table:
        with self.lock:
            period = self.periods.pop(since, None) or _LivePeriod(
                since, self.channels, str(self.zone.key)
            )
            self.periods[since] = period
            while len(self.periods) > LIVE_PERIODS:
                self.periods.popitem(last=False)
        return period.records(engine)


_LIVE: WeakKeyDictionary[LiveCenter, _LiveCache] = WeakKeyDictionary()
_LIVE_LOCK = threading.Lock()


def _live_cache(live: LiveCenter) -> _LiveCache:
    with _LIVE_LOCK:
        cache = _LIVE.get(live)
        if cache is None:
            cache = _LIVE[live] = _LiveCache(live)
        return cache


def _body(report: KpiReport) -> dict[str, Any]:
    """The JSON answer: every figure's KPI.md name and formula beside the rows."""
    described = report.definitions["kpis"]
    definitions = {
        name: {"label": name, "definition": described[name]["formula"], **described[name]}
        for name in report.kpis
    }
    return {
        "by": list(report.group_by),
        "definitions": definitions,
        "thresholds": report.definitions["thresholds"],
        "counting": report.definitions["counting"],
        "interval": report.definitions["interval"],
        "selection": report.definitions["selection"],
        "unavailable": report.definitions["unavailable"],
        "columns": report.columns,
        "rows": _plain(report.rows),
    }


def _plain(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as JSON values, dates and times as ISO text. Answered as a ready JSONResponse,
    because FastAPI's generic encoder takes seconds over a month of intervals."""
    return [
        {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()} for row in rows
    ]


def _attachment(text: str, filename: str) -> Response:
    return Response(
        text, media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )  # fmt: skip


def _choose(name: str, value: object, allowed: tuple[object, ...]) -> None:
    if value not in allowed:
        choices = ", ".join(str(a) for a in allowed)
        raise HTTPException(422, f"{name}: {value!r} is not one of {choices}")


def _when(name: str, text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise HTTPException(
            422, f"{name}: {text!r} is not a date (YYYY-MM-DD) or an ISO time such as "
            "1999-01-05T10:30 (add +02:00 or Z for an instant instead of the center's clock)",
        ) from None  # fmt: skip
