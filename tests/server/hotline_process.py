"""Runs a hotline server in its own process, so a test can `kill -9` it.

Usage: python -m tests.server.hotline_process DB_URL PORT
"""

from __future__ import annotations

import sys

import uvicorn

from callboard.engine import Center, QueueSpec
from callboard.server import build_app
from callboard.server.app import ServerConfig
from callboard.store import open_store


def hotline(now: float) -> Center:
    return Center([QueueSpec("heating", offer_timeout_s=20)], start=now)


def main() -> None:
    url, port = sys.argv[1], int(sys.argv[2])
    # Snapshot often, so recovery exercises snapshot + journal replay, not replay alone.
    app = build_app(open_store(url), ServerConfig(center=hotline, snapshot_every=25))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
