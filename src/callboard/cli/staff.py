"""`callboard staff` (agents per interval) and `callboard fit` (model inputs from records)."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pyarrow.compute as pc
import pyarrow.dataset as ds
import typer
from rich.table import Table

from callboard.cli.context import console, errors, state
from callboard.domain.durations import seconds
from callboard.errors import BadInput, BadRecord, CallboardError
from callboard.queueing import QueueFit, fit_queue
from callboard.queueing.plan import StaffingPlan, plan_staffing

OFFERED = ("answered", "abandoned", "exited")


def register(app: typer.Typer) -> None:
    app.command("staff")(staff_command)
    app.command("fit")(fit_command)


def staff_command(
    aht: Annotated[float, typer.Option("--aht", help="Average handle time, seconds.")],
    target: Annotated[
        str, typer.Option("--target", help="Service level as PERCENT/SECONDS, e.g. 80/20.")
    ],
    volume: Annotated[
        Path | None,
        typer.Option(
            "--volume", help="CSV with columns timestamp,count[,queue]: calls per interval."
        ),
    ] = None,
    calls: Annotated[
        float | None, typer.Option("--calls", help="Calls per interval, for a single interval.")
    ] = None,
    patience: Annotated[
        float | None,
        typer.Option("--patience", help="Mean patience, seconds; switches to Erlang A."),
    ] = None,
    max_abandon: Annotated[
        str | None, typer.Option("--max-abandon", help="Abandon-rate ceiling, e.g. 5%.")
    ] = None,
    max_asa: Annotated[
        float | None,
        typer.Option("--max-asa", help="Mean-wait ceiling, seconds (Erlang A: over all callers)."),
    ] = None,
    shrinkage: Annotated[
        str, typer.Option("--shrinkage", help="Share of paid time off the phones, e.g. 30%.")
    ] = "0%",
    interval: Annotated[
        str, typer.Option("--interval", help="Interval length of the counts: 15m, 30m, 1h, 900s.")
    ] = "15m",
    output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Agents per interval for a service-level target (Erlang C, or Erlang A with --patience).

    Rows of --volume that cannot be read are listed and left out; the exit code
    is then 1, and 2 when nothing could be staffed.
    """
    try:
        sl, threshold = _target(target)
        interval_s = _duration("--interval", interval)
        shrink = _fraction("--shrinkage", shrinkage, allow_zero=True)
        ceiling = None if max_abandon is None else _fraction("--max-abandon", max_abandon)
        rows, rejected = _intervals(volume, calls)
        for problem in rejected[:10]:
            errors.print(f"[yellow]rejected:[/yellow] {problem}")
        if len(rejected) > 10:
            errors.print(f"... and {len(rejected) - 10} more rejected rows")
        if not rows:
            raise BadInput(f"{volume}: no usable rows; expected a header timestamp,count[,queue]")
        plan = plan_staffing(
            np.array([row.count for row in rows]) / interval_s, aht, patience=patience, sl=sl,
            threshold=threshold, max_asa=max_asa, max_abandon=ceiling, shrinkage=shrink,
        )  # fmt: skip
    except CallboardError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if output == "json":
        print(json.dumps(_plan_json(plan, rows, interval_s, target, shrink)))
    else:
        _print_plan(plan, rows, interval_s)
    if rejected:
        raise typer.Exit(1)


