"""What `callboard serve` starts from its options: the store and the server's settings.

Kept out of the CLI so that anything starting a server (a service manager's
wrapper, a test) reads the same files the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from callboard.cases import sla_policies
from callboard.errors import BadInput
from callboard.server.app import ServerConfig, build_app
from callboard.server.centers import center_factory
from callboard.server.standby import Switchboard
from callboard.server.surge_live import surge_setup
from callboard.sim import load_scenario
from callboard.store import open_store, writer_lock
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


def prepare(workspace: Workspace, options: ServeOptions) -> tuple[Engine, ServerConfig]:
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
    )  # fmt: skip
    return open_store(workspace.db_url), config


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
