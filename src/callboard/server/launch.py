"""What `callboard serve` starts from its options: the store, the server's settings,
uvicorn's settings and the links to print.

Kept out of the CLI so that anything starting a server (a service manager's
wrapper, the demo, a test) reads the same files the same way.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from sqlalchemy import Engine
from starlette.types import ASGIApp

from callboard.cases import sla_policies
from callboard.errors import BadInput
from callboard.server.app import ServerConfig, build_app
from callboard.server.centers import center_factory
from callboard.server.channels_live import channel_setup
from callboard.server.openings import Opening, openings
from callboard.server.security import SecuritySettings
from callboard.server.standby import Switchboard
from callboard.server.surge_live import surge_setup
from callboard.server.targets import load_targets
from callboard.sim import load_scenario
from callboard.store import UserStore, open_store, writer_lock
from callboard.surge import EmailNotifier, Notifier, WebhookNotifier
from callboard.workspace import Workspace


@dataclass(frozen=True)
class ServeOptions:
    """`callboard serve`'s options, as files and addresses."""

    sla: Path | None = None
    center: Path | None = None
    snapshot_every: int = 1000
    plan: Path | None = None
    webhooks: tuple[str, ...] = field(default_factory=tuple)
    smtp: str | None = None
    sender: str = "callboard@localhost"
    keep_snapshots: int = 3
    follow_shifts: bool = False  # log the scenario's agents in and out at its shift times
    # Pages of these origins may write with the sign-in cookie (server/security.py).
    allowed_origins: tuple[str, ...] = ()
    # Who may frame the caller widget (CSP frame-ancestors); default: this server only.
    widget_frame_ancestors: tuple[str, ...] = ()
    targets: Path | None = None  # what the wallboard judges queues against (server/targets.py)
    # Mailboxes read, where replies go out, messenger bridges (server/channels_live.py).
    imap: tuple[str, ...] = ()
    mail_smtp: str | None = None
    messengers: tuple[str, ...] = ()
    channels: Path | None = None  # a channels file (TOML/YAML) with the same, and more


@dataclass(frozen=True)
class Prepared:
    store: Engine
    config: ServerConfig
    queues: tuple[str, ...]  # the live center's, for the widget link `serve` prints

    def openings(self, base: str) -> list[Opening]:
        """What to open on the server at `base`, with fresh one-time sign-in links."""
        return openings(UserStore(self.store), base, self.queues)


def prepare(workspace: Workspace, options: ServeOptions) -> Prepared:
    """The workspace's store, opened (and migrated), and the server's settings.

    Raises BadConfig for a bad SLA, scenario or plan file and BadInput for options
    that do not go together; nothing is started.
    """
    if options.plan is not None and options.center is None:
        raise BadInput("--plan needs --center (the center the plan runs on)")
    if options.follow_shifts and options.center is None:
        raise BadInput("--follow-shifts needs --center (the scenario whose shifts to follow)")
    scenario = load_scenario(options.center) if options.center else None
    policies = sla_policies(options.sla, scenario.timezone if scenario else None)
    notifiers = _notifiers(options.webhooks, options.smtp, options.sender)
    surge = surge_setup(options.plan, scenario, notifiers) if scenario else None
    config = ServerConfig(
        policies=policies, center=center_factory(scenario) if scenario else None,
        snapshot_every=options.snapshot_every, keep_snapshots=options.keep_snapshots,
        workspace=workspace, surge=surge, notifiers=tuple(notifiers),
        follow_shifts=scenario if options.follow_shifts else None,
        targets=load_targets(options.targets) if options.targets else None,
        security=SecuritySettings.parse(options.allowed_origins, options.widget_frame_ancestors),
        channels=channel_setup(options.imap, options.mail_smtp, options.messengers,
                               tuple(q.spec.name for q in scenario.queues) if scenario else None,
                               options.channels),
    )  # fmt: skip
    queues = tuple(queue.spec.name for queue in scenario.queues) if scenario else ()
    return Prepared(open_store(workspace.db_url), config, queues)


def switchboard(store: Engine, config: ServerConfig, *, address: str, standby: bool) -> Switchboard:
    """The ASGI app `serve` runs: the server, once it holds the store's writer lock.

    Without `standby` the lock is taken now, or StoreLocked names the process that
    holds it; with `standby` the app waits for it while answering as a standby.
    """
    lock = writer_lock(store, address)
    if not standby:
        lock.take_or_refuse()
    return Switchboard(lock, lambda: build_app(store, config))


def _notifiers(webhooks: tuple[str, ...], smtp: str | None, sender: str) -> list[Notifier]:
    notifiers: list[Notifier] = [WebhookNotifier(url) for url in webhooks]
    if smtp is not None:
        host, _, port = smtp.rpartition(":")
        if not host or not port.isdigit():
            raise BadInput(f"--notify-smtp {smtp!r}: expected HOST:PORT, such as localhost:25")
        notifiers.append(EmailNotifier(host, int(port), sender))
    return notifiers


def uvicorn_config(
    app: ASGIApp, *, host: str, port: int, forwarded_allow_ips: tuple[str, ...] = (),
    log_level: str = "info",
) -> uvicorn.Config:  # fmt: skip
    """uvicorn's settings for a Callboard app.

    `X-Forwarded-For` and `X-Forwarded-Proto` are believed only from the peers in
    `forwarded_allow_ips` (addresses or networks; none by default). uvicorn's own
    default believes them from 127.0.0.1 (or its FORWARDED_ALLOW_IPS variable),
    and then any local process, or a proxy that passes a client's own header
    along, chooses the address the widget's rate limit counts (issue 14: 100 of
    100 spoofed requests passed). With a peer trusted, the client address and the
    scheme (and so the cookie's Secure flag) are the ones the proxy reports.
    """
    trusted = [_trusted_peer(value) for value in forwarded_allow_ips]
    return uvicorn.Config(
        app, host=host, port=port, log_level=log_level, access_log=False,
        proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None,
    )  # fmt: skip


def _trusted_peer(value: str) -> str:
    if value == "*":
        return value  # every peer: only where nothing but the proxy can reach the server
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise BadInput(
            f"--forwarded-allow-ips {value!r}: expected an IP address or a network such as "
            "10.0.0.0/8 (the proxy's), or *"
        ) from None
    return value
