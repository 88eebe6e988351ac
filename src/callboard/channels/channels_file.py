"""The channels a server serves, from a TOML or YAML file (`serve --channels FILE`), as
an alternative to repeating --imap, --smtp and --messenger; docs/channels.md has
every key.

    smtp = "smtp://support%40example.org@mail.example.org:587"
    smtp_password = "..."           # optional: kept out of the URL

    [[mailbox]]
    url = "imaps://support%40example.org@mail.example.org/INBOX"
    password = "..."
    queue = "email"
    address = "support@example.org"
    poll = "60s"
    max_attachment = "10MB"
    max_message = "50MB"

    [[messenger]]
    name = "telegram"
    queue = "messages"
    webhook = "https://bridge.example.org/callboard/replies"
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pydantic import Field

from callboard.channels.mailbox import Mailbox, mailbox_from_url
from callboard.channels.messenger import Messenger, messenger_from_option
from callboard.channels.smtp import SmtpServer, smtp_from_url
from callboard.config import Name, Section, Text, load
from callboard.errors import BadConfig, BadInput


class MailboxTable(Section):
    url: Text
    password: Text | None = None
    queue: Name
    address: Text | None = None
    poll: Text | None = None
    max_attachment: Text | None = None
    max_message: Text | None = None


class MessengerTable(Section):
    name: Name
    queue: Name
    webhook: Text


class ChannelsFile(Section):
    smtp: Text | None = None
    smtp_password: Text | None = None
    mailbox: list[MailboxTable] = Field(default_factory=list)
    messenger: list[MessengerTable] = Field(default_factory=list)


def load_channels(
    path: Path,
) -> tuple[tuple[Mailbox, ...], SmtpServer | None, tuple[Messenger, ...]]:
    """The mailboxes, SMTP server and messengers in `path`; BadConfig names the key."""
    found = load(path, ChannelsFile, "channels file")
    boxes = []
    for number, table in enumerate(found.mailbox):
        settings = {key: value for key in ("queue", "address", "poll", "max_attachment",
                                           "max_message")
                    if (value := getattr(table, key)) is not None}  # fmt: skip
        try:
            boxes.append(mailbox_from_url(table.url, "url", settings, table.password))
        except BadInput as exc:
            raise BadConfig(str(path), f"mailbox[{number}]", str(exc)) from None
    bridges = []
    for number, bridge in enumerate(found.messenger):
        try:
            bridges.append(messenger_from_option(f"{bridge.name}:{bridge.queue}:{bridge.webhook}"))
        except BadInput as exc:
            raise BadConfig(str(path), f"messenger[{number}]", str(exc)) from None
    smtp = None
    if found.smtp is not None:
        try:
            smtp = smtp_from_url(found.smtp, "smtp")
        except BadInput as exc:
            raise BadConfig(str(path), "smtp", str(exc)) from None
        if found.smtp_password is not None:
            smtp = replace(smtp, password=found.smtp_password)
    return tuple(boxes), smtp, tuple(bridges)
