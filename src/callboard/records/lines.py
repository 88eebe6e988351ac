"""Line reading that survives bad bytes: one undecodable line never costs the file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based, as an editor shows it
    text: str | None  # None when the bytes are not UTF-8
    error: str | None = None


def read_lines(path: Path) -> Iterator[Line]:
    """Yield each line without its line ending (LF or CRLF), decoded as UTF-8."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            raw = raw.rstrip(b"\r\n")
            try:
                yield Line(number, raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield Line(number, None, f"bytes are not UTF-8 at column {exc.start + 1}")
