"""The agent's side of an e-mail contact: its case's thread, and replies that go out
by SMTP threaded under the customer's last message, with the case number in the
subject. The first reply stops the case's first-response clock.

Messages are shaped like chat messages (`id`, `sender` caller or agent, `body`),
with the e-mail's own facts beside them, so the desk's one chat panel shows both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from callboard.channels.acknowledgement import case_subject
from callboard.channels.intake import outgoing
from callboard.channels.mailbox import Mailbox
from callboard.errors import BadInput
from callboard.store import MailStore


class NotAnEmail(BadInput):
    """The contact did not come by e-mail, or its mailbox is not served here."""


class EmailDesk:
    def __init__(self, mailboxes: dict[str, Mailbox], store: MailStore) -> None:
        self.mailboxes = mailboxes
        self.store = store

    def case_of(self, contact_id: str) -> int:
        case_id = self.store.case_of_contact(contact_id)
        if case_id is None:
            raise NotAnEmail(f"contact {contact_id} did not come by e-mail")
        return case_id

    def thread(self, case_id: int, after: int = 0) -> list[dict[str, Any]]:
        return [
            {**m, "sender": "caller" if m["direction"] == "in" else "agent"}
            for m in self.store.thread(case_id, after)
        ]

    def reply(self, case_id: int, body: str, *, contact_id: str | None, agent_id: str,
              at: datetime) -> dict[str, Any]:  # fmt: skip
        """Queue the reply (sent by the outbox) and note the case's first response."""
        inbound = [m for m in self.store.thread(case_id) if m["direction"] == "in"]
        if not inbound:
            raise NotAnEmail(f"case {case_id} has no e-mail to answer")
        last = inbound[-1]
        parent = self.store.get(last["id"])
        mailbox = self.mailboxes.get(parent.mailbox)
        if mailbox is None:
            raise NotAnEmail(f"the mailbox case {case_id} came from is not served here")
        subject = last["subject"] if last["subject"].lower().startswith("re:") else (
            f"Re: {last['subject']}")  # fmt: skip
        mail = outgoing(mailbox, parent.sender, case_subject(case_id, subject), body,
                        [*parent.thread, parent.message_id], at, parent.language)  # fmt: skip
        row = self.store.send(mail, case_id, contact_id=contact_id, agent_id=agent_id)
        self.store.cases.respond(case_id, at=at, actor=agent_id, message=body)
        return self.thread(case_id, row.id - 1)[0]
