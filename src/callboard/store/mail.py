"""E-mail into and out of cases.

The Message-ID is the idempotency key: a new message's case, its row and its
attachments commit in one transaction, so a message read again after a crash
(the IMAP server had not been told it was seen) is found here and not taken
twice. A reply on a known case goes `received` (written) -> `taken` (its case
noted and reopened); intake finishes a `received` one when it finds it again.
An agent's reply is written with its outbox row, so it is sent (and retried)
even if the server stops right after answering.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from callboard.store.cases import CaseStore, new_case
from callboard.store.outbox import Outbox
from callboard.store.schema import mail_attachments, mail_messages
from callboard.store.times import aware, utc

RECEIVED, TAKEN, REJECTED, QUEUED, SENT = "received", "taken", "rejected", "queued", "sent"
# The outbox channel of e-mail replies (an outbox row's payload names the mail row).
SMTP = "smtp"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int
    data: bytes | None  # None: over the size limit, not kept (the case says so)


@dataclass(frozen=True)
class Mail:
    """One message, in or out, as the store keeps it."""

    message_id: str
    mailbox: str
    at: datetime
    sender: str
    recipients: str
    subject: str
    body: str
    thread: tuple[str, ...] = ()  # In-Reply-To and References, oldest first
    language: str | None = None
    note: str = ""  # what could not be taken as it was (the case repeats it)
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class MailRow:
    id: int
    message_id: str
    mailbox: str
    direction: str
    status: str
    case_id: int | None
    contact_id: str | None
    sender: str
    recipients: str
    subject: str
    body: str
    thread: tuple[str, ...]
    language: str | None
    note: str
    at: datetime
    agent_id: str | None  # who wrote an outgoing one; None: sent automatically


class MailStore:
    def __init__(self, engine: Engine, cases: CaseStore) -> None:
        self.engine = engine
        self.cases = cases
        self.outbox = Outbox(engine)

    # -- intake ----------------------------------------------------------------

    def find(self, message_id: str) -> MailRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(mail_messages).where(mail_messages.c.message_id == message_id)
            ).mappings().first()  # fmt: skip
        return None if row is None else _row(row)

    def case_of(self, message_ids: Sequence[str]) -> int | None:
        """The case of the newest known message among `message_ids` (a reply's thread)."""
        if not message_ids:
            return None
        query = (
            select(mail_messages.c.case_id)
            .where(mail_messages.c.message_id.in_(list(message_ids)),
                   mail_messages.c.case_id.is_not(None))
            .order_by(mail_messages.c.id.desc())
            .limit(1)
        )  # fmt: skip
        with self.engine.connect() as conn:
            found = conn.execute(query).scalar()
        return None if found is None else int(found)

    def open_case(
        self, mail: Mail, *, queue: str, contact_id: str, notes: str, actor: str,
        acknowledge: Callable[[int], Mail | None] = lambda _: None,
    ) -> MailRow:  # fmt: skip
        """A new message: its case (linking `contact_id`), its row and the acknowledgement
        `acknowledge` writes for the case's number (queued to send), in one transaction."""
        values = new_case(
            mail.at, caller=mail.sender, queue=queue, notes=notes, contact_ids=[contact_id]
        )
        with self.engine.begin() as conn:
            case_id = self.cases.open_in(conn, values, actor=actor)
            mail_id = self._insert(conn, mail, "in", TAKEN, case_id, contact_id)
            answer = acknowledge(case_id)
            if answer is not None:
                self._queue(conn, answer, case_id, contact_id, None)
        return self._get(mail_id)

    def add_to_case(self, mail: Mail, case_id: int, contact_id: str | None) -> MailRow:
        """A reply on a known case; the case's note and reopening follow (`finish`)."""
        with self.engine.begin() as conn:
            mail_id = self._insert(conn, mail, "in", RECEIVED, case_id, contact_id)
        return self._get(mail_id)

    def reject(self, mail: Mail) -> MailRow:
        """A message that cannot be taken in: kept, with why, so it is never read again."""
        with self.engine.begin() as conn:
            mail_id = self._insert(conn, mail, "in", REJECTED, None, None)
        return self._get(mail_id)

    def taken(self, mail_id: int, contact_id: str | None = None) -> None:
        values: dict[str, Any] = {"status": TAKEN}
        if contact_id is not None:
            values["contact_id"] = contact_id
        with self.engine.begin() as conn:
            conn.execute(update(mail_messages).where(mail_messages.c.id == mail_id).values(values))

    def unfinished(self, mailbox: str) -> list[MailRow]:
        """Messages written with their case whose routing a crash may have cut short."""
        query = select(mail_messages).where(
            mail_messages.c.mailbox == mailbox, mail_messages.c.status == RECEIVED
        )
        with self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(query.order_by(mail_messages.c.id)).mappings()]

    # -- replies ---------------------------------------------------------------

    def send(
        self, mail: Mail, case_id: int, *, contact_id: str | None, agent_id: str | None
    ) -> MailRow:
        """Write an outgoing message and its outbox row together; the outbox sends it."""
        with self.engine.begin() as conn:
            mail_id = self._queue(conn, mail, case_id, contact_id, agent_id)
        return self._get(mail_id)

    def _queue(self, conn: Connection, mail: Mail, case_id: int, contact_id: str | None,
               agent_id: str | None) -> int:  # fmt: skip
        mail_id = self._insert(conn, mail, "out", QUEUED, case_id, contact_id, agent_id)
        self.outbox.add_in(conn, SMTP, mail.message_id, {"mail_id": mail_id}, mail.at)
        return mail_id

    def sent(self, mail_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(mail_messages).where(mail_messages.c.id == mail_id).values(status=SENT)
            )

    # -- reading ---------------------------------------------------------------

    def get(self, mail_id: int) -> MailRow:
        return self._get(mail_id)

    def thread(self, case_id: int, after_id: int = 0) -> list[dict[str, Any]]:
        """The case's messages, in and out, oldest first, each with its attachments' facts."""
        query = (
            select(mail_messages)
            .where(mail_messages.c.case_id == case_id, mail_messages.c.id > after_id)
            .order_by(mail_messages.c.id)
        )
        files = (
            select(mail_attachments.c.id, mail_attachments.c.mail_id, mail_attachments.c.filename,
                   mail_attachments.c.content_type, mail_attachments.c.size,
                   mail_attachments.c.data.is_not(None).label("kept"))
            .join(mail_messages, mail_messages.c.id == mail_attachments.c.mail_id)
            .where(mail_messages.c.case_id == case_id)
        )  # fmt: skip
        with self.engine.connect() as conn:
            rows = [_row(r) for r in conn.execute(query).mappings()]
            attached: dict[int, list[dict[str, Any]]] = {}
            for f in conn.execute(files).mappings():
                attached.setdefault(int(f["mail_id"]), []).append(
                    {"id": f["id"], "filename": f["filename"], "content_type": f["content_type"],
                     "size": f["size"], "kept": bool(f["kept"])}
                )  # fmt: skip
        return [{**_shown(row), "attachments": attached.get(row.id, [])} for row in rows]

    def case_of_contact(self, contact_id: str) -> int | None:
        query = select(mail_messages.c.case_id).where(mail_messages.c.contact_id == contact_id)
        with self.engine.connect() as conn:
            found = conn.execute(query.limit(1)).scalar()
        return None if found is None else int(found)

    def attachment(self, attachment_id: int) -> tuple[dict[str, Any], bytes | None] | None:
        """An attachment's facts (with its message's case) and its bytes if kept."""
        query = select(mail_attachments, mail_messages.c.case_id).join(
            mail_messages, mail_messages.c.id == mail_attachments.c.mail_id
        ).where(mail_attachments.c.id == attachment_id)  # fmt: skip
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        keys = ("id", "mail_id", "case_id", "filename", "content_type", "size")
        facts = {k: row[k] for k in keys}
        return facts, row["data"]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(mail_messages)).scalar_one())

    def _get(self, mail_id: int) -> MailRow:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(mail_messages).where(mail_messages.c.id == mail_id)
            ).mappings().one()  # fmt: skip
        return _row(row)

    def _insert(
        self, conn: Connection, mail: Mail, direction: str, status: str, case_id: int | None,
        contact_id: str | None, agent_id: str | None = None,
    ) -> int:  # fmt: skip
        values = {
            "message_id": mail.message_id, "mailbox": mail.mailbox, "direction": direction,
            "status": status, "case_id": case_id, "contact_id": contact_id, "at": utc(mail.at),
            "sender": mail.sender[:320], "recipients": mail.recipients, "subject": mail.subject,
            "body": mail.body, "thread": list(mail.thread), "language": mail.language,
            "note": mail.note, "agent_id": agent_id,
        }  # fmt: skip
        mail_id = int(conn.execute(insert(mail_messages).returning(mail_messages.c.id), values)
                      .scalar_one())  # fmt: skip
        for part in mail.attachments:
            conn.execute(insert(mail_attachments), {
                "mail_id": mail_id, "filename": part.filename[:255],
                "content_type": part.content_type[:128], "size": part.size, "data": part.data,
            })  # fmt: skip
        return mail_id


def _row(row: Any) -> MailRow:
    return MailRow(
        int(row["id"]), row["message_id"], row["mailbox"], row["direction"], row["status"],
        None if row["case_id"] is None else int(row["case_id"]), row["contact_id"], row["sender"],
        row["recipients"], row["subject"], row["body"], tuple(row["thread"]), row["language"],
        row["note"], aware(row["at"]), row["agent_id"],
    )  # fmt: skip


def _shown(row: MailRow) -> dict[str, Any]:
    return {
        "id": row.id, "message_id": row.message_id, "direction": row.direction,
        "status": row.status, "at": row.at.isoformat(), "from": row.sender,
        "to": row.recipients, "subject": row.subject, "body": row.body, "note": row.note,
        "language": row.language, "agent_id": row.agent_id,
    }  # fmt: skip
