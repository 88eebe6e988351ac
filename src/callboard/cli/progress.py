"""Progress bars on stderr for steps that can take over a second; nothing when not a terminal.

A step that reports each unit done (files imported, replications run) gets a
bar with a count; one that cannot (a forecast backtest, the HiGHS solve) gets
a pulsing bar with the elapsed time, so a long wait never looks like a hang.
Standard output stays the command's result, and a pipe or log gets no bar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from callboard.cli.context import errors
from callboard.cli.logs import step


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Callable[..., None]]:
    """A bar for `description`; the function yielded advances it by one (any arguments)."""
    columns: list[ProgressColumn] = [TextColumn("{task.description}"), BarColumn()]
    if total is not None:
        columns.append(MofNCompleteColumn())
    columns.append(TimeElapsedColumn())
    with (
        step(description, total=total),
        Progress(*columns, console=errors, transient=True, disable=not errors.is_terminal) as bar,
    ):
        task = bar.add_task(description, total=total)

        def advance(*_: Any) -> None:
            bar.advance(task)

        yield advance
