"""Cases in the store: every change and its audit entry commit in one transaction.

SLA policies are chosen per case by category first, then queue, then a
default, because a "gas leak" category must keep its one-hour target whatever
line the caller rang.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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

from callboard.cases import SlaPolicy, SlaState, check_transition, evaluate_sla
from callboard.domain import CaseStatus
from callboard.errors import BadInput
from callboard.store.schema import case_events, cases
from callboard.store.times import aware, utc

EDITABLE = ("caller", "category", "queue", "region", "priority", "outcome", "assignee")


class CaseNotFound(BadInput):
    """No case has that number (or the caller may not see it)."""


@dataclass(frozen=True)
class SlaPolicies:
    by_category: Mapping[str, SlaPolicy] = field(default_factory=dict)
    by_queue: Mapping[str, SlaPolicy] = field(default_factory=dict)
    default: SlaPolicy | None = None

    def for_case(self, category: str | None, queue: str | None) -> SlaPolicy | None:
        if category is not None and category in self.by_category:
            return self.by_category[category]
        if queue is not None and queue in self.by_queue:
            return self.by_queue[queue]
        return self.default


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
        self.policies = policies or SlaPolicies()

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
        at = utc(at)
        values = {
            "opened_at": at, "updated_at": at, "caller": caller, "category": category,
            "queue": queue, "region": region, "priority": priority,
            "status": CaseStatus.NEW.value, "outcome": None, "notes": notes,
            "assignee": assignee, "contact_ids": list(contact_ids), "pending_spans": [],
            "escalations": [],
        }  # fmt: skip
        with self.engine.begin() as conn:
            case_id = conn.execute(insert(cases).returning(cases.c.id), values).scalar_one()
            created = {k: v for k, v in values.items() if k not in ("opened_at", "updated_at")}
            _audit(conn, case_id, at, actor, "opened", created)
        return self.get(int(case_id), now=at)

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
                note = f"[{at.isoformat()} {actor}] {changes['notes']}"
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

    def escalate_due(self, now: datetime, *, actor: str = "sla") -> list[tuple[int, str]]:
        """Mark each target that has fallen due once, with an audit entry; returns what fired."""
        now = utc(now)
        fired: list[tuple[int, str]] = []
        open_statuses = [s.value for s in (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.PENDING)]
        with self.engine.begin() as conn:
            rows = conn.execute(select(cases).where(cases.c.status.in_(open_statuses))).mappings()
            for row in list(rows):
                state = self._sla(row, now)
                if state is None:
                    continue
                due = []
                if state.first_response_breached and row["first_response_at"] is None:
                    due.append("first_response")
                if state.resolution_breached:
                    due.append("resolution")
                new = [d for d in due if d not in row["escalations"]]
                if not new:
                    continue
                conn.execute(
                    update(cases)
                    .where(cases.c.id == row["id"])
                    .values(escalations=[*row["escalations"], *new], updated_at=now)
                )
                for target in new:
                    _audit(conn, row["id"], now, actor, "escalated", {"target": target})
                    fired.append((int(row["id"]), target))
        return fired

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

    def history(self, case_id: int) -> list[dict[str, Any]]:
        query = select(case_events).where(case_events.c.case_id == case_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(case_events.c.seq)).mappings()
            return [
                {"at": r["at"].isoformat(), "actor": r["actor"], "action": r["action"],
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
        view = {k: (aware(v).isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
        policy = self.policies.for_case(row["category"], row["queue"])
        state = self._sla(row, now)
        view["sla"] = None if state is None or policy is None else {
            "policy": policy.as_dict(), **state.as_dict()
        }  # fmt: skip
        return view


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
        pattern = f"%{where.text}%"
        conditions.append(or_(cases.c.notes.ilike(pattern), cases.c.outcome.ilike(pattern)))
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
