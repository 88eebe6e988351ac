"""What the engine hands back to its driver: events, and decisions to carry out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final, NamedTuple

from callboard.domain import Event, EventType

# An event as the engine queues it; `Center.take_events` builds the `Event`s, so a
# run that never takes them pays for no objects.
RawEvent = tuple[EventType, float, str | None, str | None, str | None, dict[str, Any]]


class Offer(NamedTuple):
    """Contact `contact_id` goes to agent `agent_id` at `at` (already connected if auto-answer).

    `callback` means the agent must call the customer back: the customer left
    the line and kept their place as a virtual contact.
    """

    at: float
    contact_id: str
    agent_id: str
    queue: str
    callback: bool


# Receives an offer's fields (at, contact_id, agent_id, queue, callback) as it is made;
# see `Center`'s `on_offer`.
OfferHook = Callable[[float, str, str, str, bool], None]


class Prompt(NamedTuple):
    """Ask the caller to choose: `offer` is "callback" or "voicemail".

    `reason` is "full" (the queue is at its maximum length; the contact is
    not in line until it answers), "max_wait" or "surge" (still in line).
    The driver answers with `request_callback`, `leave_voicemail` or `decline`.
    """

    at: float
    contact_id: str
    queue: str
    offer: str
    reason: str


# The outputs of a command that emitted nothing of a kind: one shared empty tuple, so
# a simulation step that emits nothing allocates nothing for it.
NOTHING: Final[tuple[()]] = ()


class Outputs:
    """What one `Center.apply` made the center do, in the order it happened.

    `result` is the command's own answer (see each command); the sequences
    are the caller's to keep. Read-only, so that `apply` can hand out one
    shared instance for each of the outputs most simulation steps have
    (`QUIET_NONE`, ...): nothing but a result of None, True or False.
    """

    __slots__ = ("events", "offers", "prompts", "result")

    def __init__(
        self,
        result: Any,
        events: Sequence[Event],
        offers: Sequence[Offer],
        prompts: Sequence[Prompt],
    ) -> None:
        self.result: Final = result
        self.events: Final = events
        self.offers: Final = offers
        self.prompts: Final = prompts

    def __bool__(self) -> bool:
        """Whether anyone outside the engine would see something: events, offers or prompts."""
        return bool(self.events or self.offers or self.prompts)


# The outputs of a step that emitted nothing and answered None, True or False, shared.
QUIET_NONE: Final = Outputs(None, NOTHING, NOTHING, NOTHING)
QUIET_TRUE: Final = Outputs(True, NOTHING, NOTHING, NOTHING)
QUIET_FALSE: Final = Outputs(False, NOTHING, NOTHING, NOTHING)
