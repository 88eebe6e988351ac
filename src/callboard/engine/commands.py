"""The engine's command vocabulary: one frozen record per thing a center can be told.

Every consumer speaks it: the live server journals these records and
replays them after a crash, the simulator's driver issues them on its
virtual clock, surge control plans its actions as lists of them, and the
demo reaches them through the server's API. `Center.apply(now, command)`
runs one and returns what it made the center do (`Outputs`).

A command carries what happens, never when: the time is the driver's
(`apply`'s `now`, and the journal row's `at`), because the live server only
knows it once the command holds the engine's lock.

`to_data` / `from_data` give the journal form: the command's `name` and
every field as plain JSON (format 2, documented in docs/journal.md). Adding a
command means a record here with a `name`, a `run` and an entry in `KINDS`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from callboard.domain import Agent
from callboard.errors import BadInput

if TYPE_CHECKING:
    from callboard.engine.center import Center

# The journal format these records read and write; docs/journal.md describes it.
FORMAT = 2


class Command:
    """Base of every command; `run` is what the center does for it."""

    @property
    def name(self) -> str:
        """The command's name in the journal (`KINDS`)."""
        return _NAMES[type(self)]

    def run(self, center: Center, now: float) -> Any:
        raise NotImplementedError

    def to_data(self) -> dict[str, Any]:
        """Every field as plain JSON: the journal's `args`."""
        return dataclasses.asdict(self)  # type: ignore[call-overload, no-any-return]


@dataclass(frozen=True)
class Advance(Command):
    """Nothing but time passing: the timers due by `now` fire, and it becomes the
    center's time."""

    def run(self, center: Center, now: float) -> None:
        center.advance(now)


# -------------------------------------------------------------------- callers


@dataclass(frozen=True)
class Arrive(Command):
    """A contact reaches the queue point; returns it while it is in the center."""

    contact_id: str
    queue: str
    priority: int = 0
    caller: str | None = None
    attributes: dict[str, str] | None = None

    def run(self, center: Center, now: float) -> Any:
        return center.arrive(
            now, self.contact_id, self.queue, priority=self.priority, caller=self.caller,
            attributes=self.attributes,
        )  # fmt: skip


@dataclass(frozen=True)
class Abandon(Command):
    """The caller hung up before an answer; True if they were waiting."""

    contact_id: str

    def run(self, center: Center, now: float) -> bool:
        return center.abandon(now, self.contact_id)


@dataclass(frozen=True)
class RequestCallback(Command):
    """The caller leaves the line and keeps their place; True if they were waiting."""

    contact_id: str

    def run(self, center: Center, now: float) -> bool:
        return center.request_callback(now, self.contact_id)


@dataclass(frozen=True)
class LeaveVoicemail(Command):
    """The caller leaves a message instead of waiting; True if they were waiting."""

    contact_id: str

    def run(self, center: Center, now: float) -> bool:
        return center.leave_voicemail(now, self.contact_id)


@dataclass(frozen=True)
class Decline(Command):
    """The caller said no to a prompt; False for a contact the center does not hold."""

    contact_id: str

    def run(self, center: Center, now: float) -> bool:
        return center.decline(now, self.contact_id)


# --------------------------------------------------------------------- agents


@dataclass(frozen=True)
class AddAgent(Command):
    """Register an agent, logged out (the fields of `callboard.domain.Agent`)."""

    agent_id: str
    agent_name: str = ""
    skills: dict[str, int] = field(default_factory=dict)
    capacity: dict[str, int] = field(default_factory=lambda: {"call": 1})
    group: str | None = None

    @staticmethod
    def of(agent: Agent) -> AddAgent:
        return AddAgent(agent.agent_id, agent.name, dict(agent.skills), dict(agent.capacity),
                        agent.group)  # fmt: skip

    def run(self, center: Center, now: float) -> None:
        agent = Agent(self.agent_id, self.agent_name, dict(self.skills), dict(self.capacity),
                      self.group)  # fmt: skip
        center.add_agent(agent)


