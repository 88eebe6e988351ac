"""How a command reports bad input: one line on stderr, escaped, and an exit code.

Every message goes through Rich's `escape`, so text such as `[outcomes]` in a
CSV error is printed, not taken for markup and dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.markup import escape

from callboard.cli.context import errors
from callboard.errors import CallboardError


def say(label: str, text: object, colour: str = "yellow") -> None:
    """`label: text` on stderr, the label coloured and the text exactly as given."""
    errors.print(
        f"[{colour}]{label}:[/{colour}] {escape(str(text))}", highlight=False, soft_wrap=True
    )


def fail(text: object, code: int = 2) -> NoReturn:
    say("error", text, "red")
    raise typer.Exit(code)


@contextmanager
def reported(code: int = 2) -> Iterator[None]:
    """Callboard's own errors inside become one red line and exit `code` (2: bad input)."""
    try:
        yield
    except CallboardError as exc:
        fail(exc, code)
