"""`callboard staff`: agents per interval for a target, from counts in a file or one figure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from callboard.cli.cells import UNITS, figure, finite, header, number
from callboard.cli.context import console
from callboard.cli.options import with_unit
from callboard.cli.problems import reported, say
from callboard.cli.tables import Column, print_table
from callboard.errors import BadInput
from callboard.queueing import StaffingPlan
from callboard.staffing import (
    SERVICE_LEVEL_HELP,
    IntervalVolume,
    Volume,
    VolumeTargets,
    parse_seconds,
    parse_service_level,
    parse_share,
    read_volume,
    staff_volume,
)


def register(app: typer.Typer) -> None:
    app.command("staff")(staff_command)


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
        str,
        typer.Option(
            "--interval", help="Interval length of the counts, with its unit: 15m, 30min, 1h, 900s."
        ),
    ] = "15m",
    output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Agents per interval for a service-level target (Erlang C, or Erlang A with --patience).

    Rows of --volume that cannot be read are listed and left out; the exit code
    is then 1, and 2 when nothing could be staffed.
    """
    with reported():
        interval_s = parse_seconds(with_unit(interval, "--interval"), "--interval")
        targets = VolumeTargets(
            aht, parse_service_level(target, "--target"), patience, max_asa,
            None if max_abandon is None else parse_share(max_abandon, "--max-abandon"),
            parse_share(shrinkage, "--shrinkage", allow_zero=True),
        )  # fmt: skip
        rows = _volume(volume, calls)
        _print_rejected(rows.rejected)
        plan = staff_volume(rows, interval_s, targets)
    if output == "json":
        print(json.dumps(_plan_json(plan, rows.rows, interval_s, target, targets.shrinkage)))
    else:
        _print_plan(plan, rows.rows, interval_s)
    if rows.rejected:
        raise typer.Exit(1)


def _volume(volume: Path | None, calls: float | None) -> Volume:
    if volume is not None and calls is None:
        return read_volume(volume)
    if calls is not None and volume is None:
        return Volume.single(calls)
    raise BadInput("give exactly one of --volume FILE or --calls N")


def _print_rejected(rejected: list[str]) -> None:
    for problem in rejected[:10]:
        say("rejected", problem)
    if len(rejected) > 10:
        say("rejected", f"... and {len(rejected) - 10} more rows")


def _print_plan(plan: StaffingPlan, rows: list[IntervalVolume], interval_s: float) -> None:
    labels = [name for name in ("timestamp", "queue") if any(getattr(r, name) for r in rows)]
    agents, scheduled, load = (np.atleast_1d(v) for v in (plan.agents, plan.scheduled, plan.load))
    kpis = {name: np.atleast_1d(values) for name, values in plan.kpis.items()}
    columns = [
        *(Column(name, [getattr(r, name) for r in rows], key=True) for name in labels),
        Column("calls", [number(r.count) for r in rows]),
        Column("agents", [str(a) for a in agents]),
        Column("scheduled (with shrinkage)", [str(s) for s in scheduled]),
        *(
            Column(header(name), [figure(float(v), UNITS.get(name)) for v in values])
            for name, values in kpis.items()
        ),
        Column("load (Erlangs)", [f"{v:.2f}" for v in load]),
    ]
    title = (
        f"Staffing ({plan.model.replace('_', ' ').title()}, {interval_s / 60:g}-minute intervals)"
    )
    notes = ["Rates in %, waits as m:ss. Every figure: --format json. Definitions: docs/kpi.md."]
    print_table(console, title, columns, notes=notes)


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
                **{name: finite(float(values[i])) for name, values in kpis.items()},
            }
            for i, row in enumerate(rows)
        ],
    }
