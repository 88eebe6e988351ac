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

from rich.console import Console
from rich.table import Table
from rich.text import Text

# Rich's heavy box: one rule between columns plus a space of padding either side.
_COLUMN_EDGE = 3


@dataclass
class Column:
    header: str
    cells: list[str] = field(default_factory=list)
    key: bool = False  # a row's label (time, queue): never dropped, left-aligned
    note: str = ""  # a line under the table (a formula), printed when the column is

    def width(self, compact: bool = False) -> int:
        """The widest cell, and the whole header on one line or (compact) its longest word."""
        words = self.header.split() if compact else [self.header]
        return max([*(len(word) for word in words), *(len(cell) for cell in self.cells)])


def print_table(
    console: Console, title: str, columns: Sequence[Column], *, notes: Sequence[str] = ()
) -> tuple[str, ...]:
    """Print a table no wider than the console with every key column and as many others
    as fit, then lines under it: the first of `notes`, the notes of the columns shown,
    the other `notes`, and the columns left out. Returns the headers left out.

    Headers stay on one line when the whole table fits so; otherwise they wrap
    between words, and columns that still do not fit are left out."""
    compact = 1 + sum(c.width() + _COLUMN_EDGE for c in columns) > console.width
    used = 1 + sum(c.width(compact) + _COLUMN_EDGE for c in columns if c.key)
    shown: list[Column] = []
    left_out: list[str] = []
    for column in columns:
        needed = column.width(compact) + _COLUMN_EDGE
        if column.key or used + needed <= console.width:
            shown.append(column)
            used += 0 if column.key else needed
        else:
            left_out.append(column.header)
    table = Table(title=Text(title))
    for column in shown:
        table.add_column(
            Text(column.header),
            justify="left" if column.key else "right",
            no_wrap=column.key,
            width=column.width(compact),
        )
    for row in zip(*(c.cells for c in shown), strict=True):
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
    lines = [*notes[:1], *(c.note for c in shown if c.note), *notes[1:]]
    if left_out:
        lines.append(f"Left out for width: {', '.join(left_out)} (a wider terminal shows them).")
    for line in lines:
        console.print(Text(line))
    return tuple(left_out)
