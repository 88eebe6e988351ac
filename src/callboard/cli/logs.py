"""`--verbose`: the library's and the commands' log records on stderr, one JSON object a line.

JSON lines, so a log shipper (Loki, journald, jq) reads the fields without a
pattern: `time`, `level`, `logger`, `message`, and whatever the caller passed
in `extra`. Standard output stays the command's own result.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

# The attributes every LogRecord has; anything else came from `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message"}

log = logging.getLogger("callboard.cli")


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
        if record.exc_info:
            fields["exception"] = self.formatException(record.exc_info)
        return json.dumps(fields, default=str)


def configure_logging(verbose: int) -> None:
    """0: warnings only; 1 (-v): info; 2 or more (-vv): debug."""
    level = (logging.WARNING, logging.INFO)[verbose] if verbose < 2 else logging.DEBUG
    root = logging.getLogger("callboard")
    root.setLevel(level)
    ours = [h for h in root.handlers if isinstance(h.formatter, JsonLines)]
    if not verbose:
        for handler in ours:
            root.removeHandler(handler)
        return
    if not ours:
        ours = [logging.StreamHandler()]
        ours[0].setFormatter(JsonLines())
        root.addHandler(ours[0])
    # The stream of this run: a test runner swaps sys.stderr between invocations.
    for handler in ours:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)


@contextmanager
def step(name: str, **fields: object) -> Iterator[None]:
    """Log a step's start and its duration in seconds, for -v."""
    log.info("%s started", name, extra={"step": name, **fields})
    began = time.perf_counter()
    try:
        yield
    finally:
        seconds = round(time.perf_counter() - began, 3)
        log.info("%s done", name, extra={"step": name, "seconds": seconds, **fields})
