"""Reading one mailbox over IMAP, in a thread of its own: IDLE where the server offers
it, polling every `poll_s` otherwise.

Why stdlib imaplib in a thread rather than an asyncio client: intake blocks on
the store and on the live center's group commit anyway (both are blocking
APIs, `LiveCenter.execute` included), a mailbox is one connection, and
imaplib is in the standard library and speaks to every server; the event
loop is left to HTTP. Python 3.11's imaplib has no IDLE, so `_idle` speaks it
(RFC 2177) on imaplib's own connection.

Messages are fetched with BODY.PEEK, which leaves them unseen; each is marked
\\Seen only after `MailIntake.take` returned, when its case is durable. A
rejected message is also flagged (\\Flagged), so someone reading the mailbox
finds it. A lost connection is logged and opened again, with a growing pause.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
import select
import ssl
import threading
import time

from callboard.channels.intake import MailIntake, Taken
from callboard.channels.mailbox import Mailbox

log = logging.getLogger(__name__)
SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
UID = re.compile(rb"UID (\d+)")
# An IDLE is renewed before servers' 30-minute limit (RFC 2177 asks for 29).
IDLE_RENEW_S = 25 * 60
MAX_PAUSE_S = 60.0


class MailboxReader:
    def __init__(self, mailbox: Mailbox, intake: MailIntake) -> None:
        self.mailbox = mailbox
        self.intake = intake
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, name=f"imap {mailbox.name}", daemon=True)
        # Set after every pass over the mailbox: tests and `serve` logs wait on it.
        self.passes = 0

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 10) -> None:
        self.stopping.set()
        self.thread.join(timeout)

    def run(self) -> None:
        try:
            recovered = self.intake.recover()
        except Exception:
            log.exception("mailbox %s: finishing interrupted replies failed", self.mailbox.name)
            recovered = 0
        if recovered:
            log.info("mailbox %s: finished %d interrupted replies", self.mailbox.name, recovered)
        pause = 1.0
        while not self.stopping.is_set():
            try:
                self._session()
                pause = 1.0
            except Exception as exc:  # a dropped connection, a refused login, a store outage
                log.warning("mailbox %s: %s; trying again in %.0f s", self.mailbox.name, exc, pause)
                self.stopping.wait(pause)
                pause = min(pause * 2, MAX_PAUSE_S)

    def _session(self) -> None:
        imap = self._connect()
        try:
            status, _ = imap.select(_quoted(self.mailbox.folder))
            if status != "OK":
                raise imaplib.IMAP4.error(f"cannot open folder {self.mailbox.folder}")
            idle = "IDLE" in imap.capabilities
            while not self.stopping.is_set():
                self.read_new(imap)
                self.passes += 1
                if idle:
                    _idle(imap, self.stopping, IDLE_RENEW_S)
                else:
                    self.stopping.wait(self.mailbox.poll_s)
                    imap.noop()
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                imap.logout()

    def _connect(self) -> imaplib.IMAP4:
        box = self.mailbox
        imap: imaplib.IMAP4
        if box.tls:
            imap = imaplib.IMAP4_SSL(box.host, box.port, ssl_context=ssl.create_default_context())
        else:
            imap = imaplib.IMAP4(box.host, box.port, timeout=60)
            if "STARTTLS" in imap.capabilities:
                imap.starttls(ssl.create_default_context())
        imap.login(box.user, box.password)
        return imap

    def read_new(self, imap: imaplib.IMAP4) -> list[Taken]:
        """Take every unseen message in, oldest first; each marked seen once durable."""
        status, data = imap.uid("SEARCH", "UNSEEN")
        if status != "OK":
            raise imaplib.IMAP4.error(f"SEARCH UNSEEN failed: {data!r}")
        taken = []
        for uid in (data[0] or b"").split():
            if self.stopping.is_set():
                break
            taken.append(self._take(imap, uid.decode()))
        return taken

    def _take(self, imap: imaplib.IMAP4, uid: str) -> Taken:
        _, sized = imap.uid("FETCH", uid, "(RFC822.SIZE)")
        found = SIZE.search(b" ".join(p if isinstance(p, bytes) else p[0] for p in sized if p))
        size = int(found.group(1)) if found else 0
        if size > self.mailbox.max_message:
            header = _fetch(imap, uid, "BODY.PEEK[HEADER]")
            result = self.intake.refuse_oversized(header, size)
        else:
            result = self.intake.take(_fetch(imap, uid, "BODY.PEEK[]"))
        flags = r"(\Seen \Flagged)" if result.outcome == "rejected" else r"(\Seen)"
        imap.uid("STORE", uid, "+FLAGS", flags)
        return result


def _fetch(imap: imaplib.IMAP4, uid: str, part: str) -> bytes:
    status, data = imap.uid("FETCH", uid, f"({part})")
    for item in data:
        if isinstance(item, tuple):
            return bytes(item[1])
    raise imaplib.IMAP4.error(f"FETCH {uid} {part} returned no message ({status})")


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _idle(imap: imaplib.IMAP4, stopping: threading.Event, renew_s: float) -> None:
    """Wait in IDLE until the server reports a change, `renew_s` passes or `stopping` is set.

    The socket is watched with select(), never read with a timeout: a timed-out read
    leaves imaplib's buffered reader in an undefined state.
    """
    tag: bytes = imap._new_tag()  # imaplib has no public IDLE before Python 3.14
    imap.send(tag + b" IDLE\r\n")
    line = imap.readline()
    if not line.startswith(b"+"):
        raise imaplib.IMAP4.error(f"IDLE refused: {line!r}")
    deadline = time.monotonic() + renew_s
    while not stopping.is_set() and time.monotonic() < deadline:
        readable, _, _ = select.select([imap.sock], [], [], 0.5)
        if readable:
            line = imap.readline()
            if not line:
                raise imaplib.IMAP4.abort("the server closed the connection during IDLE")
            if b"EXISTS" in line or b"RECENT" in line:
                break
    imap.send(b"DONE\r\n")
    while True:
        line = imap.readline()
        if not line:
            raise imaplib.IMAP4.abort("the server closed the connection ending IDLE")
        if line.startswith(tag):
            return
