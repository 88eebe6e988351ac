"""`callboard staff` (agents per interval) and `callboard fit` (model inputs from records)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.table import Table

from callboard.cli.context import console, errors, state
from callboard.errors import BadInput, CallboardError
from callboard.queueing import QueueFit, StaffingPlan
from callboard.staffing import (
    SERVICE_LEVEL_HELP,
    IntervalVolume,
    Volume,
    VolumeTargets,
    fit_queues,
    parse_seconds,
    parse_service_level,
    parse_share,
    read_volume,
    staff_volume,
)


def register(app: typer.Typer) -> None:
    app.command("staff")(staff_command)
    app.command("fit")(fit_command)


def staff_command(
    aht: Annotated[float, typer.Option("--aht", help="Average handle time, seconds.")],
    target: Annotated[str, typer.Option("--target", "--sl", help=SERVICE_LEVEL_HELP)],
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
        interval_s = parse_seconds(interval, "--interval")
        targets = VolumeTargets(
            aht, parse_service_level(target, "--target"), patience, max_asa,
            None if max_abandon is None else parse_share(max_abandon, "--max-abandon"),
            parse_share(shrinkage, "--shrinkage", allow_zero=True),
        )  # fmt: skip
        rows = _volume(volume, calls)
        _print_rejected(rows.rejected)
        plan = staff_volume(rows, interval_s, targets)
    except CallboardError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if output == "json":
        print(json.dumps(_plan_json(plan, rows.rows, interval_s, target, targets.shrinkage)))
    else:
        _print_plan(plan, rows.rows, interval_s)
    if rows.rejected:
        raise typer.Exit(1)


def fit_command(
    ctx: typer.Context,
    interval: Annotated[
        str, typer.Option("--interval", help="Interval of the day for arrival rates: 15m, 30m, 1h.")
    ] = "30m",
    output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Per queue: arrival rate by interval of the day, AHT and patience, with 95% intervals.

    `plan staff` and `plan reserve` staff with the same AHT and patience means.
    """
    try:
        fitted = fit_queues(state(ctx).workspace.records(), parse_seconds(interval, "--interval"))
    except CallboardError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    results = {q: fitted.fits.get(q) or fitted.not_fitted[q] for q in fitted.queues()}
    if output == "json":
        print(json.dumps([_fit_json(name, fit) for name, fit in results.items()]))
        return
    for name, fit in results.items():
        if isinstance(fit, str):
            errors.print(f"[yellow]queue {name}:[/yellow] {fit}")
        else:
            _print_fit(name, fit)


def _volume(volume: Path | None, calls: float | None) -> Volume:
    if volume is not None and calls is None:
        return read_volume(volume)
    if calls is not None and volume is None:
        return Volume.single(calls)
    raise BadInput("give exactly one of --volume FILE or --calls N")


def _print_rejected(rejected: list[str]) -> None:
    for problem in rejected[:10]:
        errors.print(f"[yellow]rejected:[/yellow] {problem}")
    if len(rejected) > 10:
        errors.print(f"... and {len(rejected) - 10} more rejected rows")


def _print_plan(plan: StaffingPlan, rows: list[IntervalVolume], interval_s: float) -> None:
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
    plan: StaffingPlan, rows: list[IntervalVolume], interval_s: float, target: str, shrinkage: float
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
