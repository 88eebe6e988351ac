"""The `kpi` and `records` questions, in the words a person types them.

Options arrive as text (ISO times, comma-separated names) and become domain
values here, each failure a `BadInput` that names the option and shows a good
value, so any front end asks these questions the same way and gets the same
answer: the CLI only formats what comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from callboard.domain import seconds
from callboard.errors import BadInput
from callboard.kpi.definitions import DEFAULT_SHORT_ABANDON, DEFAULT_SL_THRESHOLD
from callboard.kpi.drilldown import select_records
from callboard.kpi.export import EXPORT_FORMATS
from callboard.kpi.query import compute_kpis
from callboard.kpi.report import KpiReport
from callboard.kpi.source import Source
from callboard.records import RecordDataset

# What a table shows unless the question names KPIs; other formats carry every KPI.
CORE_KPIS = ("offered", "answered", "abandoned", "sl", "sl_answered", "asa", "abandon_rate", "aht")
# Added to the core set when the workspace holds agent-state spans (with `by agent`).
AGENT_KPIS = ("occupancy", "utilization")


@dataclass(frozen=True)
class KpiQuestion:
    """`by` and `kpis` entries may each hold several comma-separated names; `core` asks for
    the core set (plus agent KPIs where known) instead of every KPI when `kpis` is empty."""

    by: Sequence[str] = ()
    interval: str = "30m"
    start: str | None = None
    end: str | None = None
    queues: Sequence[str] = ()
    sl_threshold: float = DEFAULT_SL_THRESHOLD
    short_abandon: float = DEFAULT_SHORT_ABANDON
    kpis: Sequence[str] = ()
    core: bool = False
    repeat_window: str = "7d"


@dataclass(frozen=True)
class RecordsQuestion:
    """The contacts behind a figure, chosen as `kpi` counts them; `to_file` says whether
    they go to a file, since binary parquet cannot go to a terminal."""

    format: str
    start: str | None = None
    end: str | None = None
    queues: Sequence[str] = ()
    outcomes: Sequence[str] = ()
    to_file: bool = False


def answer_kpis(
    records: Source, question: KpiQuestion, agent_states: RecordDataset | None = None
) -> KpiReport:
    """The figures over `records`, with occupancy where `agent_states` holds spans."""
    report = compute_kpis(
        records, by=split_names(question.by), interval=question.interval,
        start=parse_time(question.start, "--from"), end=parse_time(question.end, "--to"),
        queues=list(question.queues) or None, sl_threshold=question.sl_threshold,
        short_abandon=question.short_abandon, agent_states=agent_states,
        repeat_window=seconds(question.repeat_window, what="--repeat-window"),
    )  # fmt: skip
    core = (*CORE_KPIS, *(name for name in AGENT_KPIS if name in report.kpis))
    chosen = split_names(question.kpis) or (core if question.core else report.kpis)
    return report.select(chosen)


def answer_records(records: Source, question: RecordsQuestion) -> pa.Table:
    """The selected records in RECORD_SCHEMA, ordered by queue entry."""
    check_choice(question.format, EXPORT_FORMATS, "--format")
    if question.format == "parquet" and not question.to_file:
        raise BadInput("parquet is binary: add --output FILE, or use --format csv")
    return select_records(
        records, start=parse_time(question.start, "--from"),
        end=parse_time(question.end, "--to"), queues=list(question.queues) or None,
        outcome=list(question.outcomes) or None,
    )  # fmt: skip


def check_choice(value: str, allowed: Sequence[str], option: str) -> None:
    if value not in allowed:
        raise BadInput(f"{option} {value!r} is not one of {', '.join(allowed)}")


def split_names(values: Sequence[str]) -> list[str]:
    """`["queue,day", "agent"]` -> `["queue", "day", "agent"]`: repeat, or comma-separate."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def parse_time(text: str | None, option: str) -> datetime | None:
    """An ISO time; without an offset it is on the center's clock, as KPI bounds are."""
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(
            f"{option} {text!r} is not an ISO time such as 1999-01-05 or 1999-01-05T10:30 "
            "(add +02:00 or Z for an instant instead of the center's clock)"
        ) from None
