"""Charts of a command's result: `--chart FILE.html` with plotly, and plotext in the terminal.

A chart is lines over one x axis (times or times of day), each a named
series. The HTML file carries plotly.js inside it, so it opens offline. PNG
needs plotly's image export (kaleido and a Chrome); where that is missing the
command says so and writes nothing, rather than a broken file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.text import Text

from callboard.cli.context import console, errors
from callboard.errors import BadInput

ChartOption = Annotated[
    Path | None,
    typer.Option(
        "--chart", metavar="FILE", help="Also write a chart: FILE.html (opens offline) or FILE.png."
    ),
]


@dataclass
class Chart:
    title: str
    x_title: str
    y_title: str
    x: Sequence[str]
    series: dict[str, list[float | None]] = field(default_factory=dict)


def check_chart_path(path: Path | None) -> None:
    """Refuse a chart file we cannot write before the command does its work."""
    if path is None:
        return
    if path.suffix.lower() not in (".html", ".png"):
        raise BadInput(f"--chart {str(path)!r}: name a .html or .png file")
    if path.suffix.lower() == ".png" and not _can_write_png():
        raise BadInput(
            f"--chart {str(path)!r}: PNG needs plotly's image export (the kaleido package and "
            "Chrome), which is not installed here; write a .html chart instead"
        )


def show_chart(chart: Chart, path: Path | None, *, in_terminal: bool) -> None:
    """Write `chart` to `path` if given; draw it in the terminal when asked and stdout is one."""
    if path is not None:
        write_chart(chart, path)
        errors.print(escape(f"wrote the chart to {path}"))
    if in_terminal and console.is_terminal and chart.series:
        console.print(Text.from_ansi(terminal_chart(chart, min(console.width, 120))))


def write_chart(chart: Chart, path: Path) -> None:
    import plotly.graph_objects as go  # type: ignore[import-untyped]

    figure = go.Figure()
    for name, values in chart.series.items():
        figure.add_trace(go.Scatter(x=list(chart.x), y=values, name=name, mode="lines"))
    figure.update_layout(
        title=chart.title,
        xaxis_title=chart.x_title,
        yaxis_title=chart.y_title,
        template="plotly_white",
    )
    if path.suffix.lower() == ".png":
        figure.write_image(str(path))
    else:
        figure.write_html(str(path), include_plotlyjs=True, full_html=True)


def terminal_chart(chart: Chart, width: int, height: int = 18) -> str:
    """The chart drawn with plotext, as text with ANSI colours for the console."""
    import plotext

    figure = plotext.figure
    figure.clear()
    figure.plot_size(width, height)
    ticks = list(range(len(chart.x)))
    for name, values in chart.series.items():
        points = [(t, v) for t, v in zip(ticks, values, strict=True) if v is not None]
        if points:
            signal = figure.signal([t for t, _ in points], [v for _, v in points])
            figure.draw(signal.lines().label(name))
    step = max(1, len(ticks) // 6)
    figure.ruler("x").ticks(ticks[::step], [chart.x[t] for t in ticks[::step]])
    figure.title(f"{chart.title} ({chart.y_title})")
    return str(figure.build().string())


def _can_write_png() -> bool:
    from importlib.util import find_spec

    return find_spec("kaleido") is not None
