"""Reading e-mails into what a case keeps: every problem a sender can make is a note,
only a message nobody can be answered at is refused."""

from __future__ import annotations

from datetime import UTC, datetime

from callboard.channels import guess, parse
from tests.channels.messages import (
    EMPTY_BODY,
    MALFORMED_MIME,
    NO_SENDER,
    UNKNOWN_CHARSET,
    mail,
)

AT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def read(raw: bytes, limit: int = 1_000_000):  # type: ignore[no-untyped-def]
    return parse(raw, mailbox="support", at=AT, max_attachment=limit)


def test_a_plain_message_keeps_its_sender_subject_text_and_thread() -> None:
    parsed = read(mail("No heating", "Since this morning.", message_id="<a@x>",
                       references="<r1@x> <r2@x>", in_reply_to="<r2@x>"))  # fmt: skip
    assert parsed.rejection is None and not parsed.automatic
    assert (parsed.mail.sender, parsed.mail.subject) == ("olena@example.net", "No heating")
    assert parsed.mail.body.strip() == "Since this morning."
    assert parsed.mail.thread == ("<r1@x>", "<r2@x>")
    assert parsed.mail.message_id == "<a@x>" and parsed.mail.note == ""


def test_damaged_mime_is_taken_with_a_note() -> None:
    parsed = read(MALFORMED_MIME)
    assert parsed.rejection is None
    assert "MIME structure is damaged" in parsed.mail.note
    assert "radiator" in parsed.mail.body


def test_an_unknown_charset_is_read_as_utf8_with_a_note() -> None:
    parsed = read(UNKNOWN_CHARSET)
    assert "unknown charset (x-no-such-charset)" in parsed.mail.note
    assert "12345 — please confirm" in parsed.mail.body


def test_an_empty_body_is_noted() -> None:
    parsed = read(EMPTY_BODY)
    assert parsed.rejection is None and parsed.mail.note == "The message has no text."


def test_an_attachment_over_the_limit_is_listed_but_not_kept() -> None:
    parsed = read(mail("photo", "see attached", attachment=b"x" * 2_000), limit=1_000)
    (attachment,) = parsed.mail.attachments
    assert (attachment.size, attachment.data) == (2_000, None)
    assert "meter-photo.bin (0.0 MB) is over the 0.0 MB" in parsed.mail.note
    small = read(mail("photo", "see attached", attachment=b"x" * 10), limit=1_000)
    assert small.mail.attachments[0].data == b"x" * 10 and small.mail.note == ""


def test_a_message_without_a_sender_is_refused() -> None:
    assert read(NO_SENDER).rejection is not None


def test_a_missing_message_id_is_made_from_the_content_the_same_every_time() -> None:
    raw = b"From: a@example.net\r\nSubject: x\r\n\r\nhello\r\n"
    assert read(raw).mail.message_id == read(raw).mail.message_id
    assert read(raw).mail.message_id.endswith("@callboard.invalid>")


def test_auto_replies_are_recognised() -> None:
    raw = mail("Out of office", "away").replace(
        b"Subject:", b"Auto-Submitted: auto-replied\r\nSubject:"
    )
    assert read(raw).automatic
    assert read(mail("bounce", "x", sender="MAILER-DAEMON@example.net")).automatic


def test_language_comes_from_the_header_then_the_letters() -> None:
    assert read(mail("x", "hello", language="uk-UA")).mail.language == "uk"
    assert guess("Нет отопления с утра") == "ru"
    assert guess("Немає опалення з ранку, дитина мерзне") == "uk"
    assert guess("暖气不热") == "zh"
    assert guess("No heating since the morning") == "en"
    assert guess("12345") is None
