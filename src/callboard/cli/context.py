"""What every command receives through `typer.Context.obj`."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import typer
from rich.console import Console

from callboard.workspace import Workspace

# Piped output (make demo in CI, a log file) gets a wide table instead of Rich's 80
# columns, unless COLUMNS says how wide.
console = Console(width=None if sys.stdout.isatty() else int(os.environ.get("COLUMNS") or 160))
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
