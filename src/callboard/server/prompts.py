"""The callers' pending prompts: "callback or voicemail?" until they answer or leave.

The engine hands a prompt out once (`Outputs.prompts`) and keeps no record of
it, except that a caller refused for a full queue waits `prompted`. The live
center folds every journaled command's output in here, under its lock and in
journal order, and the same fold runs again over the journal's replay after a
restart, so the prompts a caller was shown come back with the center. The
state travels in the live center's snapshots (`SNAPSHOT_KEY`), because a
replay starts from the latest one.

A prompt is shown only once the command that made it is durable (`seq`
against the live center's durable sequence): nobody is asked a question a
crash could forget.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from callboard.domain import EventType
from callboard.engine import Command, Decline, LeaveVoicemail, Outputs, RequestCallback

# The key of the pending prompts in a live center's snapshot; the engine's restore
# ignores keys it does not know.
SNAPSHOT_KEY = "live_prompts"

# Commands that answer a prompt, and events after which a contact has no question to
# answer: it was offered to an agent, connected or left the center.
_ANSWERS = (Decline, LeaveVoicemail, RequestCallback)
_SETTLED = frozenset(
    {
        EventType.CONTACT_OFFERED,
        EventType.CONTACT_ANSWERED,
        EventType.CONTACT_ABANDONED,
        EventType.CONTACT_EXITED,
        EventType.CONTACT_BLOCKED,
        EventType.CONTACT_COMPLETED,
        EventType.CALLBACK_REQUESTED,
    }
)


@dataclass(frozen=True, slots=True)
class PendingPrompt:
    """Caller `contact_id` is asked to take `offer` ("callback" or "voicemail"), since
    `at`, because of `reason` ("max_wait", "surge" or "full"); made by command `seq`."""

    seq: int
    at: float
    contact_id: str
    queue: str
    offer: str
    reason: str

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    def shown(self) -> dict[str, Any]:
        """What a caller or a PBX is told about the prompt."""
        return {"offer": self.offer, "reason": self.reason, "since": self.at}


class PendingPrompts:
    """Not thread-safe on its own: the live center folds and reads under its lock."""

    def __init__(self, prompts: Iterable[PendingPrompt] = ()) -> None:
        self._by_contact = {p.contact_id: p for p in prompts}

    @classmethod
    def from_snapshot(cls, state: dict[str, Any]) -> PendingPrompts:
        return cls(PendingPrompt(**data) for data in state.get(SNAPSHOT_KEY, ()))

    def to_data(self) -> list[dict[str, Any]]:
        return [prompt.to_data() for prompt in self._by_contact.values()]

    def fold(self, seq: int, command: Command, output: Outputs) -> None:
        """Journal entry `seq` ran `command` and made `output`."""
        if isinstance(command, _ANSWERS):
            self._by_contact.pop(command.contact_id, None)
        for event in output.events:
            if event.contact_id is not None and event.type in _SETTLED:
                self._by_contact.pop(event.contact_id, None)
        for p in output.prompts:
            self._by_contact[p.contact_id] = PendingPrompt(
                seq, p.at, p.contact_id, p.queue, p.offer, p.reason
            )

    def pending(self, contact_id: str, durable_seq: int) -> PendingPrompt | None:
        """The contact's open prompt, once the command that made it is durable."""
        prompt = self._by_contact.get(contact_id)
        return prompt if prompt is not None and prompt.seq <= durable_seq else None
