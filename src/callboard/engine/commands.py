"""The engine's command vocabulary: one frozen record per thing a center can be told.

Every consumer speaks it: the live server journals these records and
replays them after a crash, the simulator's driver issues them on its
virtual clock, surge control plans its actions as lists of them, and the
demo reaches them through the server's API. `Center.apply(now, command)`
runs one and returns what it made the center do (`Outputs`).

A command carries what happens, never when: the time is the driver's
(`apply`'s `now`, and the journal row's `at`), because the live server only
knows it once the command holds the engine's lock.

`to_data` / `parse_command` give the journal form: the command's `name` and
every field as plain JSON (format 2, documented in docs/journal.md). Adding a
command means a record here with a `name`, its `fields`, a `run` and an entry
in `KINDS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final

from callboard.domain import Agent
from callboard.errors import BadInput

if TYPE_CHECKING:
    from callboard.engine.center import Center

# The journal format these records read and write; docs/journal.md describes it.
COMMAND_FORMAT = 2


class Command:
    """Base of every command: `name` in the journal, its `fields` in order, and `run`,
    what the center does for it.

    Fields are `Final`, so a command cannot change once made; records compare
    equal when their kind and fields are. They are plain native classes rather
    than dataclasses because the simulator makes one per step and mypyc
    compiles their `__init__` only this way (a frozen dataclass's is
    interpreted and about twenty times slower).
    """

    name: ClassVar[str] = ""
    fields: ClassVar[tuple[str, ...]] = ()

    def run(self, center: Center, now: float) -> Any:
        raise NotImplementedError

    def to_data(self) -> dict[str, Any]:
        """Every field as plain JSON: the journal's `args`."""
        return {field: getattr(self, field) for field in self.fields}

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, Command)
            and self.to_data() == other.to_data()
        )

    def __hash__(self) -> int:
        return hash((self.name, repr(self)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{key}={value!r}" for key, value in self.to_data().items())
        return f"{type(self).__name__}({shown})"


class Advance(Command):
    """Nothing but time passing: the timers due by `now` fire, and it becomes the
    center's time."""

    name = "advance"
    fields = ()

    def run(self, center: Center, now: float) -> None:
        center.advance(now)


# -------------------------------------------------------------------- callers


class Arrive(Command):
    """A contact reaches the queue point; returns it while it is in the center."""

    name = "arrive"
    fields = ("contact_id", "queue", "priority", "caller", "attributes")

    def __init__(
        self,
        contact_id: str,
        queue: str,
        priority: int = 0,
        caller: str | None = None,
        attributes: dict[str, str] | None = None,
    ) -> None:
        self.contact_id: Final = contact_id
        self.queue: Final = queue
        self.priority: Final = priority
        self.caller: Final = caller
        self.attributes: Final = attributes

    def run(self, center: Center, now: float) -> Any:
        return center.arrive(
            now, self.contact_id, self.queue, priority=self.priority, caller=self.caller,
            attributes=self.attributes,
        )  # fmt: skip


class Abandon(Command):
    """The caller hung up before an answer; True if they were waiting."""

    name = "abandon"
    fields = ("contact_id",)

    def __init__(self, contact_id: str) -> None:
        self.contact_id: Final = contact_id

    def run(self, center: Center, now: float) -> bool:
        return center.abandon(now, self.contact_id)


class RequestCallback(Command):
    """The caller leaves the line and keeps their place; True if they were waiting."""

    name = "request_callback"
    fields = ("contact_id",)

    def __init__(self, contact_id: str) -> None:
        self.contact_id: Final = contact_id

    def run(self, center: Center, now: float) -> bool:
        return center.request_callback(now, self.contact_id)


class LeaveVoicemail(Command):
    """The caller leaves a message instead of waiting; True if they were waiting."""

    name = "leave_voicemail"
    fields = ("contact_id",)

    def __init__(self, contact_id: str) -> None:
        self.contact_id: Final = contact_id

    def run(self, center: Center, now: float) -> bool:
        return center.leave_voicemail(now, self.contact_id)


class Decline(Command):
    """The caller said no to a prompt; False for a contact the center does not hold."""

    name = "decline"
    fields = ("contact_id",)

    def __init__(self, contact_id: str) -> None:
        self.contact_id: Final = contact_id

    def run(self, center: Center, now: float) -> bool:
        return center.decline(now, self.contact_id)


# --------------------------------------------------------------------- agents


class AddAgent(Command):
    """Register an agent, logged out (the fields of `callboard.domain.Agent`)."""

    name = "add_agent"
    fields = ("agent_id", "agent_name", "skills", "capacity", "group")

    def __init__(
        self,
        agent_id: str,
        agent_name: str = "",
        skills: dict[str, int] | None = None,
        capacity: dict[str, int] | None = None,
        group: str | None = None,
    ) -> None:
        self.agent_id: Final = agent_id
        self.agent_name: Final = agent_name
        self.skills: Final[dict[str, int]] = {} if skills is None else skills
        self.capacity: Final[dict[str, int]] = {"call": 1} if capacity is None else capacity
        self.group: Final = group

    @staticmethod
    def of(agent: Agent) -> AddAgent:
        return AddAgent(agent.agent_id, agent.name, dict(agent.skills), dict(agent.capacity),
                        agent.group)  # fmt: skip

    def run(self, center: Center, now: float) -> None:
        agent = Agent(self.agent_id, self.agent_name, dict(self.skills), dict(self.capacity),
                      self.group)  # fmt: skip
        center.add_agent(agent)


class Login(Command):
    name = "login"
    fields = ("agent_id", "ready")

    def __init__(self, agent_id: str, ready: bool = True) -> None:
        self.agent_id: Final = agent_id
        self.ready: Final = ready

    def run(self, center: Center, now: float) -> None:
        center.login(now, self.agent_id, self.ready)


class Logout(Command):
    """Log out now, or after the agent's current contacts."""

    name = "logout"
    fields = ("agent_id",)

    def __init__(self, agent_id: str) -> None:
        self.agent_id: Final = agent_id

    def run(self, center: Center, now: float) -> None:
        center.logout(now, self.agent_id)


class SetReady(Command):
    name = "set_ready"
    fields = ("agent_id",)

    def __init__(self, agent_id: str) -> None:
        self.agent_id: Final = agent_id

    def run(self, center: Center, now: float) -> None:
        center.set_ready(now, self.agent_id)


class SetNotReady(Command):
    name = "set_not_ready"
    fields = ("agent_id", "reason")

    def __init__(self, agent_id: str, reason: str) -> None:
        self.agent_id: Final = agent_id
        self.reason: Final = reason

    def run(self, center: Center, now: float) -> None:
        center.set_not_ready(now, self.agent_id, self.reason)


class SetSkills(Command):
    """Change what an agent may serve (surge plans add a support group this way)."""

    name = "set_skills"
    fields = ("agent_id", "skills")

    def __init__(self, agent_id: str, skills: dict[str, int]) -> None:
        self.agent_id: Final = agent_id
        self.skills: Final = skills

    def run(self, center: Center, now: float) -> None:
        center.set_skills(now, self.agent_id, self.skills)


class Accept(Command):
    name = "accept"
    fields = ("agent_id", "contact_id")

    def __init__(self, agent_id: str, contact_id: str) -> None:
        self.agent_id: Final = agent_id
        self.contact_id: Final = contact_id

    def run(self, center: Center, now: float) -> None:
        center.accept(now, self.agent_id, self.contact_id)


class Reject(Command):
    """The agent refused or missed an offer; the contact goes back in its place."""

    name = "reject"
    fields = ("agent_id", "contact_id", "reason")

    def __init__(self, agent_id: str, contact_id: str, reason: str = "other") -> None:
        self.agent_id: Final = agent_id
        self.contact_id: Final = contact_id
        self.reason: Final = reason

    def run(self, center: Center, now: float) -> None:
        center.reject(now, self.agent_id, self.contact_id, self.reason)


class Complete(Command):
    """The conversation ended; wrap-up lasts `acw_s` (None: the queue's)."""

    name = "complete"
    fields = ("agent_id", "contact_id", "acw_s")

    def __init__(self, agent_id: str, contact_id: str, acw_s: float | None = None) -> None:
        self.agent_id: Final = agent_id
        self.contact_id: Final = contact_id
        self.acw_s: Final = acw_s

    def run(self, center: Center, now: float) -> None:
        center.complete(now, self.agent_id, self.contact_id, self.acw_s)


# --------------------------------------------------------------------- queues


class SetMode(Command):
    """Force a queue open, closed or into emergency (with its message); None follows
    its opening hours."""

    name = "set_mode"
    fields = ("queue", "mode", "message")

    def __init__(self, queue: str, mode: str | None, message: str | None = None) -> None:
        self.queue: Final = queue
        self.mode: Final = mode
        self.message: Final = message

    def run(self, center: Center, now: float) -> None:
        center.set_mode(now, self.queue, self.mode, self.message)


class OfferCallbacks(Command):
    """Prompt every caller whose expected wait is above `min_ewt_s`; returns how many."""

    name = "offer_callbacks"
    fields = ("queue", "min_ewt_s", "predictor")

    def __init__(self, queue: str, min_ewt_s: float, predictor: str) -> None:
        self.queue: Final = queue
        self.min_ewt_s: Final = min_ewt_s
        self.predictor: Final = predictor

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


def parse_command(name: str, args: dict[str, Any]) -> Command:
    """The command a journal row holds (`to_data`'s inverse); BadInput names what is wrong."""
    kind = KINDS.get(name)
    if kind is None:
        raise BadInput(f"unknown command {name!r}; known: {', '.join(sorted(KINDS))}")
    unknown = sorted(set(args) - set(kind.fields))
    if unknown:
        raise BadInput(f"command {name!r}: unknown field(s) {', '.join(unknown)}")
    try:
        return kind(**args)
    except TypeError as exc:
        raise BadInput(f"command {name!r}: {exc}") from None
