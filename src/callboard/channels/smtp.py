"""Sending a case's e-mail: the SMTP server `serve --smtp URL` names, and the message
built from the row the store keeps, threaded under the customer's.

    smtp://[USER:PASSWORD@]HOST:PORT   (STARTTLS when the server offers it)
    smtps://[USER:PASSWORD@]HOST:PORT  (TLS from the start)

The Message-ID is the row's, the same on every try, so a retry after an answer
that was lost on the way is recognisable to the customer's mail program.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import unquote, urlsplit

from callboard.errors import BadInput
from callboard.store import MailRow


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    user: str | None = None
    password: str | None = None
    tls: bool = False
    timeout_s: float = 30.0

    def send(self, message: EmailMessage) -> None:
        """Hand the message over; raises OSError or SMTPException when it is not taken."""
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.tls:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout_s, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
        with smtp:
            if not self.tls:
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=context)
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)


def smtp_from_url(url: str, what: str = "--smtp") -> SmtpServer:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise BadInput(f"{what} {url.split('@')[-1]!r}: expected smtp://[USER:PASSWORD@]HOST:PORT "
                       "(or smtps://)")  # fmt: skip
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise BadInput(f"{what}: the port must be a number") from None
    return SmtpServer(
        parts.hostname, port, unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None, parts.scheme == "smtps",
    )  # fmt: skip


def message_of(row: MailRow, *, automatic: bool) -> EmailMessage:
    """The e-mail a stored outgoing row is; `automatic` marks an acknowledgement as such
    (RFC 3834), so the customer's own auto-responder does not answer it."""
    message = EmailMessage()
    message["From"] = row.sender
    message["To"] = row.recipients
    message["Subject"] = row.subject
    message["Message-ID"] = row.message_id
    message["Date"] = format_datetime(row.at)
    if row.thread:
        message["In-Reply-To"] = row.thread[-1]
        message["References"] = " ".join(row.thread)
    if row.language:
        message["Content-Language"] = row.language
    if automatic:
        message["Auto-Submitted"] = "auto-replied"
    message.set_content(row.body)
    return message
