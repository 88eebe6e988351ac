"""E-mail end to end on the live server: real Dovecot in, real SMTP out, real HTTP between."""

from __future__ import annotations

import time
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import Any

from tests.channels.conftest import Desk, closed_desk_center, desk_site
from tests.channels.messages import (
    EMPTY_BODY,
    MALFORMED_MIME,
    NO_SENDER,
    UNKNOWN_CHARSET,
    mail,
)
from tests.fixtures.dovecot import Dovecot
from tests.server.hotline import Hotline


def eventually(check: Callable[[], bool], what: str, seconds: float = 300) -> None:
    """Poll until the intake thread has done `check`; bounded, never a timing assert (a
    30 MB message takes a while to fetch and parse on a busy machine)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened within {seconds} s: {what}")
        time.sleep(0.05)


def cases(desk: Desk) -> list[dict[str, Any]]:
    found = desk.site.as_("sue").get("/api/v1/cases")
    assert found.status_code == 200, found.text
    rows: list[dict[str, Any]] = (
        found.json()["cases"] if isinstance(found.json(), dict) else found.json()
    )
    return rows


def thread(desk: Desk, case_id: int) -> list[dict[str, Any]]:
    found = desk.site.as_("sue").get(f"/api/v1/channels/email/cases/{case_id}/messages")
    assert found.status_code == 200, found.text
    messages: list[dict[str, Any]] = found.json()["messages"]
    return messages


def text(message: Message) -> str:
    """The text of a message as the SMTP receiver got it."""
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def all_seen(desk: Desk, count: int) -> bool:
    flags = desk.mail.flags()
    return len(flags) == count and all(flags.values())


def test_a_thread_of_three_messages_is_one_case_acknowledged_once(desk: Desk) -> None:
    first = "<first@example.net>"
    desk.mail.deliver(mail("No heating in flat 4", "The radiators are cold.", message_id=first))
    eventually(lambda: all_seen(desk, 1), "the first message taken in and marked seen")
    (case,) = cases(desk)
    # The acknowledgement names the case and threads under the customer's message.
    eventually(lambda: len(desk.outbox.messages) == 1, "the acknowledgement sent by SMTP")
    ((to, ack),) = desk.outbox.messages
    assert to == ["olena@example.net"]
    assert f"[Case #{case['id']}]" in ack["Subject"] and ack["In-Reply-To"] == first
    assert ack["Auto-Submitted"] == "auto-replied"
    # No agent is logged in, so the queue has no estimate: the SLA's due time is promised.
    assert f"case #{case['id']}" in text(ack)
    assert "We expect to reply by 2026-11-23 12:00 UTC." in text(ack)
    assert "Our target for a first reply is 4 h." in text(ack)
    # A reply by References, then one with only the case number in the subject.
    desk.mail.deliver(mail("Re: No heating", "Still cold.", message_id="<second@example.net>",
                           in_reply_to=first, references=first))  # fmt: skip
    desk.mail.deliver(mail(f"[Case #{case['id']}] and now", "Any news?",
                           message_id="<third@example.net>"))  # fmt: skip
    eventually(lambda: all_seen(desk, 3), "all three messages marked seen")
    (one,) = cases(desk)
    assert one["id"] == case["id"]
    inbound = [m for m in thread(desk, case["id"]) if m["direction"] == "in"]
    assert [m["message_id"] for m in inbound] == [
        first,
        "<second@example.net>",
        "<third@example.net>",
    ]
    assert len(desk.outbox.messages) == 1  # replies are not acknowledged again


def test_the_agent_answers_from_the_desk_and_the_reply_arrives_threaded(desk: Desk) -> None:
    desk.mail.deliver(mail("Bill too high", "Please check my November bill.",
                           message_id="<bill@example.net>", language="ru"))  # fmt: skip
    eventually(lambda: all_seen(desk, 1), "the message taken in")
    ann = desk.site.as_("ann")
    assert ann.post("/api/v1/agents/ann/login", json={"ready": True}).status_code == 200
    contacts = ann.get("/api/v1/agents/ann/contacts").json()
    offered = [c for c in contacts["contacts"]] if isinstance(contacts, dict) else contacts
    assert offered, contacts
    contact_id = offered[0]["contact_id"] if isinstance(offered[0], dict) else offered[0]
    accepted = ann.post(f"/api/v1/agents/ann/offers/{contact_id}/accept")
    assert accepted.status_code == 200, accepted.text
    path = f"/api/v1/channels/email/contacts/{contact_id}/messages"
    (question,) = [m for m in ann.get(path).json()["messages"] if m["sender"] == "caller"]
    assert "November bill" in question["body"]
    sent = ann.post(path, json={"body": "We have corrected it; the new bill follows."})
    assert sent.status_code == 201, sent.text
    eventually(lambda: len(desk.outbox.messages) == 2, "the acknowledgement and the reply sent")
    (_, ack), (to, reply) = desk.outbox.messages
    assert "Спасибо" in text(ack)  # Content-Language: ru
    case_id = ann.get(path).json()["case_id"]
    assert to == ["olena@example.net"]
    assert reply["Subject"] == f"[Case #{case_id}] Re: Bill too high"
    assert reply["In-Reply-To"] == "<bill@example.net>"
    assert "<bill@example.net>" in reply["References"]
    assert "Auto-Submitted" not in reply and "corrected it" in text(reply)
    case = desk.site.as_("sue").get(f"/api/v1/cases/{case_id}").json()
    assert case["first_response_at"] is not None and case["status"] == "open"


def test_bad_messages_are_noted_or_refused_and_the_rest_still_taken_in(desk: Desk) -> None:
    big = mail("Meter photo", "Photo attached.", message_id="<big@example.net>",
               attachment=b"\x89" * 30_000_000)  # fmt: skip
    fine = mail("Fine", "An ordinary message.", message_id="<fine@example.net>")
    desk.mail.deliver(MALFORMED_MIME, UNKNOWN_CHARSET, big, EMPTY_BODY, NO_SENDER, fine)
    eventually(lambda: all_seen(desk, 6), "every message marked seen")
    by_subject = {c["notes"].split("\n")[0]: c for c in cases(desk)}
    assert len(by_subject) == 5  # everything but the message without a sender
    notes = "\n".join(c["notes"] for c in by_subject.values())
    assert "MIME structure is damaged" in notes
    assert "unknown charset (x-no-such-charset)" in notes
    assert "The message has no text." in notes
    assert "meter-photo.bin (30.0 MB) is over the 1.0 MB kept per attachment" in notes
    assert any("An ordinary message." in c["notes"] for c in by_subject.values())
    big_case = next(c for c in by_subject.values() if "Meter photo" in c["notes"])
    (photo,) = thread(desk, big_case["id"])[0]["attachments"]
    assert (photo["size"], photo["kept"]) == (30_000_000, False)


def test_an_email_to_a_closed_queue_is_still_a_case_that_says_so(
    hotline_db: Hotline, dovecot: Dovecot, tmp_path: Path
) -> None:
    with desk_site(hotline_db, dovecot, tmp_path, closed_desk_center) as desk:
        desk.mail.deliver(mail("Night message", "Written at night.", message_id="<n@x>"))
        eventually(lambda: all_seen(desk, 1), "the message taken in")
        (case,) = cases(desk)
        assert "queue did not take the contact (closed or full)" in case["notes"]
        eventually(lambda: len(desk.outbox.messages) == 1, "the acknowledgement sent")
