"""The one entry point to an incident report's written forms."""

from __future__ import annotations

import json
from typing import Any

from callboard.errors import BadInput
from callboard.incidents.html_report import render_html
from callboard.incidents.markdown import render_markdown

FORMATS = ("md", "json", "html")


def render_report(report: dict[str, Any], fmt: str) -> str:
    if fmt == "md":
        return render_markdown(report)
    if fmt == "json":
        return json.dumps(report, indent=2, default=str) + "\n"
    if fmt == "html":
        return render_html(report)
    raise BadInput(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
