"""examples/asterisk/callboard_agi.py against a real server: the script speaks AGI to a
stand-in for Asterisk on its stdin/stdout, and HTTP to Callboard."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from tests.server.hotline import Hotline, route

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "asterisk" / "callboard_agi.py"


def run_agi(
    api: Hotline, argument: str, tmp_path: Path, on_command: Callable[[str], str]
) -> list[str]:
    """Run the script for call 4711 as Asterisk would; returns the commands it sent."""
    token_file = tmp_path / "callboard.token"
    token_file.write_text(api.tokens["pbx"])
    variables = {
        "CALLBOARD_URL": api.url, "CALLBOARD_QUEUE": "heating", "CALLBOARD_LANGUAGE": "uk",
        "CALLBOARD_TOKEN_FILE": str(token_file),
    }  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), argument],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("agi_uniqueid: 4711\nagi_callerid: +380441234567\n\n")
    process.stdin.flush()
    sent = []
    for line in process.stdout:
        command = line.strip()
        sent.append(command)
        if command.startswith("GET VARIABLE "):
            value = variables.get(command.removeprefix("GET VARIABLE "))
            answer = f"200 result=1 ({value})" if value else "200 result=0"
        else:
            answer = on_command(command)
        process.stdin.write(answer + "\n")
        process.stdin.flush()
    assert process.wait(timeout=30) == 0
    return [c for c in sent if not c.startswith("GET VARIABLE")]


def test_the_agi_script_queues_holds_and_books_a_callback(clocked: Hotline, tmp_path: Path) -> None:
    def asterisk(command: str) -> str:
        if command.startswith("EXEC MusicOnHold"):
            clocked.time.now += timedelta(minutes=2)  # past heating's maximum wait
        if command.startswith("GET DATA callboard-offer-callback"):
            return "200 result=1"
        return "200 result=0"

    sent = run_agi(clocked, "route", tmp_path, asterisk)
    assert sent[:3] == ['STREAM FILE queue-youarenext ""', 'SAY NUMBER 1 ""',
                        'EXEC MusicOnHold "default,10"']  # fmt: skip
    assert "GET DATA callboard-offer-callback 6000 1" in sent
    assert sent[-1] == 'STREAM FILE callboard-callback-booked ""'
    assert route(clocked, "4711")["action"] == "hangup"  # a kept-place callback
    assert run_agi(clocked, "hangup", tmp_path, lambda _: "200 result=0") == []
    status = clocked.as_("pbx").get("/api/v1/contacts/pbx:4711").json()
    assert status["callback"] is True and status["state"] == "waiting"


def test_the_agi_script_rings_the_agent(clocked: Hotline, tmp_path: Path) -> None:
    clocked.as_("ann").post("/api/v1/agents/ann/login", json={})
    sent = run_agi(clocked, "route", tmp_path, lambda _: "200 result=0")
    assert sent == ['EXEC Dial "PJSIP/ann,30"']
