"""What the engine hands back to its driver besides events: decisions to carry out."""

from __future__ import annotations

from typing import NamedTuple


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
