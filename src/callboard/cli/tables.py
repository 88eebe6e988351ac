"""Tables that fit the terminal by choosing columns, never by cutting a cell.

Rich shrinks a too-wide table by folding cells, which cuts dates
(`1999-0…`) and breaks headers apart. Here every column is measured first:
key columns (time, queue) always stay; the other columns are kept in the
order given while they fit, and the footer names those left out and how to
see them. Headers wrap only between words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.table import Table
from rich.text import Text

# Rich's heavy box: one rule between columns plus a space of padding either side.
_COLUMN_EDGE = 3


@dataclass
class Column:
    header: str
    cells: list[str] = field(default_factory=list)
    key: bool = False  # a row's label (time, queue): never dropped, left-aligned

    def width(self) -> int:
        longest_word = max((len(word) for word in self.header.split()), default=0)
        return max([longest_word, *(len(cell) for cell in self.cells)])


@dataclass(frozen=True)
class Fitted:
    table: Table
    left_out: tuple[str, ...]


def fitted_table(
    title: str, columns: Sequence[Column], width: int, *, notes: Sequence[str] = ()
) -> Fitted:
    """A table no wider than `width` holding every key column and as many others as fit."""
    used = 1 + sum(c.width() + _COLUMN_EDGE for c in columns if c.key)
    shown: list[Column] = []
    left_out: list[str] = []
    for column in columns:
        if column.key:
            shown.append(column)
            continue
        if used + column.width() + _COLUMN_EDGE <= width:
            shown.append(column)
            used += column.width() + _COLUMN_EDGE
        else:
            left_out.append(column.header)
    lines = list(notes)
    if left_out:
        lines.append(f"Left out for width: {', '.join(left_out)}.")
    table = Table(title=title, caption="\n".join(lines) or None, caption_justify="left")
    for column in shown:
        table.add_column(
            Text(column.header),
            justify="left" if column.key else "right",
            no_wrap=column.key,
            min_width=column.width(),
        )
    for row in zip(*(c.cells for c in shown), strict=True):
        table.add_row(*(Text(cell) for cell in row))
    return Fitted(table, tuple(left_out))
