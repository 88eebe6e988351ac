"""The event spine folded back into contact records: how a live day becomes records.

The event log, not a journal replay, is the input: it already holds every
outcome, and reading it needs no engine. Each contact's events rebuild the
fields the engine held for it, and `to_record` turns them into the record a
simulation would have written for the same contact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from callboard.domain import ContactRecord, Event, EventType
from callboard.records.finished import to_record

# The arrival attributes the event log keeps (the engine's arrival event carries
# neither): what incident reports and `kpi --by region/category` break down by.
ARRIVAL_TAGS = ("region", "category")

_FINAL: dict[str, str] = {
    EventType.CONTACT_ABANDONED: "abandoned",
    EventType.CONTACT_EXITED: "exited",
    EventType.CONTACT_BLOCKED: "blocked",
}


@dataclass(slots=True)
class _Folded:
    """A contact as its events so far describe it (a `FinishedContact` once it left)."""

    contact_id: str
    queue: str
    arrived_at: float
    priority: int
    channel: str
    caller: str | None
    queued_at: float
    attributes: dict[str, str] | None = None
    queued: bool = False
    callback: bool = False
    agent_id: str | None = None
    offered_at: float | None = None
    answered_at: float | None = None
    ended_at: float | None = None
    outcome: str | None = None
    exit_reason: str | None = None
    announced_ewt_s: float | None = None
    announced_by: str | None = None
    acw_s: float | None = None


class ContactFold:
    """Contact events folded into records, `source` naming where they came from.

    `channels` maps each queue to its channel (events do not carry it).
    Contacts that arrived before the first event fed are ignored. Of the
    attributes given on arrival only `region` and `category` are known: the
    journal copies those two into the arrival event (`ARRIVAL_TAGS`).
    `take_ended` hands over the records of contacts that left the center; a
    contact answered and still talking is in `talking`, with its talk time not
    known yet; a contact still waiting has no outcome and is in neither.
    """

    def __init__(self, channels: Mapping[str, str], source: str = "live") -> None:
        self.channels = channels
        self.source = source
        self._open: dict[str, _Folded] = {}
        self._ended: list[_Folded] = []

    def feed(self, event: Event) -> None:
        contact_id, kind = event.contact_id, event.type
        if contact_id is None or event.queue is None:
            return
        data: Mapping[str, Any] = event.data
        if kind == EventType.CONTACT_ARRIVED:
            self._open[contact_id] = _Folded(
                contact_id, event.queue, event.at, data.get("priority", 0),
                self.channels.get(event.queue, "call"), data.get("caller"), event.at,
                {key: str(data[key]) for key in ARRIVAL_TAGS if data.get(key)} or None,
            )  # fmt: skip
            return
        contact = self._open.get(contact_id)
        if contact is None:
            return
        if kind == EventType.CONTACT_QUEUED:
            contact.queued = True
            contact.queued_at = event.at
            if "predictor" in data:
                contact.announced_ewt_s = data["ewt_s"]
                contact.announced_by = data["predictor"]
        elif kind == EventType.CONTACT_OFFERED:
            contact.offered_at = event.at
        elif kind == EventType.CONTACT_ANSWERED:
            contact.answered_at = event.at
            contact.agent_id = event.agent_id
            contact.outcome = "answered"
        elif kind == EventType.CALLBACK_REQUESTED:
            contact.callback = True
        elif kind == EventType.CONTACT_COMPLETED or kind in _FINAL:
            contact.ended_at = event.at
            if kind == EventType.CONTACT_COMPLETED:
                contact.acw_s = data["acw_s"]
            else:
                contact.outcome = _FINAL[kind]
                contact.exit_reason = data.get("reason")
            self._ended.append(self._open.pop(contact_id))

    def take_ended(self) -> list[ContactRecord]:
        ended, self._ended = self._ended, []
        return [to_record(c, self.source) for c in ended]

    def talking(self) -> list[ContactRecord]:
        return [to_record(c, self.source) for c in self._open.values() if c.outcome == "answered"]
