"""A mailbox to read, as `serve --imap URL` or a channels file names it.

    imap://USER:PASSWORD@HOST:PORT/FOLDER?queue=support&address=support@example.org
    imaps://...   (TLS from the start; imap:// upgrades with STARTTLS when offered)

Query keys: `queue` (required: the queue its contacts join), `address` (the From of
answers; default the user if it is an address), `poll` (a duration; how often to
look when the server has no IDLE, default 60s), `max_attachment` and
`max_message` (sizes such as 10MB).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from callboard.domain import seconds
from callboard.errors import BadInput

SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$", re.IGNORECASE)
SIZES = {"B": 1, "KB": 1_000, "MB": 1_000_000, "GB": 1_000_000_000}
QUERY_KEYS = ("queue", "address", "poll", "max_attachment", "max_message")


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    folder: str
    queue: str
    address: str
    tls: bool = False
    poll_s: float = 60.0
    max_attachment: int = 10_000_000  # bytes kept per attachment
    max_message: int = 50_000_000  # bytes; a larger message is refused without reading it

    @property
    def name(self) -> str:
        """How the store and the log name the mailbox (never with its password)."""
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"


def parse_size(text: str, what: str) -> int:
    found = SIZE.match(text.strip())
    if not found:
        raise BadInput(f"{what} {text!r}: expected a size such as 10MB, 500KB or 2000000")
    return int(float(found.group(1)) * SIZES[(found.group(2) or "B").upper()])


def mailbox_from_url(
    url: str, what: str = "--imap", settings: Mapping[str, str] | None = None,
    password: str | None = None,
) -> Mailbox:  # fmt: skip
    """The mailbox a URL names, with `settings` (QUERY_KEYS, from a channels file) over its
    query and `password` over its own; BadInput saying which part is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps"):
        raise BadInput(f"{what} {_safe(url)}: expected imap://USER:PASSWORD@HOST:PORT/FOLDER"
                       "?queue=NAME (or imaps://)")  # fmt: skip
    if not parts.hostname or not parts.username:
        raise BadInput(f"{what} {_safe(url)}: the URL needs a user and a host")
    query = {**{k: v[-1] for k, v in parse_qs(parts.query).items()}, **(settings or {})}
    unknown = sorted(set(query) - set(QUERY_KEYS))
    if unknown:
        raise BadInput(f"{what} {_safe(url)}: unknown key {unknown[0]!r}; "
                       f"known: {', '.join(QUERY_KEYS)}")  # fmt: skip
    if not query.get("queue"):
        raise BadInput(f"{what} {_safe(url)}: add ?queue=NAME, the queue its e-mails join")
    user = unquote(parts.username)
    address = query.get("address") or (user if "@" in user else f"{user}@{parts.hostname}")
    poll = seconds(query.get("poll", "60s"), what=f"{what} {_safe(url)}: poll")
    return Mailbox(
        host=parts.hostname, port=parts.port or (993 if parts.scheme == "imaps" else 143),
        user=user, password=password or unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX", queue=query["queue"],
        address=address, tls=parts.scheme == "imaps", poll_s=max(poll, 1.0),
        max_attachment=parse_size(query.get("max_attachment", "10MB"), f"{what} max_attachment"),
        max_message=parse_size(query.get("max_message", "50MB"), f"{what} max_message"),
    )  # fmt: skip


def _safe(url: str) -> str:
    """The URL without its password, for messages that end up in logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)
