"""What `serve` and `demo` print to open: one-time sign-in links that work, once."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest

from callboard.server import Demo
from callboard.store import StoreLocked, UserStore, open_store
from tests.fixtures import serve_process
from tests.fixtures.ports import free_port

HEATING = Path(__file__).resolve().parents[2] / "examples" / "scenarios" / "heating.yaml"
# What a browser says about a link opened from the address bar or a terminal.
TYPED = {"Sec-Fetch-Site": "none"}


def _links(output: str) -> dict[str, str]:
    return dict(re.findall(r"sign in as (\S+)\s+(http\S+)", output))


def test_serve_prints_sign_in_links_for_a_supervisor_and_an_agent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'callboard.db'}"
    people = UserStore(open_store(url))
    people.add("sue", "supervisor")
    people.add("ann", "agent")
    with serve_process.serving(url, tmp_path) as served:
        deadline = time.monotonic() + 30
        while "caller widget" not in served.output() and time.monotonic() < deadline:
            time.sleep(0.1)
        said = served.output()
        links = _links(said)
        assert set(links) == {"sue", "ann"} and "?token=" not in said
        assert f"{served.base}/widget?queue=heating" in said
        for screen in ("wallboard", "console", "agent", "reports", "kb"):
            assert f"{served.base}/{screen}" in said
        with httpx.Client() as browser:
            opened = browser.get(links["ann"], headers=TYPED)
            assert opened.status_code == 303 and opened.headers["location"] == "/agent"
            desk = browser.get(f"{served.base}/agent")
            assert desk.status_code == 200 and 'data-agent="ann"' in desk.text
        again = httpx.get(links["ann"], headers=TYPED)
        assert again.status_code == 401 and "already used" in again.text


def test_the_demo_prints_links_and_holds_the_writer_lock(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    run = Demo.start(folder, HEATING, speed=60, port=free_port())
    try:
        links = {o.what: o.url for o in run.openings()}
        supervisor = links["sign in as demo-supervisor"]
        agent = links["sign in as demo-agent"]
        assert "code=" in supervisor and "token" not in supervisor
        with httpx.Client() as browser:
            assert browser.get(agent, headers=TYPED).headers["location"] == "/agent"
            assert browser.get(f"{run.url}/agent").status_code == 200
        # A second demo on the same folder refuses, and leaves the first one's store be.
        with pytest.raises(StoreLocked, match="already served by pid"):
            Demo.start(folder, HEATING, port=free_port())
        queues = httpx.get(f"{run.url}/api/v1/queues", headers=_bearer(run)).json()["queues"]
        assert queues
    finally:
        run.stop()
    again = Demo.start(folder, HEATING, port=free_port())  # free once the first stopped
    again.stop()


def _bearer(run: Demo) -> dict[str, str]:
    return {"Authorization": f"Bearer {run.tokens['supervisor']}"}
