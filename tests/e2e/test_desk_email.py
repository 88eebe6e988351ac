"""The agent answers an e-mail from the desk in Chromium: the customer's message (read
from a real Dovecot mailbox) is in the desk's panel, and the answer typed there is
received by a real SMTP server, threaded and with the case number in its subject.

It lives with the browser tests, not in tests/channels, because the suite has one
session-wide Playwright: a second one started beside it fails every later browser test
with "Sync API inside the asyncio loop"."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from callboard.cases import sla_policies
from callboard.channels import SmtpServer, mailbox_from_url
from callboard.server.app import ServerConfig
from callboard.server.channels_live import ChannelSetup
from tests.channels.conftest import desk_center
from tests.channels.messages import mail
from tests.e2e.conftest import served_site
from tests.fixtures.dovecot import Dovecot, dovecot  # noqa: F401  (the fixture)
from tests.surge.receivers import smtp_receiver


def test_an_agent_answers_an_email_from_the_desk(
    tmp_path: Path, dovecot: Dovecot, new_page: Callable[..., Page],  # noqa: F811
    shot: Callable[[Page, str], Path],
) -> None:  # fmt: skip
    policy = tmp_path / "sla.toml"
    policy.write_text('[default]\nfirst_response = "8h"\n')
    with smtp_receiver() as (port, sent):
        box = mailbox_from_url(f"{dovecot.url}?queue=email&address=support@callboard.test&poll=1s")
        config = ServerConfig(
            policies=sla_policies(policy, "UTC"), center=desk_center,
            channels=ChannelSetup((box,), SmtpServer("127.0.0.1", port)),
        )  # fmt: skip
        with served_site(tmp_path, config) as site:
            added = site.as_("sue").post("/api/v1/agents", json={
                "agent_id": "ann", "skills": {"email": 1}, "capacity": {"email": 2},
            })  # fmt: skip
            assert added.status_code == 201, added.text
            dovecot.deliver(mail("Meter reading", "Reading for November: 48213.",
                                 message_id="<reading@example.net>"))  # fmt: skip
            deadline = time.monotonic() + 60
            while not all(dovecot.flags().values()) or not sent.messages:
                assert time.monotonic() < deadline, "the e-mail was never taken in"
                time.sleep(0.05)

            page = new_page()
            site.sign_in(page, "ann", "agent")
            page.get_by_role("button", name="Log in").click()
            page.get_by_role("button", name="Accept").click()
            panel = page.get_by_role("region", name="Chat", exact=True)
            expect(panel).to_contain_text("Reading for November: 48213.")
            expect(panel).to_contain_text("Meter reading")
            page.get_by_label("Reply to the caller").fill("Thank you, the reading is recorded.")
            panel.get_by_role("button", name="Send").click()
            # The customer's message, the acknowledgement sent for the desk, and the answer.
            expect(panel.get_by_role("listitem")).to_have_count(3)
            expect(panel.get_by_role("listitem").nth(2)).to_contain_text("reading is recorded")
            shot(page, "email-answered")
            deadline = time.monotonic() + 30
            while len(sent.messages) < 2:
                assert time.monotonic() < deadline, "the reply never reached the SMTP server"
                time.sleep(0.05)
    (to, reply) = sent.messages[1]
    assert to == ["olena@example.net"]
    assert reply["In-Reply-To"] == "<reading@example.net>"
    assert reply["Subject"].startswith("[Case #") and reply["Subject"].endswith("Re: Meter reading")
