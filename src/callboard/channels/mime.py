"""One e-mail, as raw bytes from the mailbox, read into what a case keeps.

Python's parser is lenient and records what it could not make sense of as
defects; this module turns those, an unknown charset, an empty body and an
attachment over the size limit into plain notes on the case, so an agent knows
what the customer sent even when it was not all readable. Only a message with
no sender address to answer is refused (`Parsed.rejection`), and it is still
kept, so it is never read again.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr

from callboard.channels.language import declared, guess
from callboard.store import Attachment, Mail

MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
# A case keeps this much of a message's text; the rest is cut, with a note.
MAX_TEXT = 200_000
# Senders that never get an automatic answer (RFC 3834, and bounce addresses).
MACHINES = re.compile(r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@", re.IGNORECASE)


@dataclass(frozen=True)
class Parsed:
    mail: Mail
    reply_to: str  # where answers go: Reply-To if given, else From
    automatic: bool  # an auto-reply, a bounce or a list: no acknowledgement goes back
    rejection: str | None = None  # why it cannot become a case


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def parse(raw: bytes, *, mailbox: str, at: datetime, max_attachment: int) -> Parsed:
    """Read `raw` into a Mail; never raises for anything a sender can put in a message."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    notes: list[str] = []
    message_id = _message_id(message, raw, notes)
    sender = _address(_header(message, "From", notes))
    reply_to = _address(_header(message, "Reply-To", notes)) or sender
    subject = " ".join(_header(message, "Subject", notes).split())[:998]
    thread = _thread(message, notes)
    body_part = _body_part(message)
    body = _text(body_part, notes) if body_part is not None else _unparsed(message)
    if not body.strip():
        notes.append("The message has no text.")
    if len(body) > MAX_TEXT:
        notes.append(f"The text was {len(body):,} characters; the first {MAX_TEXT:,} are kept.")
        body = body[:MAX_TEXT]
    attachments = _attachments(message, body_part, max_attachment, notes)
    defects = sorted({type(d).__name__ for part in message.walk() for d in part.defects})
    if defects:
        notes.insert(0, "The message's MIME structure is damaged "
                        f"({', '.join(defects)}); what could be read is kept.")  # fmt: skip
    language = declared(_header(message, "Content-Language", notes)) or guess(f"{subject}\n{body}")
    recipients = ", ".join(a for _, a in getaddresses([_header(message, "To", notes)]) if a)
    mail = Mail(
        message_id, mailbox, at, sender or _header(message, "From", notes)[:320], recipients,
        subject, body, thread, language, "\n".join(dict.fromkeys(notes)), tuple(attachments),
    )  # fmt: skip
    rejection = None if sender else "no sender address to answer (From: header missing or bad)"
    return Parsed(mail, reply_to, _automatic(message, sender, notes), rejection)


def _header(message: Message, name: str, notes: list[str]) -> str:
    """A header's decoded text; one whose encoding cannot be read is read as it is."""
    try:
        value = message.get(name)
        return "" if value is None else str(value)
    except (LookupError, ValueError, IndexError, TypeError) as exc:
        notes.append(f"The {name} header could not be decoded ({exc}); kept as sent.")
        raw = message.get_all(name, failobj=[])
        return str(raw[0]).encode("ascii", "replace").decode() if raw else ""


def _message_id(message: Message, raw: bytes, notes: list[str]) -> str:
    found = MESSAGE_ID.search(_header(message, "Message-ID", notes))
    if found:
        return found.group(0)
    # The idempotency key must not change when the same message is read again.
    notes.append("The message has no Message-ID; one was made from its content.")
    return f"<{hashlib.sha256(raw).hexdigest()}@callboard.invalid>"


def _address(value: str) -> str:
    address = parseaddr(value)[1]
    return address if "@" in address and len(address) <= 320 else ""


def _thread(message: Message, notes: list[str]) -> tuple[str, ...]:
    ids = MESSAGE_ID.findall(_header(message, "References", notes))
    ids += MESSAGE_ID.findall(_header(message, "In-Reply-To", notes))
    return tuple(dict.fromkeys(ids))[-50:]


def _body_part(message: Message) -> Message | None:
    if isinstance(message, EmailMessage):
        try:
            found = message.get_body(preferencelist=("plain", "html"))
        except (KeyError, LookupError, ValueError):
            found = None
        if found is not None:
            return found
    for part in message.walk():
        if part.get_content_maintype() == "text" and not part.get_filename():
            return part
    return None


def _unparsed(message: Message) -> str:
    """The text of a multipart message whose parts could not be found (a boundary that
    never comes): the parser leaves it as one string, which is better than nothing."""
    payload = message.get_payload()
    return payload.replace("\x00", "") if isinstance(payload, str) else ""


def _text(part: Message, notes: list[str]) -> str:
    """The part's text; an unknown or wrong charset is read as UTF-8 with replacements."""
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset() or "us-ascii"
    try:
        text = data.decode(charset)
    except LookupError:
        notes.append(f"The text is in an unknown charset ({charset}); it was read as UTF-8 "
                     "and some characters may be wrong.")  # fmt: skip
        text = data.decode("utf-8", "replace")
    except UnicodeDecodeError:
        notes.append(f"The text is not valid {charset}; it was read with replacements.")
        text = data.decode(charset, "replace")
    if part.get_content_subtype() == "html":
        text = html.unescape(TAGS.sub(" ", text))
        text = "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    return text.replace("\x00", "")


def _attachments(
    message: Message, body: Message | None, limit: int, notes: list[str]
) -> list[Attachment]:
    kept: list[Attachment] = []
    for part in message.walk():
        if part is body or part.is_multipart():
            continue
        if part.get_content_disposition() not in ("attachment", "inline") and (
            part.get_content_maintype() == "text" or not part.get_filename()
        ):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        name = _filename(part, len(kept) + 1)
        if len(data) > limit:
            notes.append(f"The attachment {name} ({megabytes(len(data))}) is over the "
                         f"{megabytes(limit)} kept per attachment and was not kept; ask the "
                         "customer to send it another way if it is needed.")  # fmt: skip
            kept.append(Attachment(name, part.get_content_type(), len(data), None))
        else:
            kept.append(Attachment(name, part.get_content_type(), len(data), data))
    return kept


def _filename(part: Message, number: int) -> str:
    try:
        name = part.get_filename()
    except (LookupError, ValueError):
        name = None
    return (name or f"attachment-{number}").replace("/", "_").replace("\\", "_")[:255]


def _automatic(message: Message, sender: str, notes: list[str]) -> bool:
    auto = _header(message, "Auto-Submitted", notes).strip().lower()
    precedence = _header(message, "Precedence", notes).strip().lower()
    listed = bool(_header(message, "List-Id", notes))
    return (auto not in ("", "no") or precedence in ("bulk", "junk", "list") or listed
            or bool(MACHINES.match(sender)))  # fmt: skip
