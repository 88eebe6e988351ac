"""The surge timeline as messages a screen can put in its own language.

Each entry's `detail` is English for the log; a console in Russian or Chinese needs
the same facts as a catalog key and values instead (`console.words.<...>` in
web/locales). The facts come from the entry's restore data and the plan's steps;
the few numbers the runner keeps only in its English text (how long a trigger
held, how many callers were asked) are read back from it by the patterns below.
Values named `*_s` are durations and `*_at` instants, for the screen to format;
an entry none of this recognises has no words, and the screen shows its detail.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from callboard.surge import (
    ON_THE_LINE,
    AddSupportGroup,
    Announcement,
    CallReserve,
    OfferCallbacks,
    Overflow,
    Plan,
    ReadyReasons,
    Step,
    TimelineEntry,
)

Words = dict[str, Any]  # {"key": catalog key, "values": {name: value}}
HELD = re.compile(r"^(?P<trigger>.*) \(held (?P<held_s>\d+)s\)$")
CLEAR = re.compile(r"^(?P<trigger>.*) clear for (?P<clear_s>\d+)s$")
ASKED = re.compile(r": (?P<asked>\d+) callers asked")
RESTORED = re.compile(r"^(?P<restored>\d+) of (?P<count>\d+) agents restored")
UNDONE = re.compile(r"^(?P<count>\d+) actions undone$")
NOTIFIED = re.compile(r"^(?P<channel>\w+): (?P<person>\S+)")
FAILED = re.compile(r"^(?P<channel>\w+): (?P<error>.*)$")
# The notifiers by class name, as the catalog names their channels.
CHANNELS = {"LogNotifier": "log", "WebhookNotifier": "webhook", "EmailNotifier": "email"}
STEP_NAMES: dict[type, str] = {
    ReadyReasons: "ready_reasons",
    AddSupportGroup: "add_support_group",
    CallReserve: "call_reserve",
    Announcement: "announcement",
    OfferCallbacks: "offer_callbacks",
    Overflow: "overflow",
}


def timeline_words(entries: Sequence[TimelineEntry], plan: Plan) -> list[Words | None]:
    """Words for each entry, in order; an action's later entries (its effect, who was
    notified) are read with the action's step, found by `action_id`."""
    steps: dict[int, tuple[Step, dict[str, Any]]] = {}
    said: list[Words | None] = []
    for entry in entries:
        data = dict(entry.data or {})
        if entry.kind == "action" and entry.action_id is not None:
            step = _step(plan, entry.queue, entry.tier, data.get("step"))
            if step is not None:
                steps[entry.action_id] = (step, data)
        found = steps.get(entry.action_id) if entry.action_id is not None else None
        said.append(_words(entry, data, found, plan))
    return said


def _words(
    entry: TimelineEntry, data: dict[str, Any], found: tuple[Step, dict[str, Any]] | None,
    plan: Plan,
) -> Words | None:  # fmt: skip
    kind, detail, tier = entry.kind, entry.detail, entry.tier
    if kind in ("fired", "cleared", "confirmed", "declined"):
        held = HELD.match(detail) or CLEAR.match(detail)
        if held is None:
            return None
        pattern = "held" if "held_s" in held.groupdict() else "clear"
        return _said(f"{kind}.{pattern}", tier=tier, **_numbers(held))
    if kind == "recommended":
        return _said("recommended.up" if data.get("escalate") else "recommended.down", tier=tier)
    if kind == "stood_down":
        undone = UNDONE.match(detail)
        return None if undone is None else _said("stood_down", tier=tier, **_numbers(undone))
    if found is None:
        return None
    step, action = found
    name = STEP_NAMES[type(step)]
    if kind == "action":
        verb = "undo" if data.get("undo") else "do"
        return _said(f"{verb}.{name}", **_step_values(step, data, plan))
    if kind == "effect":
        return _effect(entry, step, name, action, plan)
    person = data.get("person")
    if kind == "late":
        due = {p: at for p, at in action.get("callouts", [])}.get(person)
        return _said("late", person=_person(plan, person), due_at=due)
    if kind == "released":
        never = "never came" in detail
        return _said("released.never_came" if never else "released", person=_person(plan, person))
    if kind in ("notified", "notify_failed"):
        match = (NOTIFIED if kind == "notified" else FAILED).match(detail)
        if match is None:
            return None
        values = match.groupdict()
        values["channel"] = CHANNELS.get(values["channel"], values["channel"])
        if "person" in values:
            values["person"] = _person(plan, values["person"])
        return _said(kind, **values)
    return None


def _effect(
    entry: TimelineEntry, step: Step, name: str, action: dict[str, Any], plan: Plan
) -> Words | None:
    detail = entry.detail
    if "; refused: " in detail:
        return None  # names what the center refused, which only the detail says
    if detail.endswith(ON_THE_LINE):
        return _said("effect.on_the_line", person=_person(plan, detail.removesuffix(ON_THE_LINE)))
    if action.get("undo"):
        restored = RESTORED.match(detail)
        if restored is not None:
            return _said("effect.restored", **_numbers(restored))
        return _said(f"effect.undo.{name}")
    # The agents it changed, unless the step counts something of its own (people called).
    changes = (entry.data or {}).get("changes") or []
    values = {"count": len(changes), **_step_values(step, action, plan)}
    if isinstance(step, OfferCallbacks):
        asked = ASKED.search(detail)
        values["asked"] = int(asked["asked"]) if asked else 0
    return _said(f"effect.{name}", **values)


def _step_values(step: Step, data: dict[str, Any], plan: Plan) -> dict[str, Any]:
    if isinstance(step, ReadyReasons):
        return {"reasons": list(step.reasons)}
    if isinstance(step, AddSupportGroup):
        return {"group": step.group, "level": step.level}
    if isinstance(step, CallReserve):
        people = [_person(plan, person) for person, _ in data.get("callouts", [])]
        return {"within_s": step.within_s, "count": step.count, "people": people}
    if isinstance(step, Announcement):
        return {"message": step.message}
    if isinstance(step, OfferCallbacks):
        return {"ewt_s": step.ewt_above_s}
    return {"to": step.to, "level": step.level}


def _step(plan: Plan, queue: str, tier: int, index: Any) -> Step | None:
    for planned in plan.queues:
        if planned.queue != queue:
            continue
        for candidate in planned.tiers:
            if candidate.number == tier and isinstance(index, int) and index < len(candidate.steps):
                return candidate.steps[index]
    return None


def _person(plan: Plan, person_id: Any) -> str:
    """A reserve person by name, as the console's reserve table shows them."""
    for person in plan.reserve:
        if person.person_id == person_id:
            return person.name
    return str(person_id)


def _numbers(match: re.Match[str]) -> dict[str, Any]:
    return {k: int(v) if v.isdigit() else v for k, v in match.groupdict().items()}


def _said(key: str, **values: Any) -> Words:
    return {"key": f"console.words.{key}", "values": values}
