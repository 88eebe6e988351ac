"""E-mails the channel tests send: well-formed ones built with the stdlib, and broken ones
written out byte by byte, as a careless or hostile sender would."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

CUSTOMER = "olena@example.net"


def mail(
    subject: str, body: str, *, sender: str = CUSTOMER, message_id: str | None = None,
    in_reply_to: str | None = None, references: str | None = None,
    attachment: bytes | None = None, language: str | None = None,
) -> bytes:  # fmt: skip
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@callboard.test"
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.net")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    message.set_content(body)  # clears Content-* headers, so Content-Language goes after
    if language:
        message["Content-Language"] = language
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="octet-stream",
                               filename="meter-photo.bin")  # fmt: skip
    return bytes(message)


MALFORMED_MIME = (
    b"From: ivan@example.net\r\nTo: support@callboard.test\r\nSubject: broken parts\r\n"
    b"Message-ID: <broken-1@example.net>\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="never-used"\r\n\r\n'
    b"The radiator in flat 4 is cold.\r\n--wrong-boundary\r\nContent-Type: text/plain\r\n\r\n"
    b"no closing boundary\r\n"
)
UNKNOWN_CHARSET = (
    b"From: li@example.net\r\nTo: support@callboard.test\r\nSubject: charset\r\n"
    b"Message-ID: <charset-1@example.net>\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=x-no-such-charset\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n\r\n"
    b"Meter reading 12345 \xe2\x80\x94 please confirm\r\n"
)
EMPTY_BODY = (
    b"From: petro@example.net\r\nTo: support@callboard.test\r\nSubject: (empty)\r\n"
    b"Message-ID: <empty-1@example.net>\r\n\r\n"
)
NO_SENDER = (
    b"To: support@callboard.test\r\nSubject: who am I\r\nMessage-ID: <nosender-1@example.net>\r\n"
    b"\r\nNobody to answer.\r\n"
)