@dataclass(frozen=True)
class Login(Command):
    agent_id: str
    ready: bool = True

    def run(self, center: Center, now: float) -> None:
        center.login(now, self.agent_id, self.ready)


@dataclass(frozen=True)
class Logout(Command):
    """Log out now, or after the agent's current contacts."""

    agent_id: str

    def run(self, center: Center, now: float) -> None:
        center.logout(now, self.agent_id)


@dataclass(frozen=True)
class SetReady(Command):
    agent_id: str

    def run(self, center: Center, now: float) -> None:
        center.set_ready(now, self.agent_id)


@dataclass(frozen=True)
class SetNotReady(Command):
    agent_id: str
    reason: str

    def run(self, center: Center, now: float) -> None:
        center.set_not_ready(now, self.agent_id, self.reason)


@dataclass(frozen=True)
class SetSkills(Command):
    """Change what an agent may serve (surge plans add a support group this way)."""

    agent_id: str
    skills: dict[str, int]

    def run(self, center: Center, now: float) -> None:
        center.set_skills(now, self.agent_id, self.skills)


@dataclass(frozen=True)
class Accept(Command):
    agent_id: str
    contact_id: str

    def run(self, center: Center, now: float) -> None:
        center.accept(now, self.agent_id, self.contact_id)


@dataclass(frozen=True)
class Reject(Command):
    """The agent refused or missed an offer; the contact goes back in its place."""

    agent_id: str
    contact_id: str
    reason: str = "other"

    def run(self, center: Center, now: float) -> None:
        center.reject(now, self.agent_id, self.contact_id, self.reason)


@dataclass(frozen=True)
class Complete(Command):
    """The conversation ended; wrap-up lasts `acw_s` (None: the queue's)."""

    agent_id: str
    contact_id: str
    acw_s: float | None = None

    def run(self, center: Center, now: float) -> None:
        center.complete(now, self.agent_id, self.contact_id, self.acw_s)


# --------------------------------------------------------------------- queues


@dataclass(frozen=True)
class SetMode(Command):
    """Force a queue open, closed or into emergency (with its message); None follows
    its opening hours."""

    queue: str
    mode: str | None
    message: str | None = None

    def run(self, center: Center, now: float) -> None:
        center.set_mode(now, self.queue, self.mode, self.message)


@dataclass(frozen=True)
class OfferCallbacks(Command):
    """Prompt every caller whose expected wait is above `min_ewt_s`; returns how many."""

    queue: str
    min_ewt_s: float
    predictor: str

    def run(self, center: Center, now: float) -> int:
        return center.offer_callbacks(now, self.queue, self.min_ewt_s, self.predictor)


KINDS: dict[str, type[Command]] = {
    "advance": Advance,
    "arrive": Arrive,
    "abandon": Abandon,
    "request_callback": RequestCallback,
    "leave_voicemail": LeaveVoicemail,
    "decline": Decline,
    "add_agent": AddAgent,
    "login": Login,
    "logout": Logout,
    "set_ready": SetReady,
    "set_not_ready": SetNotReady,
    "set_skills": SetSkills,
    "accept": Accept,
    "reject": Reject,
    "complete": Complete,
    "set_mode": SetMode,
    "offer_callbacks": OfferCallbacks,
}
_NAMES = {kind: name for name, kind in KINDS.items()}


def from_data(name: str, args: dict[str, Any]) -> Command:
    """The command a journal row holds (`to_data`'s inverse); BadInput names what is wrong."""
    kind = KINDS.get(name)
    if kind is None:
        raise BadInput(f"unknown command {name!r}; known: {', '.join(sorted(KINDS))}")
    fields = {f.name for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
    unknown = sorted(set(args) - fields)
    if unknown:
        raise BadInput(f"command {name!r}: unknown field(s) {', '.join(unknown)}")
    try:
        return kind(**args)
    except TypeError as exc:
        raise BadInput(f"command {name!r}: {exc}") from None
