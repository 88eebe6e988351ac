"""The exception hierarchy, written down once so callers know what to catch.

CallboardError
├── BadRecord        one input row could not be read; carries file, line and field
├── BadInput         a whole input (file, option) is unusable
├── BadConfig        a scenario, plan or mapping file is invalid; names file and key
├── InfeasiblePlan   a staffing or scheduling problem has no solution
└── CommandRefused   the engine refused a command in its present state (HTTP 409)
    ├── UnknownQueue     the command names a queue the center does not have (404)
    ├── UnknownAgent     ... an agent it does not have (404)
    └── UnknownContact   ... a contact it does not hold (404)

The engine raises only these for a command it will not carry out; anything
else escaping it is a bug, and the server answers it with a 500, not a 404.
"""

from __future__ import annotations


class CallboardError(Exception):
    """Base of every error Callboard raises on purpose."""


class BadRecord(CallboardError):
    """A single input row is unusable; the rest of its file is still imported."""

    def __init__(self, file: str, line: int, field: str | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        where = f"{file}:{line}" + (f" field {field!r}" if field else "")
        super().__init__(f"{where}: {reason}")


class BadInput(CallboardError):
    """A whole input cannot be used, such as a file that is not the format at all."""


class BadConfig(CallboardError):
    """A configuration file is invalid; the message names the file and the key."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        super().__init__(f"{file}: {key}: {problem}")


class InfeasiblePlan(CallboardError):
    """No staffing or schedule satisfies the constraints as given."""


class CommandRefused(CallboardError):
    """The engine will not carry out a command in its present state: completing a
    contact the agent is not on, adding an agent twice, time going backwards."""


class UnknownQueue(CommandRefused):
    """A command names a queue the center does not have."""


class UnknownAgent(CommandRefused):
    """A command names an agent the center does not have."""


class UnknownContact(CommandRefused):
    """A command names a contact the center does not hold (never, or no longer)."""
