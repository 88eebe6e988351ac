"""`callboard incident list` and `callboard incident report ID`: what went wrong, and why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from callboard.cli.context import console, state
from callboard.cli.problems import reported, say
from callboard.errors import BadInput
from callboard.incidents import (
    FORMATS,
    DetectionSettings,
    Incident,
    ReportOptions,
    build_report,
    list_incidents,
    render_report,
)
from callboard.sim import local_executor
from callboard.surge import load_plan

incident_app = typer.Typer(help="Incidents: stretches of missed service, and why they happened.")

Target = Annotated[
    float, typer.Option("--sl-target", help="Service-level target share (0.8 = 80%).")
]
Threshold = Annotated[float, typer.Option("--sl-threshold", help="Threshold T in seconds.")]
AbandonMax = Annotated[
    float, typer.Option("--abandon-max", help="An interval above this abandonment is bad.")
]
Interval = Annotated[int, typer.Option("--interval", help="Interval width in minutes.")]
MinDuration = Annotated[
    int, typer.Option("--min-duration", help="Minutes a run must last to be an incident.")
]
MergeGap = Annotated[
    int, typer.Option("--merge-gap", help="Runs at most this many minutes apart merge.")
]
MinOffered = Annotated[
    int, typer.Option("--min-offered", help="Intervals with fewer offered contacts never count.")
]
_DEFAULTS = DetectionSettings()


def register(app: typer.Typer) -> None:
    app.add_typer(incident_app, name="incident")


def _settings(
    target: float, threshold: float, abandon_max: float, interval: int, min_duration: int,
    merge_gap: int, min_offered: int,
) -> DetectionSettings:  # fmt: skip
    return DetectionSettings(
        interval_min=interval, sl_target=target, sl_threshold_s=threshold,
        abandon_max=abandon_max, min_duration_min=min_duration, merge_gap_min=merge_gap,
        min_offered=min_offered,
    )  # fmt: skip


@incident_app.command("list")
def list_command(
    ctx: typer.Context,
    start: Annotated[
        str | None, typer.Option("--from", metavar="T", help="From this time (ISO).")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", metavar="T", help="Before this time.")] = None,
    queue: Annotated[list[str] | None, typer.Option("--queue", metavar="Q")] = None,
    output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    target: Target = _DEFAULTS.sl_target,
    threshold: Threshold = _DEFAULTS.sl_threshold_s,
    abandon_max: AbandonMax = _DEFAULTS.abandon_max,
    interval: Interval = _DEFAULTS.interval_min,
    min_duration: MinDuration = _DEFAULTS.min_duration_min,
    merge_gap: MergeGap = _DEFAULTS.merge_gap_min,
    min_offered: MinOffered = _DEFAULTS.min_offered,
) -> None:
    """Incidents in the records: runs of intervals below the SL target or above the
    abandonment threshold, merged when close; the service lost is answered-within-T
    contacts short of the target."""
    with reported():
        if output not in ("table", "json"):
            raise BadInput(f"--format must be table or json, not {output!r}")
        settings = _settings(
            target, threshold, abandon_max, interval, min_duration, merge_gap, min_offered
        )
        found = list_incidents(
            state(ctx).workspace.records(), settings, start=start, end=end, queues=queue or ()
        )
    if output == "json":
        typer.echo(json.dumps({"settings": settings.as_dict(),
                               "incidents": [i.as_dict() for i in found]}, indent=2))  # fmt: skip
        return
    _print(found)
    if not found:
        say("none", "no interval run missed the thresholds in this stretch")


def _print(found: list[Incident]) -> None:
    table = Table(title=f"{len(found)} incidents")
    for name in ("id", "queue", "start", "end", "offered", "SL", "abandonment", "lost"):
        table.add_column(name, justify="left" if name in ("id", "queue") else "right")
    for i in found:
        table.add_row(
            i.incident_id, i.queue, i.start.strftime("%Y-%m-%d %H:%M"),
            i.end.strftime("%Y-%m-%d %H:%M"), str(i.offered), _pct(i.sl),
            _pct(i.abandon_rate), f"{i.lost:.1f}",
        )  # fmt: skip
    console.print(table)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


@incident_app.command("report")
def report_command(
    ctx: typer.Context,
    incident: Annotated[str, typer.Argument(metavar="ID", help="An id from `incident list`.")],
    output: Annotated[str, typer.Option("--format", help="md, json or html")] = "md",
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    replications: Annotated[
        int, typer.Option("--replications", min=2, help="Replays per combination of causes.")
    ] = 30,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Local processes.")] = 1,
    plan: Annotated[
        Path | None, typer.Option("--plan", help="Replay this surge plan too (docs/surge.md).")
    ] = None,
    target: Target = _DEFAULTS.sl_target,
    threshold: Threshold = _DEFAULTS.sl_threshold_s,
    abandon_max: AbandonMax = _DEFAULTS.abandon_max,
    interval: Interval = _DEFAULTS.interval_min,
    min_duration: MinDuration = _DEFAULTS.min_duration_min,
    merge_gap: MergeGap = _DEFAULTS.merge_gap_min,
    min_offered: MinOffered = _DEFAULTS.min_offered,
) -> None:
    """Why incident ID happened: causes with numbers, their Shapley shares of the lost
    service with 95% intervals, and what would have met the target."""
    workspace = state(ctx).workspace
    with reported():
        if output not in FORMATS:
            raise BadInput(f"--format must be one of {', '.join(FORMATS)}, not {output!r}")
        options = ReportOptions(
            settings=_settings(
                target, threshold, abandon_max, interval, min_duration, merge_gap, min_offered
            ),
            replications=replications, seed=seed,
            plan=None if plan is None else load_plan(plan),
        )  # fmt: skip
        report = build_report(
            workspace.records(), incident, options, agent_states=workspace.agent_states(),
            executor=local_executor(workers),
        )  # fmt: skip
        text = render_report(report.as_dict(), output)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        say("written", out, "green")
