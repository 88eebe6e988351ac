"""The reports screen: KPI tables and charts by interval, day, queue and agent.

The page is a plain GET form, so a report is a link a supervisor can keep or
send; its query string becomes the /api/v1/reports query that reports.js
runs and that the CSV link downloads. Every column is headed by its KPI.md
definition name, and every row leads to the contact records behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from callboard.kpi import KPIS
from callboard.server.pages.common import render, signed_in
from callboard.server.pages.wallboard import targets

router = APIRouter(include_in_schema=False)
DIMENSIONS = ("interval", "day", "hour", "dow", "queue", "agent")
INTERVALS = (15, 30, 60)
# The columns shown until the supervisor picks others: volume, speed, service, loss.
DEFAULT_KPIS = (
    "offered", "answered", "abandoned", "sl", "asa", "avg_wait", "abandon_rate", "aht",
    "longest_wait",
)  # fmt: skip
# The record fields a drill-down lists (the CSV export has them all).
RECORD_COLUMNS = (
    "contact_id", "queue", "local_time", "outcome", "exit_reason", "wait_s", "talk_s", "agent",
)  # fmt: skip
NUMERIC_RECORD_COLUMNS = ("wait_s", "talk_s")
# Occupancy and utilization join the registry's KPIs when agent-state data exists.
AGENT_STATE_KPIS = ("occupancy", "utilization")


@dataclass
class ReportForm:
    """The form's choices, read leniently: the API names any bad value in its answer."""

    source: str
    by: list[str] = field(default_factory=list)
    interval: int = 30
    start: str = ""
    end: str = ""
    queues: str = ""
    kpis: list[str] = field(default_factory=list)
    repeat_days: int = 7

    def api_query(self) -> str:
        """The /api/v1/reports/kpi query string for these choices."""
        params: list[tuple[str, str | int]] = [("source", self.source)]
        params += [("by", key) for key in self.by]
        params.append(("interval", self.interval))
        params += [(name, value) for name, value in (("start", self.start), ("end", self.end))
                   if value]  # fmt: skip
        params += [("queue", queue) for queue in self.queue_list()]
        params.append(("repeat_window", self.repeat_days * 86_400))
        return urlencode(params)

    def queue_list(self) -> list[str]:
        return [q.strip() for q in self.queues.split(",") if q.strip()]


def sources(request: Request) -> list[str]:
    """The sources this server can report on: imported records, the live center, or both."""
    found = []
    if request.app.state.workspace is not None:
        found.append("records")
    if request.app.state.live is not None:
        found.append("live")
    return found


def read_form(request: Request, available: list[str]) -> ReportForm:
    query = request.query_params
    source = query.get("source") or (available[0] if available else "records")
    by = [key for key in query.getlist("by") if key in DIMENSIONS] or ["day"]
    raw = query.get("interval", "")
    interval = int(raw) if raw.isdigit() and int(raw) in INTERVALS else 30
    kpis = [name for name in query.getlist("kpi") if name in all_kpis()] or list(DEFAULT_KPIS)
    days = query.get("repeat_days", "")
    repeat_days = int(days) if days.isdigit() and 1 <= int(days) <= 365 else 7
    return ReportForm(
        source, by, interval, query.get("start", ""), query.get("end", ""),
        query.get("queues", ""), kpis, repeat_days,
    )  # fmt: skip


def all_kpis() -> list[str]:
    return [*KPIS, *AGENT_STATE_KPIS]


def report_targets(request: Request, form: ReportForm) -> dict[str, dict[str, object] | None]:
    """The targets the chart draws as lines: the one queue's when the report is about one,
    else the default's (server/targets.py)."""
    judged = targets(request)
    queues = form.queue_list()
    chosen = judged.of(queues[0]) if len(queues) == 1 else judged.default
    return chosen.as_dict()


@router.get("/reports", response_class=HTMLResponse)
def reports(request: Request) -> HTMLResponse:
    principal = signed_in(request, "reports")
    available = sources(request)
    form = read_form(request, available)
    return render(
        request, "reports.html", screen="reports", principal=principal, script="reports.js",
        form=form, sources=available, dimensions=DIMENSIONS, intervals=INTERVALS,
        kpis=all_kpis(), api_query=form.api_query(), record_columns=RECORD_COLUMNS,
        numeric_record_columns=NUMERIC_RECORD_COLUMNS, targets=report_targets(request, form),
    )  # fmt: skip
