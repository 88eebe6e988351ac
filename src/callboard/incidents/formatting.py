"""How the written reports show a share and a figure, so Markdown and HTML agree."""

from __future__ import annotations


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
