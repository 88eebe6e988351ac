"""kill -9 during intake loses nothing and duplicates nothing: a real `callboard serve`
reads a real Dovecot mailbox, is killed mid-way, and a second one finishes the job."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select

from callboard.channels import contact_id_for
from callboard.store import open_store
from callboard.store.schema import cases, events, mail_messages, outbox
from tests.channels.messages import mail
from tests.fixtures.dovecot import Dovecot
from tests.fixtures.serve_process import serving

CENTER = Path(__file__).with_name("mail_desk.yaml")
NEW, REPLIES = 100, 50


def seen(dovecot: Dovecot) -> int:
    return sum(dovecot.flags().values())


def wait_for(check, what: str, seconds: float = 180) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened within {seconds} s: {what}")
        time.sleep(0.02)


def test_kill_9_during_intake_loses_and_duplicates_nothing(
    store_url: str, tmp_path: Path, dovecot: Dovecot
) -> None:
    # Each of the first REPLIES messages gets a reply in its thread, delivered after all
    # the new ones, so the kill falls among new cases or among replies.
    firsts = [f"<m{i}@example.net>" for i in range(NEW)]
    dovecot.deliver(*(mail(f"question {i}", f"text {i}", sender=f"c{i}@example.net",
                           message_id=firsts[i]) for i in range(NEW)))  # fmt: skip
    dovecot.deliver(*(mail(f"Re: question {i}", f"more {i}", sender=f"c{i}@example.net",
                           message_id=f"<r{i}@example.net>", in_reply_to=firsts[i],
                           references=firsts[i]) for i in range(REPLIES)))  # fmt: skip
    total = NEW + REPLIES
    option = f"{dovecot.url}?queue=email&poll=1s"
    with serving(store_url, tmp_path, "--imap", option, center=CENTER) as first:
        wait_for(lambda: seen(dovecot) >= 20, "intake under way")
        first.kill()
    at_kill = seen(dovecot)
    assert at_kill < total, "the server finished before it was killed; the test proved nothing"
    with serving(store_url, tmp_path, "--imap", option, center=CENTER):
        wait_for(lambda: seen(dovecot) == total, "every message taken in after the restart")

    engine = open_store(store_url)
    with engine.connect() as conn:
        inbound = conn.execute(
            select(mail_messages.c.message_id, mail_messages.c.case_id, mail_messages.c.status)
            .where(mail_messages.c.direction == "in")
        ).all()  # fmt: skip
        case_count = conn.execute(select(func.count()).select_from(cases)).scalar_one()
        arrivals = dict(conn.execute(
            select(events.c.contact_id, func.count()).where(events.c.type == "contact.arrived")
            .group_by(events.c.contact_id)
        ).all())  # fmt: skip
        acks = conn.execute(select(func.count()).select_from(outbox)).scalar_one()
    engine.dispose()
    case_of = {message_id: case_id for message_id, case_id, _ in inbound}
    assert len(inbound) == len(case_of) == total  # every message once
    assert {status for *_, status in inbound} == {"taken"}  # interrupted replies finished
    assert case_count == NEW and acks == NEW  # one case and one acknowledgement each
    assert all(case_of[f"<r{i}@example.net>"] == case_of[firsts[i]] for i in range(REPLIES))
    # Each new message's contact joined the queue exactly once, across the crash.
    assert all(arrivals.get(contact_id_for(m)) == 1 for m in firsts)