def fit_command(
    ctx: typer.Context,
    interval: Annotated[
        str, typer.Option("--interval", help="Interval of the day for arrival rates: 15m, 30m, 1h.")
    ] = "30m",
    output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Per queue: arrival rate by interval of the day, AHT and patience, with 95% intervals."""
    dataset = state(ctx).workspace.records()
    try:
        interval_s = _duration("--interval", interval)
        if dataset.is_empty():
            raise BadInput(f"no contact records in {dataset.root}: run `callboard import` first")
        fits = _fit_records(dataset.files(), interval_s)
    except CallboardError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if output == "json":
        print(json.dumps([_fit_json(name, fit) for name, fit in fits.items()]))
        return
    for name, fit in fits.items():
        if isinstance(fit, str):
            errors.print(f"[yellow]queue {name}:[/yellow] {fit}")
        else:
            _print_fit(name, fit)


@dataclass(frozen=True)
class _Interval:
    timestamp: str
    queue: str
    count: float


def _intervals(volume: Path | None, calls: float | None) -> tuple[list[_Interval], list[str]]:
    if (volume is None) == (calls is None):
        raise BadInput("give exactly one of --volume FILE or --calls N")
    if calls is not None:
        if not (math.isfinite(calls) and calls >= 0):
            raise BadInput(f"--calls {calls!r} is not valid: give a number of calls >= 0")
        return [_Interval("", "", calls)], []
    assert volume is not None
    return _read_volume(volume)


def _read_volume(path: Path) -> tuple[list[_Interval], list[str]]:
    """Rows of a `timestamp,count[,queue]` CSV; unreadable rows come back as messages."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise BadInput(f"{path}: cannot open the volume file ({exc.strerror})") from None
    rows: list[_Interval] = []
    rejected: list[str] = []
    with handle:
        reader = csv.DictReader(handle)
        header = [name.strip().lower() for name in reader.fieldnames or []]
        missing = [name for name in ("timestamp", "count") if name not in header]
        if missing:
            raise BadInput(
                f"{path}: header {header} lacks {', '.join(missing)}; "
                "expected timestamp,count[,queue]"
            )
        reader.fieldnames = header
        for raw in reader:
            try:
                rows.append(_volume_row(path, reader.line_num, raw))
            except BadRecord as exc:
                rejected.append(str(exc))
    return rows, rejected


def _volume_row(path: Path, line: int, raw: dict[str, str | None]) -> _Interval:
    stamp = (raw.get("timestamp") or "").strip()
    try:
        datetime.fromisoformat(stamp)
    except ValueError:
        raise BadRecord(
            str(path), line, "timestamp", f"{stamp!r} is not an ISO 8601 time"
        ) from None
    text = (raw.get("count") or "").strip()
    try:
        count = float(text)
    except ValueError:
        count = math.nan
    if not (math.isfinite(count) and count >= 0):
        raise BadRecord(str(path), line, "count", f"{text!r} is not a number of calls >= 0")
    return _Interval(stamp, (raw.get("queue") or "").strip(), count)


def _target(text: str) -> tuple[float, float]:
    """`80/20` (or `80%/20s`, `0.8/20`) as (0.8, 20.0)."""
    share, _, wait = text.partition("/")
    if not wait:
        raise BadInput(f"--target {text!r} is not PERCENT/SECONDS: write e.g. 80/20")
    return _fraction("--target", share), _duration("--target", wait)


def _fraction(option: str, text: str, *, allow_zero: bool = False) -> float:
    """`5%`, `5` (read as percent) or `0.05` as 0.05."""
    cleaned = text.strip().rstrip("%")
    try:
        value = float(cleaned)
    except ValueError:
        raise BadInput(f"{option} {text!r} is not a percentage: write e.g. 5%") from None
    if text.strip().endswith("%") or value > 1:
        value /= 100
    if not (0 <= value < 1) or (value == 0 and not allow_zero):
        raise BadInput(f"{option} {text!r} is out of range: give a share above 0% and below 100%")
    return value


def _duration(option: str, text: str) -> float:
    """`20`, `20s`, `15m` or `1h` in seconds; zero is refused, a handle time cannot be 0."""
    value = seconds(text, what=option)
    if value <= 0:
        raise BadInput(f"{option} {text!r} is not a duration: write e.g. 20s, 15m or 1h")
    return value


def _print_plan(plan: StaffingPlan, rows: list[_Interval], interval_s: float) -> None:
    table = Table(title=f"Staffing ({plan.model}, {interval_s:g} s intervals)")
    labels = [name for name in ("timestamp", "queue") if any(getattr(r, name) for r in rows)]
    names = list(plan.kpis)
    for column in (*labels, "calls", "load", "agents", "scheduled", *names):
        table.add_column(column, justify="left" if column in labels else "right")
    agents = np.atleast_1d(plan.agents)
    scheduled = np.atleast_1d(plan.scheduled)
    load = np.atleast_1d(plan.load)
    kpis = {name: np.atleast_1d(values) for name, values in plan.kpis.items()}
    for i, row in enumerate(rows):
        table.add_row(
            *(getattr(row, name) for name in labels), f"{row.count:g}", f"{load[i]:.2f}",
            str(agents[i]), str(scheduled[i]),
            *(_kpi_text(name, float(kpis[name][i])) for name in names),
        )  # fmt: skip
    console.print(table)


def _kpi_text(name: str, value: float) -> str:
    if name in ("avg_wait", "asa"):
        return f"{value:.1f} s"
    return f"{100 * value:.1f}%"


def _plan_json(
    plan: StaffingPlan, rows: list[_Interval], interval_s: float, target: str, shrinkage: float
) -> dict[str, Any]:
    agents = np.atleast_1d(plan.agents)
    scheduled = np.atleast_1d(plan.scheduled)
    load = np.atleast_1d(plan.load)
    kpis = {name: np.atleast_1d(values) for name, values in plan.kpis.items()}
    return {
        "model": plan.model,
        "target": target,
        "interval_s": interval_s,
        "shrinkage": shrinkage,
        "rows": [
            {
                "timestamp": row.timestamp or None,
                "queue": row.queue or None,
                "calls": row.count,
                "load_erlangs": float(load[i]),
                "agents": int(agents[i]),
                "scheduled": int(scheduled[i]),
                **{name: _finite(float(values[i])) for name, values in kpis.items()},
            }
            for i, row in enumerate(rows)
        ],
    }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _fit_records(files: list[Path], interval_s: float) -> dict[str, QueueFit | str]:
    """Fit each queue; a queue too small to fit maps to the reason instead."""
    columns = [
        "queue",
        "outcome",
        "queued",
        "wait_s",
        "talk_s",
        "hold_s",
        "acw_s",
        "local_time",
        "day",
    ]
    table = ds.dataset(files, format="parquet").to_table(
        columns=columns, filter=pc.field("outcome").isin(list(OFFERED))
    )
    days = len(pc.unique(table.column("day")))
    fits: dict[str, QueueFit | str] = {}
    for queue in sorted(pc.unique(table.column("queue")).to_pylist()):
        rows = table.filter(pc.equal(table.column("queue"), queue))
        local = rows.column("local_time").to_numpy(zero_copy_only=False).astype("datetime64[us]")
        seconds_of_day = (local - local.astype("datetime64[D]")).astype(np.float64) / 1e6
        outcome = rows.column("outcome").to_numpy(zero_copy_only=False)
        talk = _seconds(rows, "talk_s", missing=np.nan)
        handle = talk + _seconds(rows, "hold_s", missing=0.0) + _seconds(rows, "acw_s", missing=0.0)
        handle = handle[(outcome == "answered") & (handle > 0)]
        try:
            fits[queue] = fit_queue(
                seconds_of_day=seconds_of_day, days=days, interval_s=interval_s,
                queued=rows.column("queued").to_numpy(zero_copy_only=False),
                waits=_seconds(rows, "wait_s", missing=0.0), abandoned=outcome == "abandoned",
                handle=handle,
            )  # fmt: skip
        except BadInput as exc:
            fits[queue] = f"not fitted: {exc}"
    return fits


def _seconds(rows: Any, name: str, *, missing: float) -> np.ndarray[Any, np.dtype[np.float64]]:
    values = rows.column(name).to_numpy(zero_copy_only=False).astype(np.float64)
    return np.where(np.isnan(values), missing, values)


def _print_fit(name: str, fit: QueueFit) -> None:
    summary = Table(title=f"Queue {name}: {fit.offered} offered contacts (95% intervals)")
    for column in ("figure", "estimate", "interval", "based on"):
        summary.add_column(column, justify="left" if column == "figure" else "right")
    aht, logn, patience = fit.aht, fit.handle_lognormal, fit.patience
    summary.add_row(
        "aht (mean)", f"{aht.mean:.1f} s", _span(aht.lower, aht.upper), f"{aht.count} calls"
    )
    summary.add_row(
        "aht (lognormal mean)", f"{logn.mean:.1f} s", _span(logn.mean_lower, logn.mean_upper),
        f"mu {logn.mu:.3f}, sigma {logn.sigma:.3f}",
    )  # fmt: skip
    summary.add_row(
        "patience (total wait / abandons)", f"{patience.mean:.1f} s",
        _span(patience.lower, patience.upper), f"{patience.abandons} abandons",
    )  # fmt: skip
    for t in (30.0, 60.0, 120.0, 300.0):
        s, low, high = (float(v) for v in fit.survival.at(t))
        summary.add_row(
            f"P(patience > {t:g} s), Kaplan–Meier", f"{s:.3f}", f"{low:.3f}–{high:.3f}", ""
        )
    console.print(summary)
    rates = Table(title=f"Queue {name}: arrivals per hour by interval of the day")
    for column in ("interval", "calls", "rate/h", "95% interval"):
        rates.add_column(column, justify="right")
    profile = fit.arrivals
    for i in np.flatnonzero(profile.count):
        start = int(profile.start_s[i])
        rate = profile.rate
        rates.add_row(
            f"{start // 3600:02d}:{start % 3600 // 60:02d}", str(profile.count[i]),
            f"{3600 * rate.rate[i]:.2f}", _span(3600 * rate.lower[i], 3600 * rate.upper[i], ""),
        )  # fmt: skip
    console.print(rates)


def _span(low: float, high: float, unit: str = " s") -> str:
    return f"{low:.1f}–{high:.1f}{unit}"


def _fit_json(name: str, fit: QueueFit | str) -> dict[str, Any]:
    if isinstance(fit, str):
        return {"queue": name, "error": fit}
    profile, km = fit.arrivals, fit.survival
    return {
        "queue": name,
        "offered": fit.offered,
        "confidence": 0.95,
        "aht": vars(fit.aht),
        "handle_lognormal": vars(fit.handle_lognormal),
        "patience": {
            k: _finite(v) if isinstance(v, float) else v for k, v in vars(fit.patience).items()
        },
        "patience_survival": {
            "time_s": km.time.tolist(),
            "survival": km.survival.tolist(),
            "lower": km.lower.tolist(),
            "upper": km.upper.tolist(),
        },
        "arrivals": {
            "interval_s": profile.interval_s,
            "days": profile.days,
            "start_s": profile.start_s.tolist(),
            "count": profile.count.tolist(),
            "rate_per_s": profile.rate.rate.tolist(),
            "lower_per_s": profile.rate.lower.tolist(),
            "upper_per_s": profile.rate.upper.tolist(),
        },
    }
