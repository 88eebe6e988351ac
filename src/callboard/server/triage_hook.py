"""Triage on arrival: every contact and case gets a suggested category, confidence and priority.

One hook per creation path, both at the bottom of it, so every way in takes
them (the contacts API, the widget, the PBX bridge, e-mail intake, a
messenger bridge): `LiveCenter.admission` rewrites each `Arrive` before it is
applied and journaled, so the raised priority places the contact in its
priority class before it queues, and a replay after a restart reads the same
command back rather than classifying again; `CaseStore.on_open` fills a new
case's category and raises its priority before its row is written.

The suggestion travels in the contact's attributes (`triage_category`,
`triage_confidence`, `triage_priority`, `triage_rule`: the agent's offer and
`GET /api/v1/contacts/{id}` show them); a caller's own attributes of those
names are dropped. A contact whose attributes hold no request text
(`callboard.triage.TEXT_ATTRIBUTES`) is otherwise left as it came.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from callboard.engine import Arrive, Command
from callboard.server.live import LiveCenter
from callboard.store import CaseStore
from callboard.triage import SUGGESTED, Triage, request_text
from callboard.workspace import Workspace


class ArrivalTriage:
    def __init__(self, triage: Triage) -> None:
        self.triage = triage

    def admit(self, command: Command) -> Command:
        """The `Arrive` with the suggestion among its attributes and its priority raised."""
        if not isinstance(command, Arrive):
            return command
        # Only triage writes its attributes: what a caller sent under those names goes.
        attributes = {
            k: v for k, v in (command.attributes or {}).items() if not k.startswith(SUGGESTED)
        }
        text = request_text(attributes)
        priority = command.priority
        if text:
            suggestion = self.triage.suggest(text, priority)
            attributes.update(suggestion.attributes())
            priority = suggestion.priority
        elif attributes == (command.attributes or {}):
            return command
        return Arrive(command.contact_id, command.queue, priority, command.caller, attributes)

    def open_case(self, values: Mapping[str, Any]) -> Mapping[str, Any]:
        """A new case's row with the suggested category where none was given (or only its
        queue's name, as a voicemail's case has) and its priority raised."""
        text = str(values.get("notes") or "")
        if not text.strip():
            return values
        suggestion = self.triage.suggest(text, int(values.get("priority") or 0))
        category = values.get("category")
        if suggestion.category is not None and category in (None, "", values.get("queue")):
            category = suggestion.category
        return {**values, "category": category, "priority": suggestion.priority}


def install(
    live: LiveCenter | None, cases: CaseStore, triage: Triage | None, workspace: Workspace | None
) -> Triage:
    """Wire triage into the live center and the case store; None: the default rules with
    the workspace's model, if one was trained (`callboard triage train`)."""
    if triage is None:
        triage = Triage.open(None if workspace is None else workspace.root)
    hook = ArrivalTriage(triage)
    if live is not None:
        live.admission = hook.admit
    cases.on_open = hook.open_case
    return triage
