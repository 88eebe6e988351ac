"""serve's channel options and channels file: every mistake is refused before anything
starts, naming the option or the file's key, and never printing a password."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from callboard.errors import BadConfig, BadInput
from callboard.server.channels_live import channel_setup

QUEUES = ("email", "messages")
ROOT = Path(__file__).resolve().parents[2]


def test_options_build_the_mailboxes_smtp_and_messengers() -> None:
    setup = channel_setup(
        ("imaps://support%40x.org:s3cret@mail.x.org/Support?queue=email&poll=30s"
         "&max_attachment=2MB",),
        "smtp://mail.x.org:587", ("telegram:messages:https://bridge.x.org/out",), QUEUES,
    )  # fmt: skip
    (box,) = setup.mailboxes
    assert (box.user, box.password, box.host, box.port) == ("support@x.org", "s3cret",
                                                           "mail.x.org", 993)  # fmt: skip
    assert (box.folder, box.queue, box.poll_s, box.max_attachment) == (
        "Support",
        "email",
        30.0,
        2_000_000,
    )
    assert box.tls and box.address == "support@x.org" and "s3cret" not in box.name
    assert setup.smtp is not None and (setup.smtp.host, setup.smtp.port) == ("mail.x.org", 587)
    assert setup.messengers[0].webhook == "https://bridge.x.org/out"


@pytest.mark.parametrize(
    ("imap", "messenger", "expected"),
    [
        ("imap://u:pw@h/INBOX", None, "add ?queue=NAME"),
        ("imap://u:pw@h/INBOX?queue=nope", None, "no queue 'nope' in the center"),
        ("imap://u:pw@h/INBOX?queue=email&pol=1s", None, "unknown key 'pol'"),
        ("imap://u:pw@h/INBOX?queue=email&max_attachment=big", None, "expected a size"),
        ("pop3://u:pw@h/", None, "expected imap://"),
        (None, "telegram:messages", "expected NAME:QUEUE:WEBHOOK_URL"),
        (None, "Tele gram:messages:http://x/", "expected NAME:QUEUE:WEBHOOK_URL"),
    ],
)
def test_bad_options_are_refused_by_name(
    imap: str | None, messenger: str | None, expected: str
) -> None:
    with pytest.raises(BadInput, match=re.escape(expected)) as refused:
        channel_setup((imap,) if imap else (), None, (messenger,) if messenger else (), QUEUES)
    assert "pw@" not in str(refused.value)


def test_mailboxes_need_a_center() -> None:
    with pytest.raises(BadInput, match="need --center"):
        channel_setup(("imap://u@h/INBOX?queue=email",), None, (), None)


def test_a_channels_file_gives_the_same_with_its_passwords_kept_out_of_urls(
    tmp_path: Path,
) -> None:
    path = tmp_path / "channels.toml"
    path.write_text(
        'smtp = "smtp://mail.x.org:25"\nsmtp_password = "p2"\n'
        '[[mailbox]]\nurl = "imap://support@mail.x.org/INBOX"\npassword = "p1"\n'
        'queue = "email"\npoll = "5s"\n'
        '[[messenger]]\nname = "whatsapp"\nqueue = "messages"\nwebhook = "https://b/out"\n'
    )
    setup = channel_setup((), None, (), QUEUES, path)
    assert setup.mailboxes[0].password == "p1" and setup.mailboxes[0].poll_s == 5.0
    assert setup.smtp is not None and setup.smtp.password == "p2"
    assert setup.messengers[0].name == "whatsapp"


def test_a_bad_channels_file_names_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "channels.toml"
    path.write_text('[[mailbox]]\nurl = "imap://u@h/INBOX"\nqueue = "email"\npol = "1s"\n')
    with pytest.raises(BadConfig, match=re.escape("channels.toml: mailbox[0].pol: unknown key")):
        channel_setup((), None, (), QUEUES, path)
    path.write_text('[[mailbox]]\nurl = "imap://u@h/INBOX"\nqueue = "email"\npoll = "soon"\n')
    with pytest.raises(BadConfig, match=r"channels.toml: mailbox\[0\]: .*poll"):
        channel_setup((), None, (), QUEUES, path)


def test_serve_refuses_a_bad_mailbox_with_exit_code_2_and_no_password(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "callboard", "--data", str(tmp_path), "serve", "--center",
         str(Path(__file__).with_name("mail_desk.yaml")), "--imap",
         "imap://support:hunter2@127.0.0.1/INBOX?queue=nope"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "no queue 'nope' in the center" in done.stderr and "hunter2" not in done.stderr
    assert "Traceback" not in done.stderr
