"""`callboard demo`: a live hotline with simulated callers and agents, at accelerated time."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from callboard.cli.context import console, errors, state
from callboard.cli.serve import print_openings
from callboard.errors import BadConfig, BadInput
from callboard.server import Demo
from callboard.store import StoreLocked

STATUS_EVERY_S = 5.0


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    ctx: typer.Context,
    scenario_file: Annotated[Path, typer.Option("--scenario", help="Scenario YAML or TOML.")],
    speed: Annotated[float, typer.Option("--speed", help="Virtual seconds per wall second.")] = 20,
    at: Annotated[str, typer.Option("--at", help="Virtual local time to start at.")] = "09:50",
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8080,
    seconds: Annotated[
        float | None, typer.Option("--seconds", help="Stop after this many wall seconds.")
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option("--plan", help="Surge plan to run; default: the scenario's `plan`."),
    ] = None,
) -> None:
    """Serve a demo center from a scenario and drive it with simulated traffic.

    The demo keeps its own store in <workspace>/demo, recreated on every start.
    With a surge plan (--plan, or the scenario's), the scenario's timed events
    are the surge: examples/scenarios/heating.yaml triples the heating calls at
    10:00, 30 wall seconds after the default start at 20x speed.
    """
    folder = state(ctx).workspace.root / "demo"
    try:
        run = Demo.start(folder, scenario_file, speed=speed, at=at, host=host, port=port,
                         plan=plan)  # fmt: skip
    except (BadConfig, BadInput, StoreLocked) as exc:
        errors.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    url = run.url
    console.print(f"Callboard demo: [bold]{escape(run.scenario.name)}[/bold] at {speed:g}× speed")
    print_openings(run.openings())
    console.print(f"  queues (SSE)  {url}/api/v1/stream/queues")
    console.print(f"  API token     Authorization: Bearer {run.tokens['supervisor']} (supervisor)")
    if run.surge is not None and run.surge.plan is not None:
        plan_ = run.surge.plan
        console.print(f"  surge plan    {plan_.name} ({plan_.mode}): {url}/api/v1/surge")
    console.print("Ctrl-C stops.")
    began = time.monotonic()
    try:
        while seconds is None or time.monotonic() - began < seconds:
            time.sleep(min(STATUS_EVERY_S, seconds or STATUS_EVERY_S))
            console.print(run.status())
    except KeyboardInterrupt:
        pass
    finally:
        run.stop()
