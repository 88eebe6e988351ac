"""Cases in the store: every change and its audit entry commit in one transaction.

SLA policies are chosen per case by category first, then queue, then a
default (`SlaPolicies`). Every time read back is in the center's zone, with
its offset. An escalation fires once per target: the target joins the case's
`escalations` in the same transaction as its `escalated` history entry and
its effects (priority, assignee), under the row's lock. The entry lists the
channels still to tell; each delivery adds a `notified` entry, so a restart
finds what was fired and not yet told (`unnotified`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    RowMapping,
    Select,
    Text,
    and_,
    cast,
    insert,
    or_,
    select,
    update,
)

from callboard.cases import TARGETS, OnBreach, SlaState, check_transition, evaluate_sla
from callboard.cases import SlaPolicies as SlaPolicies  # what a CaseStore runs, for store's users
from callboard.domain import CaseStatus
from callboard.errors import BadInput
from callboard.store.schema import case_events, cases
from callboard.store.times import aware, utc

EDITABLE = ("caller", "category", "queue", "region", "priority", "outcome", "assignee")
OPEN = tuple(s.value for s in (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.PENDING))
TIMES = ("opened_at", "updated_at", "first_response_at", "resolved_at", "closed_at")


class CaseNotFound(BadInput):
    """No case has that number (or the caller may not see it)."""


@dataclass(frozen=True)
class Escalation:
    """A target that fell due, as fired: what the notices say and whom they still go to."""

    case_id: int
    target: str
    at: datetime
    due: datetime | None
    queue: str | None
    category: str | None
    priority: int
    assignee: str | None
    notify: str | None  # the policy's e-mail address for this breach
    channels: tuple[str, ...]  # notifiers not yet told

    def changes(self, zone: ZoneInfo) -> dict[str, Any]:
        return {
            "target": self.target, "due": _shown(self.due, zone), "queue": self.queue,
            "category": self.category, "priority": self.priority, "assignee": self.assignee,
            "notify": self.notify, "channels": list(self.channels),
        }  # fmt: skip


# Which notifiers an escalation with this action goes to (the SMTP one needs an address).
Channels = Callable[[OnBreach], Sequence[str]]


@dataclass(frozen=True)
class CaseFilter:
    status: Sequence[CaseStatus] = ()
    category: str | None = None
    caller: str | None = None
    assignee: str | None = None
    queue: str | None = None
    # Cases linking this contact id (a case may link several contacts).
    contact_id: str | None = None
    text: str | None = None
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    limit: int = 100
    offset: int = 0


class CaseStore:
    def __init__(self, engine: Engine, policies: SlaPolicies | None = None) -> None:
        self.engine = engine
        self.policies = policies if policies is not None else SlaPolicies()
        self.zone = ZoneInfo(self.policies.timezone)
        # Cases written since the SLA clock last asked (`take_touched`); None: all of them.
        self._touched: set[int] | None = None
        self._touched_lock = threading.Lock()
        # Suggests a new case's category and priority before its row is written
        # (server/triage_hook.py); None: the row goes in as given.
        self.on_open: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None

    def take_touched(self) -> set[int] | None:
        """The cases written through this store since the last call; None the first time,
        which means every case."""
        with self._touched_lock:
            touched, self._touched = self._touched, set()
        return touched

    def _touch(self, case_id: int) -> None:
        with self._touched_lock:
            if self._touched is not None:
                self._touched.add(case_id)

    # -- writing ---------------------------------------------------------------

    def open(
        self,
        *,
        at: datetime,
        actor: str,
        caller: str | None = None,
        category: str | None = None,
        queue: str | None = None,
        region: str | None = None,
        priority: int = 0,
        assignee: str | None = None,
        notes: str = "",
        contact_ids: Sequence[str] = (),
    ) -> dict[str, Any]:
        values = new_case(
            at, caller=caller, category=category, queue=queue, region=region,
            priority=priority, assignee=assignee, notes=notes, contact_ids=contact_ids,
        )  # fmt: skip
        with self.engine.begin() as conn:
            case_id = self.open_in(conn, values, actor=actor)
        return self.get(case_id, now=utc(at))

    def open_in(self, conn: Connection, values: Mapping[str, Any], *, actor: str) -> int:
        """Insert a `new_case` row inside the caller's transaction, so a record it comes
        from (an e-mail, store/mail.py) commits with it; returns its number."""
        if self.on_open is not None:
            values = self.on_open(values)
        case_id = int(conn.execute(insert(cases).returning(cases.c.id), values).scalar_one())
        created = {k: v for k, v in values.items() if k not in ("opened_at", "updated_at")}
        _audit(conn, case_id, values["opened_at"], actor, "opened", created)
        self._touch(case_id)
        return case_id

    def update(
        self, case_id: int, *, at: datetime, actor: str, changes: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Apply field edits, a status change and appended notes, validated together."""
        at = utc(at)
        unknown = set(changes) - {*EDITABLE, "status", "notes"}
        if unknown:
            raise BadInput(f"cannot change {', '.join(sorted(unknown))}; editable: {EDITABLE}")
        with self.engine.begin() as conn:
            row = _lock(conn, case_id)
            values: dict[str, Any] = {k: v for k, v in changes.items() if k in EDITABLE}
            diff: dict[str, Any] = {k: [row[k], v] for k, v in values.items() if row[k] != v}
            if changes.get("notes"):
                note = f"[{_shown(at, self.zone)} {actor}] {changes['notes']}"
                values["notes"] = f"{row['notes']}\n{note}".strip()
                diff["note"] = changes["notes"]
            if "status" in changes:
                status = CaseStatus(changes["status"])
                current = CaseStatus(row["status"])
                check_transition(current, status)
                if status != current:
                    values.update(_status_effects(row, status, at))
                    diff["status"] = [current.value, status.value]
            if not diff:
                return self.get(case_id, now=at)
            values["updated_at"] = at
            conn.execute(update(cases).where(cases.c.id == case_id).values(**values))
            _audit(conn, case_id, at, actor, "updated", diff)
        self._touch(case_id)
        return self.get(case_id, now=at)

    def respond(self, case_id: int, *, at: datetime, actor: str, message: str) -> dict[str, Any]:
        """An agent's reply to the caller; the first one stops the first-response clock."""
        at = utc(at)
        with self.engine.begin() as conn:
            row = _lock(conn, case_id)
            values: dict[str, Any] = {"updated_at": at}
            if row["first_response_at"] is None:
                values["first_response_at"] = at
            if row["status"] == CaseStatus.NEW.value:
                values["status"] = CaseStatus.OPEN.value
            conn.execute(update(cases).where(cases.c.id == case_id).values(**values))
            _audit(conn, case_id, at, actor, "responded", {"message": message})
        self._touch(case_id)
        return self.get(case_id, now=at)

    def link_contact(self, case_id: int, contact_id: str, *, at: datetime, actor: str) -> None:
        at = utc(at)
        with self.engine.begin() as conn:
            row = _lock(conn, case_id)
            if contact_id in row["contact_ids"]:
                return
            linked = [*row["contact_ids"], contact_id]
            conn.execute(
                update(cases).where(cases.c.id == case_id).values(contact_ids=linked, updated_at=at)
            )
            _audit(conn, case_id, at, actor, "linked", {"contact_id": contact_id})
        self._touch(case_id)

    def rate(
        self, case_id: int, *, score: int, comment: str = "", at: datetime, actor: str
    ) -> dict[str, Any]:
        """CSAT on a 1-5 scale, once the case is resolved: a survey before the fix means little."""
        at = utc(at)
        if not 1 <= score <= 5:
            raise BadInput(f"CSAT score must be a whole number from 1 to 5, got {score}")
        with self.engine.begin() as conn:
            row = _lock(conn, case_id)
            if row["status"] not in (CaseStatus.RESOLVED.value, CaseStatus.CLOSED.value):
                raise BadInput(f"case {case_id} is {row['status']}; rate it once it is resolved")
            conn.execute(
                update(cases)
                .where(cases.c.id == case_id)
                .values(csat_score=score, csat_comment=comment, updated_at=at)
            )
            _audit(conn, case_id, at, actor, "rated", {"score": score, "comment": comment})
        return self.get(case_id, now=at)

    def escalate_due(
        self,
        now: datetime,
        *,
        ids: Sequence[int] | None = None,
        actor: str = "sla",
        channels: Channels = lambda _: (),
    ) -> list[Escalation]:
        """Fire each target that has fallen due, once: the history entry, the policy's
        effects and the channels still to tell commit together under the row's lock.
        `ids` narrows the cases looked at (the SLA clock knows which are due)."""
        now = utc(now)
        query = select(cases.c.id).where(cases.c.status.in_(OPEN))
        if ids is not None:
            query = query.where(cases.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            candidates = [int(i) for i in conn.execute(query.order_by(cases.c.id)).scalars()]
        fired: list[Escalation] = []
        for case_id in candidates:
            with self.engine.begin() as conn:
                fired.extend(self._escalate(conn, _lock(conn, case_id), now, actor, channels))
        return fired

    def _escalate(
        self, conn: Connection, row: RowMapping, now: datetime, actor: str, channels: Channels
    ) -> list[Escalation]:
        policy = self.policies.for_case(row["category"], row["queue"])
        state = self._sla(row, now)
        if policy is None or state is None or row["status"] not in OPEN:
            return []
        fired = []
        priority, assignee = int(row["priority"]), row["assignee"]
        for target in _breached(row, state):
            action = policy.breach(target)
            before = {"priority": priority, "assignee": assignee}
            if action.priority is not None:
                priority = max(priority, action.priority)
            assignee = action.assign_to or assignee
            escalation = Escalation(
                int(row["id"]), target, now, _due(state, target), row["queue"], row["category"],
                priority, assignee, action.notify, tuple(channels(action)),
            )  # fmt: skip
            changes = escalation.changes(self.zone)
            changes["effects"] = {k: [v, changes[k]] for k, v in before.items() if v != changes[k]}
            _audit(conn, row["id"], now, actor, "escalated", changes)
            fired.append(escalation)
        if fired:
            done = [*row["escalations"], *(e.target for e in fired)]
            conn.execute(
                update(cases).where(cases.c.id == row["id"]).values(
                    escalations=done, priority=priority, assignee=assignee, updated_at=now
                )
            )  # fmt: skip
        return fired

    def notified(
        self, escalation: Escalation, channel: str, *, at: datetime, error: str | None = None
    ) -> None:
        """Record one delivery (or, with `error`, one failed try) of an escalation."""
        changes: dict[str, Any] = {"target": escalation.target, "channel": channel}
        if error is not None:
            changes["error"] = error
        with self.engine.begin() as conn:
            action = "notified" if error is None else "notify_failed"
            _audit(conn, escalation.case_id, utc(at), "sla", action, changes)

    def unnotified(self, since: datetime) -> list[Escalation]:
        """Escalations fired since `since` that some channel has not been told of: what a
        crash between firing and notifying left behind."""
        query = (
            select(case_events)
            .where(case_events.c.action.in_(("escalated", "notified")))
            .where(case_events.c.at >= utc(since))
            .order_by(case_events.c.seq)
        )
        fired: dict[tuple[int, str], Escalation] = {}
        told: set[tuple[int, str, str]] = set()
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                key = (int(row["case_id"]), str(row["changes"]["target"]))
                if row["action"] == "notified":
                    told.add((*key, row["changes"]["channel"]))
                else:
                    fired[key] = _escalation(key, aware(row["at"]), row["changes"])
        pending = []
        for key, escalation in fired.items():
            left = tuple(c for c in escalation.channels if (*key, c) not in told)
            if left:
                pending.append(Escalation(**{**escalation.__dict__, "channels": left}))
        return pending

    def due_times(self, now: datetime, ids: Sequence[int] | None = None) -> dict[int, datetime]:
        """When each open case (of `ids`, or all) next has a target to fire; a case with
        nothing left (responded, paused, escalated, no policy) is left out."""
        now = utc(now)
        query = select(cases).where(cases.c.status.in_(OPEN))
        if ids is not None:
            query = query.where(cases.c.id.in_(list(ids)))
        due: dict[int, datetime] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                # Skip cases with nothing left to fire before the (costlier) SLA arithmetic.
                state = self._sla(row, now) if _pending(row) else None
                if state is None:
                    continue
                # A target breached while paused has no due time: it is due now.
                breached = set(_breached(row, state))
                times = [_due(state, t) or (now if t in breached else None) for t in _pending(row)]
                known = [t for t in times if t is not None]
                if known:
                    due[int(row["id"])] = min(known)
        return due

    # -- reading ---------------------------------------------------------------

    def get(self, case_id: int, *, now: datetime) -> dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
        if row is None:
            raise CaseNotFound(f"no case {case_id}")
        return self._view(row, now)

    def search(self, where: CaseFilter, *, now: datetime) -> list[dict[str, Any]]:
        query = _filtered(select(cases), where).order_by(cases.c.id.desc())
        query = query.limit(where.limit).offset(where.offset)
        with self.engine.connect() as conn:
            rows = list(conn.execute(query).mappings())
        return [self._view(row, now) for row in rows]

    def escalated(self, *, now: datetime, limit: int = 50) -> list[dict[str, Any]]:
        """Open cases that have escalated at least once, most recently changed first."""
        fired = cast(cases.c.escalations, Text) != "[]"
        query = select(cases).where(cases.c.status.in_(OPEN), fired)
        query = query.order_by(cases.c.updated_at.desc(), cases.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            rows = list(conn.execute(query).mappings())
        return [self._view(row, now) for row in rows]

    def shown(self, value: datetime | None) -> str | None:
        """A time as this store returns it: in the center's zone, with its offset."""
        return _shown(value, self.zone)

    def history(self, case_id: int) -> list[dict[str, Any]]:
        query = select(case_events).where(case_events.c.case_id == case_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(case_events.c.seq)).mappings()
            return [
                {"at": _shown(r["at"], self.zone), "actor": r["actor"], "action": r["action"],
                 "changes": r["changes"]}
                for r in rows
            ]  # fmt: skip

    def _sla(self, row: RowMapping, now: datetime) -> SlaState | None:
        policy = self.policies.for_case(row["category"], row["queue"])
        if policy is None:
            return None
        return evaluate_sla(
            policy,
            opened_at=aware(row["opened_at"]),
            now=now,
            first_response_at=_maybe_aware(row["first_response_at"]),
            resolved_at=_maybe_aware(row["resolved_at"]),
            pending_spans=[
                (datetime.fromisoformat(s), datetime.fromisoformat(e) if e else None)
                for s, e in row["pending_spans"]
            ],
        )

    def _view(self, row: RowMapping, now: datetime) -> dict[str, Any]:
        view = dict(row)
        for key in TIMES:
            view[key] = _shown(row[key], self.zone)
        view["pending_spans"] = [
            [_shown(datetime.fromisoformat(t), self.zone) if t else None for t in span]
            for span in row["pending_spans"]
        ]
        policy = self.policies.for_case(row["category"], row["queue"])
        state = self._sla(row, now)
        view["sla"] = None if state is None or policy is None else {
            "policy": policy.as_dict(), **state.as_dict(self.zone)
        }  # fmt: skip
        return view


def new_case(
    at: datetime, *, caller: str | None = None, category: str | None = None,
    queue: str | None = None, region: str | None = None, priority: int = 0,
    assignee: str | None = None, notes: str = "", contact_ids: Sequence[str] = (),
) -> dict[str, Any]:  # fmt: skip
    """The row of a case opened at `at`, new, with nothing fired or paused yet."""
    at = utc(at)
    return {
        "opened_at": at, "updated_at": at, "caller": caller, "category": category,
        "queue": queue, "region": region, "priority": priority,
        "status": CaseStatus.NEW.value, "outcome": None, "notes": notes,
        "assignee": assignee, "contact_ids": list(contact_ids), "pending_spans": [],
        "escalations": [],
    }  # fmt: skip


def _filtered(query: Select[Any], where: CaseFilter) -> Select[Any]:
    conditions: list[ColumnElement[bool]] = []
    if where.status:
        conditions.append(cases.c.status.in_([CaseStatus(s).value for s in where.status]))
    for column in ("category", "caller", "assignee", "queue"):
        value = getattr(where, column)
        if value is not None:
            conditions.append(cases.c[column] == value)
    if where.contact_id is not None:
        # `contact_ids` is a JSON array on both databases; its text holds each id
        # JSON-encoded, quotes included, so the quoted id matches that element only.
        # One portable predicate instead of SQLite json_each and PostgreSQL jsonb operators.
        linked = cast(cases.c.contact_ids, Text)
        conditions.append(linked.contains(json.dumps(where.contact_id), autoescape=True))
    if where.text:
        # autoescape: `%` and `_` in the text match themselves, not any characters.
        found = (cases.c[c].icontains(where.text, autoescape=True) for c in ("notes", "outcome"))
        conditions.append(or_(*found))
    if where.opened_from is not None:
        conditions.append(cases.c.opened_at >= where.opened_from)
    if where.opened_to is not None:
        conditions.append(cases.c.opened_at < where.opened_to)
    return query.where(and_(*conditions)) if conditions else query


def _lock(conn: Connection, case_id: int) -> RowMapping:
    """Read the row for update; on PostgreSQL this serialises concurrent edits of one case."""
    query = select(cases).where(cases.c.id == case_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    if row is None:
        raise CaseNotFound(f"no case {case_id}")
    return row


def _status_effects(row: RowMapping, status: CaseStatus, at: datetime) -> dict[str, Any]:
    """Timestamps and SLA pauses that follow from entering `status`."""
    spans = [list(span) for span in row["pending_spans"]]
    if spans and spans[-1][1] is None:
        spans[-1][1] = at.isoformat()  # leaving pending: the clock runs again
    if status == CaseStatus.PENDING:
        spans.append([at.isoformat(), None])
    effects: dict[str, Any] = {"status": status.value, "pending_spans": spans}
    if status == CaseStatus.RESOLVED:
        effects["resolved_at"] = at
    elif status == CaseStatus.OPEN and row["status"] == CaseStatus.RESOLVED.value:
        effects["resolved_at"] = None  # reopened: resolution time counts on
    elif status == CaseStatus.CLOSED:
        effects["closed_at"] = at
    return effects


def _audit(
    conn: Connection, case_id: int, at: datetime, actor: str, action: str, changes: dict[str, Any]
) -> None:
    conn.execute(
        insert(case_events),
        {"case_id": case_id, "at": at, "actor": actor, "action": action, "changes": changes},
    )


def _maybe_aware(value: datetime | None) -> datetime | None:
    return None if value is None else aware(value)


def _shown(value: datetime | None, zone: ZoneInfo) -> str | None:
    """A time as the API returns it: in the center's zone, with its offset."""
    return None if value is None else aware(value).astimezone(zone).isoformat()


def _pending(row: RowMapping) -> list[str]:
    """The targets this case may still escalate: first response only until answered."""
    done = set(row["escalations"])
    return [
        t for t in TARGETS
        if t not in done and (t != "first_response" or row["first_response_at"] is None)
    ]  # fmt: skip


def _breached(row: RowMapping, state: SlaState) -> list[str]:
    breached = {
        "first_response": state.first_response_breached,
        "resolution": state.resolution_breached,
    }
    return [t for t in _pending(row) if breached[t]]


def _due(state: SlaState, target: str) -> datetime | None:
    return state.first_response_due if target == "first_response" else state.resolution_due


def _escalation(key: tuple[int, str], at: datetime, changes: Mapping[str, Any]) -> Escalation:
    due = changes.get("due")
    return Escalation(
        key[0], key[1], at, None if due is None else datetime.fromisoformat(due),
        changes.get("queue"), changes.get("category"), int(changes.get("priority", 0)),
        changes.get("assignee"), changes.get("notify"), tuple(changes.get("channels", ())),
    )  # fmt: skip
