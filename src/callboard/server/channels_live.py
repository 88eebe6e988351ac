"""The e-mail and messenger channels in the live server: a reader thread per mailbox,
the outbox's sender, and the adapter through which `callboard.channels` reaches
the live center.

Mail intake starts only once the app has recovered the center (in the
lifespan), so an e-mail's contact is never journaled by a server that is not
the store's writer.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from callboard.channels import (
    Deliverer,
    EmailDesk,
    Mailbox,
    MailboxReader,
    MailIntake,
    Messenger,
    MessengerDesk,
    SmtpServer,
    Transport,
    load_channels,
    mailbox_from_url,
    messenger_from_option,
    smtp_from_url,
    smtp_transport,
    webhook_transport,
)
from callboard.engine import Arrive, Center
from callboard.errors import BadInput
from callboard.server.clock import Clock
from callboard.server.live import LiveCenter
from callboard.store import CaseStore, Conversations, EventLog, MailStore, Outbox

log = logging.getLogger(__name__)
OUTBOX_EVERY_S = 1.0


@dataclass(frozen=True)
class ChannelSetup:
    """What `serve --imap/--smtp/--messenger` asked for."""

    mailboxes: tuple[Mailbox, ...] = ()
    smtp: SmtpServer | None = None
    messengers: tuple[Messenger, ...] = field(default_factory=tuple)


class CenterContacts:
    """`channels.LiveContacts` over the live center and its event log."""

    def __init__(self, live: LiveCenter, engine: Engine, clock: Clock) -> None:
        self.live = live
        self.events = EventLog(engine)
        self.clock = clock

    def arrive(self, contact_id: str, queue: str, caller: str, attributes: dict[str, str]) -> None:
        self.live.execute(Arrive(contact_id, queue, 0, caller, attributes))

    def arrived(self, contact_id: str) -> bool:
        # The journal writes a command's events with it, so the log knows every durable one.
        return self.in_center(contact_id) or self.events.arrived_at(contact_id) is not None

    def in_center(self, contact_id: str) -> bool:
        return bool(self.live.read(lambda c: c.contact(contact_id) is not None))

    def expected_wait(self, contact_id: str) -> float | None:
        """The queue's estimate for a waiting contact; 0 for one already offered to an
        agent; None when the center has no estimate (it left, or no predictor knows)."""

        def read(center: Center) -> float | None:
            contact = center.contact(contact_id)
            if contact is None:
                return None
            return 0.0 if contact.state != "waiting" else center.expected_wait(contact_id)

        found: float | None = self.live.read(read)
        return found

    def now(self) -> datetime:
        return self.clock()


class ChannelsLive:
    def __init__(
        self, setup: ChannelSetup, live: LiveCenter | None, engine: Engine, cases: CaseStore,
        clock: Clock,
    ) -> None:  # fmt: skip
        self.setup = setup
        self.mail = MailStore(engine, cases)
        self.outbox = Outbox(engine)
        self.contacts = None if live is None else CenterContacts(live, engine, clock)
        self.email = EmailDesk({m.name: m for m in setup.mailboxes}, self.mail)
        self.messengers = {m.name: m for m in setup.messengers}
        self.messenger = (
            None if self.contacts is None
            else MessengerDesk(self.messengers, Conversations(engine), self.outbox, self.contacts)
        )  # fmt: skip
        transports: dict[str, Transport] = {
            m.outbox_channel: webhook_transport(m.webhook) for m in setup.messengers
        }
        if setup.smtp is not None:
            transports["smtp"] = smtp_transport(setup.smtp, self.mail)
        self.deliverer = Deliverer(self.outbox, transports, clock)
        self.readers = [
            MailboxReader(box, MailIntake(box, self.mail, self.contacts))
            for box in setup.mailboxes
            if self.contacts is not None
        ]

    def start(self) -> None:
        for reader in self.readers:
            reader.start()

    def stop(self) -> None:
        for reader in self.readers:
            reader.stop()

    async def run_outbox(self) -> None:
        """Deliver what is due, every second; a failed round is logged and tried again."""
        while True:
            try:
                await asyncio.to_thread(self.deliverer.run_due)
            except Exception:
                log.exception("outbox round failed; retrying")
            await asyncio.sleep(OUTBOX_EVERY_S)


def channel_setup(
    imap: tuple[str, ...], smtp: str | None, messengers: tuple[str, ...],
    queues: tuple[str, ...] | None, file: Path | None = None,
) -> ChannelSetup:  # fmt: skip
    """`serve`'s channel options and channels `file` read and checked against the center's
    `queues` (None: no center); an option's SMTP server wins over the file's. BadInput
    names the option and what is wrong, BadConfig the file's key."""
    boxes, smtp_server, bridges = load_channels(file) if file else ((), None, ())
    boxes += tuple(mailbox_from_url(url) for url in imap)
    bridges += tuple(messenger_from_option(text) for text in messengers)
    if smtp is not None:
        smtp_server = smtp_from_url(smtp)
    if (boxes or bridges) and queues is None:
        raise BadInput("--imap and --messenger need --center (the queues their contacts join)")
    for what, queue in [*((f"--imap {b.name}", b.queue) for b in boxes),
                        *((f"--messenger {m.name}", m.queue) for m in bridges)]:  # fmt: skip
        if queues is not None and queue not in queues:
            raise BadInput(f"{what}: no queue {queue!r} in the center; queues: "
                           f"{', '.join(queues)}")  # fmt: skip
    names = [m.name for m in bridges]
    if len(set(names)) != len(names):
        raise BadInput("--messenger: each channel name may be given once")
    if boxes and smtp_server is None:
        log.warning("mailboxes without --smtp: e-mail is taken in, but nothing is answered")
    return ChannelSetup(boxes, smtp_server, bridges)
