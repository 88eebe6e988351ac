"""One e-mail taken in: a new case with its contact and acknowledgement, or a reply on
its case. Nothing here talks IMAP (imap_reader.py does); `take` is what makes a
message safe to mark seen.

Idempotent by Message-ID, in this order, so that a crash at any point and the
same message read again neither loses nor duplicates anything:

1. a message already in the store is done (only marked seen again);
2. its contact joins the queue, with an id made from the Message-ID, and only
   if that id never arrived: the center journals it before `arrive` returns;
3. the case, the message, its attachments and the acknowledgement (queued in
   the outbox) commit in one transaction.

A reply is written first with status `received` and finished (its case noted
and reopened, its contact linked) after, so a crash between is finished when
the message is read again or when intake starts (`recover`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from callboard.cases import evaluate_sla
from callboard.channels.acknowledgement import (
    acknowledgement,
    case_subject,
    expected_by,
    spoken,
)
from callboard.channels.mailbox import Mailbox
from callboard.channels.mime import Parsed, megabytes, parse
from callboard.domain import CaseStatus, Channel
from callboard.errors import BadInput
from callboard.store import Mail, MailRow, MailStore

log = logging.getLogger(__name__)
CASE_NUMBER = re.compile(r"\[Case #(\d{1,12})\]", re.IGNORECASE)
REOPENED_FROM = (CaseStatus.NEW, CaseStatus.PENDING, CaseStatus.RESOLVED)
MAX_NOTE_TEXT = 4_000


class LiveContacts(Protocol):
    """What intake needs of the live center (the server's adapter provides it)."""

    def arrive(self, contact_id: str, queue: str, caller: str, attributes: dict[str, str]) -> None:
        """The contact joins `queue`; journaled (durable) when this returns."""

    def arrived(self, contact_id: str) -> bool:
        """Whether the contact ever arrived (it may have left since)."""

    def in_center(self, contact_id: str) -> bool: ...

    def expected_wait(self, contact_id: str) -> float | None: ...

    def now(self) -> datetime: ...


@dataclass(frozen=True)
class Taken:
    """What became of one message (for the log and the tests)."""

    message_id: str
    outcome: str  # new_case | reply | duplicate | rejected
    case_id: int | None
    note: str = ""


def contact_id_for(message_id: str) -> str:
    """The contact a message becomes; the same for the same message, across crashes."""
    return "mail-" + hashlib.sha256(message_id.encode()).hexdigest()[:32]


class MailIntake:
    def __init__(self, mailbox: Mailbox, store: MailStore, center: LiveContacts) -> None:
        self.mailbox = mailbox
        self.store = store
        self.center = center

    def take(self, raw: bytes) -> Taken:
        """Take one message in; when this returns, it is durable and may be marked seen."""
        parsed = parse(raw, mailbox=self.mailbox.name, at=self.center.now(),
                       max_attachment=self.mailbox.max_attachment)  # fmt: skip
        return self._take(parsed)

    def refuse_oversized(self, header: bytes, size: int) -> Taken:
        """A message over `max_message`, known by its header only: kept as rejected."""
        parsed = parse(header, mailbox=self.mailbox.name, at=self.center.now(),
                       max_attachment=0)  # fmt: skip
        limit = megabytes(self.mailbox.max_message)
        reason = f"the message is {megabytes(size)}, over the {limit} this mailbox takes"
        return self._take(replace(parsed, rejection=reason))

    def recover(self) -> int:
        """Finish replies a crash cut short; how many."""
        unfinished = self.store.unfinished(self.mailbox.name)
        for row in unfinished:
            self._finish_reply(row)
        return len(unfinished)

    def _take(self, parsed: Parsed) -> Taken:
        mail = parsed.mail
        known = self.store.find(mail.message_id)
        if known is not None:
            if known.status == "received":
                self._finish_reply(known)
            return Taken(mail.message_id, "duplicate", known.case_id)
        if parsed.rejection is not None:
            note = f"Rejected: {parsed.rejection}. {mail.note}".strip()
            self.store.reject(replace(mail, note=note))
            log.warning("mailbox %s: rejected %s: %s", self.mailbox.name, mail.message_id, note)
            return Taken(mail.message_id, "rejected", None, note)
        case_id = self._case_of(mail)
        if case_id is not None:
            return self._reply(mail, case_id)
        return self._new_case(parsed)

    def _case_of(self, mail: Mail) -> int | None:
        """The open (not closed) case a reply belongs to: by the thread's Message-IDs, else
        by the case number in the subject when the sender is the case's customer."""
        case_id = self.store.case_of(mail.thread)
        if case_id is None:
            tagged = CASE_NUMBER.search(mail.subject)
            if tagged is None:
                return None
            case_id = int(tagged.group(1))
            try:
                case = self.store.cases.get(case_id, now=mail.at)
            except BadInput:
                return None
            if (case["caller"] or "").lower() != mail.sender.lower():
                return None  # a guessed or forwarded number does not open someone's case
        case = self.store.cases.get(case_id, now=mail.at)
        return None if case["status"] == CaseStatus.CLOSED else case_id

    def _arrive(self, mail: Mail) -> str:
        contact_id = contact_id_for(mail.message_id)
        if not self.center.arrived(contact_id):
            attributes = {"channel": Channel.EMAIL.value, "subject": mail.subject[:200],
                          "source": "email"}  # fmt: skip
            if mail.language:
                attributes["language"] = mail.language
            self.center.arrive(contact_id, self.mailbox.queue, mail.sender, attributes)
        return contact_id

    def _new_case(self, parsed: Parsed) -> Taken:
        mail = parsed.mail
        contact_id = self._arrive(mail)
        notes = _case_notes(mail)
        if not self.center.in_center(contact_id):
            # Blocked at once: the queue was closed or full. The case is what is left.
            notes += (f"\n\nThe {self.mailbox.queue} queue did not take the contact (closed or "
                      "full); the case waits in the case list for an agent.")  # fmt: skip

        def ack(case_id: int) -> Mail | None:
            return None if parsed.automatic else self._acknowledgement(
                mail, parsed.reply_to, case_id, contact_id
            )  # fmt: skip

        row = self.store.open_case(
            mail, queue=self.mailbox.queue, contact_id=contact_id, notes=notes,
            actor=f"mail:{self.mailbox.user}", acknowledge=ack,
        )  # fmt: skip
        log.info("mailbox %s: %s opened case %s", self.mailbox.name, mail.message_id, row.case_id)
        return Taken(mail.message_id, "new_case", row.case_id, mail.note)

    def _reply(self, mail: Mail, case_id: int) -> Taken:
        case = self.store.cases.get(case_id, now=mail.at)
        held = [c for c in case["contact_ids"] if self.center.in_center(c)]
        contact_id = held[-1] if held else self._arrive(mail)
        row = self.store.add_to_case(mail, case_id, contact_id)
        self._finish_reply(row)
        log.info("mailbox %s: %s added to case %s", self.mailbox.name, mail.message_id, case_id)
        return Taken(mail.message_id, "reply", case_id, mail.note)

    def _finish_reply(self, row: MailRow) -> None:
        """Link the reply's contact, note it on the case and reopen a waiting one."""
        case_id = row.case_id
        if case_id is None:
            return
        cases, at, actor = self.store.cases, self.center.now(), f"mail:{self.mailbox.user}"
        if row.contact_id is not None:
            if not self.center.arrived(row.contact_id):
                self._arrive(_as_mail(row))
            cases.link_contact(case_id, row.contact_id, at=at, actor=actor)
        changes: dict[str, object] = {"notes": _reply_note(row)}
        if CaseStatus(cases.get(case_id, now=at)["status"]) in REOPENED_FROM:
            changes["status"] = CaseStatus.OPEN.value
        cases.update(case_id, at=at, actor=actor, changes=changes)
        self.store.taken(row.id)

    def _acknowledgement(self, mail: Mail, to: str, case_id: int, contact_id: str) -> Mail:
        policy = self.store.cases.policies.for_case(None, self.mailbox.queue)
        due, target = None, None
        if policy is not None:
            state = evaluate_sla(policy, opened_at=mail.at, now=mail.at, first_response_at=None,
                                 resolved_at=None, pending_spans=[])  # fmt: skip
            due = state.first_response_due
            found = policy.target("first_response")
            target = None if found is None else spoken(found.text, mail.language)
        expected = expected_by(mail.at, self.center.expected_wait(contact_id), due)
        shown = None if expected is None else expected.astimezone(self.store.cases.zone)
        body = acknowledgement(case_id, mail.language, expected=shown, target=target)
        return outgoing(self.mailbox, to, case_subject(case_id, mail.subject), body,
                        [*mail.thread, mail.message_id], mail.at, mail.language)  # fmt: skip


def outgoing(
    mailbox: Mailbox, to: str, subject: str, body: str, thread: list[str], at: datetime,
    language: str | None,
) -> Mail:  # fmt: skip
    """A message from the mailbox, threaded under `thread` (its last id is the parent)."""
    domain = mailbox.address.rpartition("@")[2] or "callboard.invalid"
    return Mail(
        f"<{uuid.uuid4().hex}@{domain}>", mailbox.name, at, mailbox.address, to, subject, body,
        tuple(thread[-20:]), language,
    )  # fmt: skip


def _case_notes(mail: Mail) -> str:
    """What the case says about the e-mail it came from: subject, text and any problems."""
    text = mail.body if len(mail.body) <= MAX_NOTE_TEXT else mail.body[:MAX_NOTE_TEXT] + " …"
    parts = [f"E-mail from {mail.sender}: {mail.subject or '(no subject)'}", text.strip()]
    if mail.note:
        parts.append(f"Intake notes: {mail.note}")
    return "\n\n".join(p for p in parts if p)


def _reply_note(row: MailRow) -> str:
    head = f"E-mail reply from {row.sender}: {row.subject or '(no subject)'}"
    return f"{head}\nIntake notes: {row.note}" if row.note else head


def _as_mail(row: MailRow) -> Mail:
    return Mail(row.message_id, row.mailbox, row.at, row.sender, row.recipients, row.subject,
                row.body, row.thread, row.language, row.note)  # fmt: skip
