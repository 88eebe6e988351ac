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
    at: Annotated[str, typer.Option("--at", help="Virtual local time to start at.")] = "09:30",
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8080,
    seconds: Annotated[
        float | None, typer.Option("--seconds", help="Stop after this many wall seconds.")
    ] = None,
) -> None:
    """Serve a demo center from a scenario and drive it with simulated traffic.

    The demo keeps its own store in <workspace>/demo, recreated on every start.
    """
    try:
        scenario = load_scenario(scenario_file)
        start = scenario.start + time_of_day(at, what="--at")
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
    app = build_app(engine, ServerConfig(center=center_factory(scenario), clock=clock))
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
    console.print(f"  queues (SSE)  {url}/api/v1/stream/queues")
    console.print(f"  supervisor    Authorization: Bearer {tokens['supervisor']}")
    console.print("Ctrl-C stops.")
    began = time.monotonic()
    try:
        while seconds is None or time.monotonic() - began < seconds:
            time.sleep(min(STATUS_EVERY_S, seconds or STATUS_EVERY_S))
            now = clock().astimezone(traffic.zone).strftime("%a %H:%M")
            console.print(f"{now}  callers {traffic.created}  calls completed {traffic.completed}")
    except KeyboardInterrupt:
        pass
    finally:
        traffic.stop.set()
        traffic.join(timeout=10)
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
