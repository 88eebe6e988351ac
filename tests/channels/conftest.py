"""A live server with an e-mail queue reading a real Dovecot mailbox and answering through
a real SMTP server (aiosmtpd), and a messenger queue whose replies go to a real local
HTTP receiver."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from callboard.cases import sla_policies
from callboard.channels import Messenger, SmtpServer, mailbox_from_url
from callboard.engine import Center, OpenHours, QueueSpec
from callboard.server import build_app
from callboard.server.app import ServerConfig
from callboard.server.channels_live import ChannelSetup
from tests.fixtures.dovecot import Dovecot, dovecot  # noqa: F401  (the fixture)
from tests.fixtures.live_server import serving
from tests.server.conftest import hotline_db  # noqa: F401  (the fixture)
from tests.server.hotline import Hotline
from tests.surge.receivers import WebhookReceiver, smtp_receiver, webhook_receiver

ATTACHMENT_LIMIT = "1MB"


def desk_center(now: float) -> Center:
    return Center(
        [QueueSpec("email", channel="email", offer_timeout_s=None),
         QueueSpec("messages", channel="chat", offer_timeout_s=None)],
        start=now,
    )  # fmt: skip


@dataclass
class Desk:
    site: Hotline
    mail: Dovecot
    outbox: object  # the SMTP receiver's mailbox (tests/surge/receivers.py)
    bridge: WebhookReceiver


def closed_desk_center(now: float) -> Center:
    """The desk with its e-mail queue open only on Sundays at 00:00-00:01 (the tests'
    clock says Monday morning)."""
    closed = (OpenHours((6,), 0.0, 60.0),)
    return Center([QueueSpec("email", channel="email", hours=closed),
                   QueueSpec("messages", channel="chat")], start=now)  # fmt: skip


@pytest.fixture
def desk(hotline_db: Hotline, dovecot: Dovecot, tmp_path: Path) -> Iterator[Desk]:  # noqa: F811
    with desk_site(hotline_db, dovecot, tmp_path, desk_center) as served:
        yield served


@contextmanager
def desk_site(
    hotline_db: Hotline, dovecot: Dovecot, tmp_path: Path,  # noqa: F811
    center: Callable[[float], Center],
) -> Iterator[Desk]:  # fmt: skip
    policy = tmp_path / "sla.toml"
    policy.write_text('[default]\nfirst_response = "4h"\nresolution = "3d"\n')
    with smtp_receiver() as (port, sent), webhook_receiver() as bridge:
        box = mailbox_from_url(f"{dovecot.url}?queue=email&address=support@callboard.test"
                               f"&poll=1s&max_attachment={ATTACHMENT_LIMIT}")  # fmt: skip
        setup = ChannelSetup(
            (box,), SmtpServer("127.0.0.1", port), (Messenger("telegram", "messages", bridge.url),)
        )
        config = ServerConfig(
            policies=sla_policies(policy, "UTC"),
            clock=hotline_db.time,
            center=center,
            channels=setup,
        )
        with serving(build_app(hotline_db.engine, config)) as url:
            hotline_db.url = url
            sue = hotline_db.as_("sue")
            added = sue.post("/api/v1/agents", json={
                "agent_id": "ann", "skills": {"email": 1, "messages": 1},
                "capacity": {"email": 3, "chat": 2},
            })  # fmt: skip
            assert added.status_code == 201, added.text
            yield Desk(hotline_db, dovecot, sent, bridge)
