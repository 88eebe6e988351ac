"""What every command receives through `typer.Context.obj`."""

from __future__ import annotations

from dataclasses import dataclass

import typer
from rich.console import Console

from callboard.workspace import Workspace

console = Console()
errors = Console(stderr=True)


@dataclass
class State:
    workspace: Workspace


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State(workspace=Workspace.locate())
        ctx.find_root().obj = obj
    return obj
