"""`callboard surge`: check a plan file, and project a running center under each tier.

`surge project` asks a running server (`callboard serve --center ... --plan ...`)
over its API (`callboard.surge.remote_projection` says why).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from callboard.cli.context import console
from callboard.cli.problems import fail, reported
from callboard.sim import check_plan
from callboard.surge import ProjectionUnavailable, fetch_projection

surge_app = typer.Typer(help="Surge plans: check one, project a live center under each tier.")


def register(app: typer.Typer) -> None:
    app.add_typer(surge_app, name="surge")


@surge_app.command("check")
def check(
    plan: Annotated[
        Path, typer.Argument(metavar="PLAN", help="Plan .toml or .yaml (docs/surge.md)")
    ],
    center: Annotated[
        Path | None, typer.Option("--center", help="Scenario whose queues the plan must name.")
    ] = None,
) -> None:
    """Validate PLAN as `serve --plan` would, and list its tiers."""
    with reported():
        parsed = check_plan(plan, center)
    console.print(escape(f"{parsed.name}: {parsed.mode}, target sl {parsed.target_sl:g}, "
                  f"{len(parsed.reserve)} people on the reserve roster"))  # fmt: skip
    for queue in parsed.queues:
        for tier in queue.tiers:
            steps = ", ".join(type(step).__name__ for step in tier.steps)
            console.print(
                escape(f"  {queue.queue} tier {tier.number}: {tier.trigger.text} -> {steps}")
            )


@surge_app.command("project")
def project(
    url: Annotated[str, typer.Option("--url", help="The running server.")] = (
        "http://127.0.0.1:8080"
    ),
    token: Annotated[
        str | None,
        typer.Option("--token", envvar="CALLBOARD_TOKEN", help="A supervisor's API token."),
    ] = None,
    minutes: Annotated[int, typer.Option("--minutes", min=5, max=240)] = 60,
    replications: Annotated[int, typer.Option("--replications", min=2, max=1000)] = 30,
    output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Project the live center's next MINUTES under no action and each tier of its plan."""
    if output not in ("table", "json"):
        fail(f"--format must be table or json, not {output!r}")
    if not token:
        fail("give a supervisor token: --token or CALLBOARD_TOKEN")
    try:
        body = fetch_projection(url, token, minutes=minutes, replications=replications)
    except ProjectionUnavailable as exc:
        fail(exc, 1)
    if output == "json":
        console.print_json(json.dumps(body))
        return
    _print(body)


def _print(body: dict[str, Any]) -> None:
    table = Table(
        title=f"projection from {body['at']}: {body['minutes']} minutes, "
        f"{body['replications']} replications per option (mean [95% CI])"
    )
    for column in ("option", "sl", "abandon_rate", "peak_wait_s"):
        table.add_column(column, justify="left" if column == "option" else "right")
    for option in body["options"]:
        mark = " *" if option["option"] == body["recommended"] else ""
        table.add_row(
            option["option"] + mark,
            *(_interval(option[name]) for name in ("sl", "abandon_rate", "peak_wait_s")),
        )
    console.print(table)
    recommended = body["recommended"] or "none of the options reaches it"
    console.print(f"target sl {body['target_sl']:g}: recommended {recommended}")
    console.print(
        "sl = A(wait ≤ T) / (O − Ab_s), abandon_rate = Ab / O (docs/kpi.md), for callers who "
        "join the queue within the horizon; options are cumulative (tier2 = tiers 3 and 2)"
    )


def _interval(value: dict[str, float | None]) -> str:
    mean, low, high = value["mean"], value["low"], value["high"]
    if mean is None:
        return "—"
    digits = 3 if abs(mean) < 10 else 0
    if low is None or high is None:
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"
