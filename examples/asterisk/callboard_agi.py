#!/usr/bin/env python3
"""Callboard's telephony bridge for Asterisk, as an AGI script (Python 3 standard library only).

Install it in Asterisk's AGI directory (usually /var/lib/asterisk/agi-bin/), executable, and
call it from the dialplan (docs/telephony.md, examples/asterisk/extensions.conf):

    AGI(callboard_agi.py,route)     in the call, until the caller is connected or done
    AGI(callboard_agi.py,hangup)    in the `h` extension, so Callboard hears every hangup

Settings come from channel variables, set in the dialplan or [globals]:

    CALLBOARD_URL         http://callboard:8080 (no trailing slash)
    CALLBOARD_QUEUE       the Callboard queue of this call
    CALLBOARD_LANGUAGE    the caller's language for announcements (default en; the example
                          dialplan sets it from CHANNEL(language))
    CALLBOARD_DIAL        how to ring an agent; {agent} is the agent id (default PJSIP/{agent})
    CALLBOARD_TTS         a text-to-speech application for announcements (e.g. Festival);
                          without one the recording `callboard-announcement` is played
    CALLBOARD_TOKEN_FILE  the file holding the integration token (default
                          /etc/asterisk/callboard.token, readable by the asterisk user only)

The token is read from that file, never from a dialplan variable, so it does not show up
in Asterisk's verbose log or `core show channel`. The script sends it as a bearer token.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request
from typing import Any, TextIO

HOLD_S = 10  # music between two asks, seconds
RESULT = re.compile(r"^200 result=(-?\d*)")
RECORDINGS = "/var/spool/asterisk/callboard"


class Agi:
    """The AGI conversation on stdin/stdout: the channel's variables, then one command,
    one answer."""

    def __init__(self, reader: TextIO = sys.stdin, writer: TextIO = sys.stdout) -> None:
        self.reader, self.writer = reader, writer
        self.env: dict[str, str] = {}
        for line in iter(reader.readline, ""):
            line = line.strip()
            if not line:
                break
            key, _, value = line.partition(":")
            self.env[key.strip()] = value.strip()

    def command(self, text: str) -> str:
        """Run one AGI command; its result code ("" when there is none). Raises on a hangup."""
        self.writer.write(text + "\n")
        self.writer.flush()
        answer = self.reader.readline().strip()
        if not answer or answer.startswith("HANGUP") or answer.startswith("511"):
            raise ConnectionAbortedError("the caller hung up")
        match = RESULT.match(answer)
        return match.group(1) if match else ""

    def variable(self, name: str, default: str = "") -> str:
        self.writer.write(f"GET VARIABLE {name}\n")
        self.writer.flush()
        answer = self.reader.readline().strip()  # 200 result=1 (value), or result=0
        match = re.match(r"^200 result=1 \((.*)\)$", answer)
        return match.group(1) if match and match.group(1) else default

    def exec(self, application: str, *args: str) -> str:
        return self.command(f'EXEC {application} "{",".join(args)}"')

    def digit(self, prompt: str, seconds: int = 6) -> str:
        """Play `prompt` and wait for one key: GET DATA answers the digits pressed, "" for
        none (a timeout) and -1 for a failure."""
        code = self.command(f"GET DATA {prompt} {seconds * 1000} 1")
        return code if code not in ("", "-1") else ""


class Callboard:
    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url.rstrip("/"), token

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.url}/api/v1/telephony/{path}",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            answer: dict[str, Any] = json.load(response)
        return answer


def route(agi: Agi, callboard: Callboard) -> None:
    """Ask where the call goes until it is connected, ended or handed a callback."""
    call_id = agi.env["agi_uniqueid"]
    language = agi.variable("CALLBOARD_LANGUAGE", "en")
    ask = {
        "call_id": call_id,
        "queue": agi.variable("CALLBOARD_QUEUE"),
        "caller": agi.env.get("agi_callerid") or None,
        "language": language,
    }
    dial = agi.variable("CALLBOARD_DIAL", "PJSIP/{agent}")
    answer = callboard.post("route", ask)
    told_position = None
    while True:
        action = answer["action"]
        if action == "connect":
            agi.exec("Dial", dial.format(agent=answer["agent_id"]), "30")
            return
        if action in ("finished", "hangup"):
            return
        if action == "announce":
            announce(agi, answer["announcement"])
        elif action == "offer_callback":
            answer = callback_offer(agi, callboard, call_id)
            continue
        elif action == "offer_voicemail":
            answer = voicemail_offer(agi, callboard, call_id)
            continue
        else:  # queue: say the place when it changes, then hold
            if answer["position"] is not None and answer["position"] != told_position:
                told_position = answer["position"]
                agi.command('STREAM FILE queue-youarenext ""')
                agi.command(f'SAY NUMBER {told_position} ""')
            agi.exec("MusicOnHold", "default", str(HOLD_S))
        answer = callboard.post("route", ask)


def announce(agi: Agi, text: str | None) -> None:
    tts = agi.variable("CALLBOARD_TTS")
    if tts and text:
        agi.exec(tts, text.replace(",", " ").replace('"', "'"))
    else:
        agi.command('STREAM FILE callboard-announcement ""')


def callback_offer(agi: Agi, callboard: Callboard, call_id: str) -> dict[str, Any]:
    """1: call me back (the place in line is kept), anything else: keep waiting."""
    choice = "accept" if agi.digit("callboard-offer-callback") == "1" else "decline"
    answer = callboard.post("choice", {"call_id": call_id, "choice": choice})
    if answer["action"] == "hangup":
        agi.command('STREAM FILE callboard-callback-booked ""')
    return answer


def voicemail_offer(agi: Agi, callboard: Callboard, call_id: str) -> dict[str, Any]:
    """1: leave a message (recorded here, its file reported), anything else: decline."""
    if agi.digit("callboard-offer-voicemail") != "1":
        return callboard.post("choice", {"call_id": call_id, "choice": "decline"})
    recording = f"{RECORDINGS}/{call_id}"
    agi.command('STREAM FILE beep ""')
    agi.command(f'RECORD FILE {recording} wav "#" 120000')
    body = {"call_id": call_id, "choice": "accept", "recording": f"{recording}.wav"}
    return callboard.post("choice", body)


def hangup(agi: Agi, callboard: Callboard) -> None:
    """Report the hangup; Callboard ignores a retry or the hangup of a finished call."""
    callboard.post("hangup", {"call_id": agi.env["agi_uniqueid"]})


def main(argv: list[str]) -> int:
    agi = Agi()
    what = argv[1] if len(argv) > 1 else "route"
    token_file = agi.variable("CALLBOARD_TOKEN_FILE", "/etc/asterisk/callboard.token")
    with open(token_file, encoding="utf-8") as file:
        token = file.read().strip()
    callboard = Callboard(agi.variable("CALLBOARD_URL", "http://127.0.0.1:8080"), token)
    try:
        (hangup if what == "hangup" else route)(agi, callboard)
    except ConnectionAbortedError:
        return 0  # the `h` extension reports it
    except (urllib.error.URLError, OSError, KeyError, ValueError) as exc:
        # Callboard is unreachable or answered oddly: tell Asterisk, which goes on with
        # the dialplan's next priority (e.g. a plain Queue() as a fallback).
        sys.stderr.write(f"callboard_agi: {exc}\n")
        agi.command("SET VARIABLE CALLBOARD_FAILED 1")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
