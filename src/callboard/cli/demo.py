"""`callboard demo`: a live hotline with simulated callers and agents, at accelerated time."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from callboard.cli.context import console, errors, state
from callboard.domain.durations import time_of_day
from callboard.errors import BadConfig, BadInput
from callboard.server.app import ServerConfig, build_app
from callboard.server.centers import center_factory
from callboard.server.demo import AcceleratedClock, DemoTraffic
from callboard.server.surge_live import SurgeLive, surge_setup
from callboard.sim.scenario_file import load_scenario
from callboard.store import open_store
from callboard.store.users import UserStore

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
    try:
        scenario = load_scenario(scenario_file)
        start = scenario.start + time_of_day(at, what="--at")
        surge = surge_setup(plan, scenario)
    except (BadConfig, BadInput) as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    folder = state(ctx).workspace.root / "demo"
    shutil.rmtree(folder, ignore_errors=True)
    engine = open_store(f"sqlite:///{(folder / 'callboard.db').resolve()}")
    users = UserStore(engine)
    users.add("demo-pbx", "integration")
    users.add("demo-supervisor", "supervisor")
    tokens = {"pbx": users.issue_token("demo-pbx"),
              "supervisor": users.issue_token("demo-supervisor")}  # fmt: skip
    clock = AcceleratedClock(start=start, speed=speed)
    config = ServerConfig(center=center_factory(scenario), clock=clock, surge=surge)
    app = build_app(engine, config)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            errors.print(f"[red]error:[/red] the server could not start on {host}:{port}")
            raise typer.Exit(2)
        time.sleep(0.05)
    url = f"http://{host}:{port}"
    traffic = DemoTraffic(url, tokens, scenario, clock, app.state.live)
    traffic.start()
    console.print(f"Callboard demo: [bold]{scenario.name}[/bold] at {speed:g}× speed")
    console.print(f"  API docs      {url}/docs")
    console.print(f"  wallboard     {url}/login?token={tokens['supervisor']}&next=/wallboard")
    console.print(f"  queues (SSE)  {url}/api/v1/stream/queues")
    console.print(f"  supervisor    Authorization: Bearer {tokens['supervisor']}")
    if surge is not None:
        console.print(f"  surge plan    {surge.plan.name} ({surge.plan.mode}): {url}/api/v1/surge")
    console.print("Ctrl-C stops.")
    began = time.monotonic()
    try:
        while seconds is None or time.monotonic() - began < seconds:
            time.sleep(min(STATUS_EVERY_S, seconds or STATUS_EVERY_S))
            now = clock().astimezone(traffic.zone).strftime("%a %H:%M")
            line = f"{now}  callers {traffic.created}  calls completed {traffic.completed}"
            console.print(line + _tiers(app.state.surge))
    except KeyboardInterrupt:
        pass
    finally:
        traffic.stop.set()
        traffic.join(timeout=10)
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


def _tiers(surge: SurgeLive | None) -> str:
    """The status line's surge part: each planned queue's active tiers."""
    if surge is None:
        return ""
    queues = surge.status()["queues"]
    return "  tiers " + ", ".join(
        f"{q['queue']} {'+'.join(map(str, q['active_tiers'])) or '-'}" for q in queues
    )
