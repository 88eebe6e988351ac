"""What the desk taught: agents' corrections, and the case history the model retrains from.

A correction is an audit row in `events` (`triage.correction`, like the surge
timeline's rows): the request's text, the category suggested and the one the
agent chose. Retraining reads every case with a category (its notes and the
caller's first chat message) and then the corrections, which replace what a
case or an earlier correction of the same request said.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from callboard.store import AuditRow, CaseFilter, CaseStore, ChatStore, EventLog
from callboard.triage.labelled import Example

CORRECTION = "triage.correction"
_PAGE = 500


@dataclass(frozen=True, slots=True)
class Correction:
    text: str
    suggested: str | None
    category: str
    actor: str
    at: float  # epoch seconds
    case_id: int | None = None
    contact_id: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text, "suggested": self.suggested, "category": self.category,
            "actor": self.actor, "at": self.at, "case_id": self.case_id,
            "contact_id": self.contact_id,
        }  # fmt: skip

    def key(self) -> str:
        """Which request this corrects: its case, its contact, or its text."""
        if self.case_id is not None:
            return f"case:{self.case_id}"
        return f"contact:{self.contact_id}" if self.contact_id else f"text:{self.text}"


class Corrections:
    def __init__(self, engine: Engine) -> None:
        self.log = EventLog(engine)

    def record(self, correction: Correction) -> None:
        """Committed when this returns."""
        self.log.append_audit([AuditRow(CORRECTION, correction.at, None, correction.as_dict())])

    def all(self) -> list[Correction]:
        """Oldest first."""
        return [Correction(**row.data) for row in self.log.audit(CORRECTION)]


@dataclass(frozen=True)
class History:
    examples: list[Example]
    cases: int
    corrections: int


def read_history(engine: Engine) -> History:
    """Labelled requests from the store: cases with a category, then corrections on top."""
    found: dict[str, Example] = {}
    chat = ChatStore(engine)
    for case in _cases(CaseStore(engine)):
        text = _case_text(case, chat)
        if case["category"] and text:
            found[f"case:{case['id']}"] = Example(text, str(case["category"]))
    cases = len(found)
    corrections = Corrections(engine).all()
    for correction in corrections:
        found[correction.key()] = Example(correction.text, correction.category)
    return History(list(found.values()), cases, len(corrections))


def _cases(store: CaseStore) -> Iterator[dict[str, object]]:
    now = datetime.now(UTC)
    offset = 0
    while page := store.search(CaseFilter(limit=_PAGE, offset=offset), now=now):
        yield from page
        offset += _PAGE


def _case_text(case: dict[str, object], chat: ChatStore) -> str:
    """The case's notes and what its caller wrote first in each linked chat."""
    parts = [str(case["notes"] or "")]
    for contact_id in case["contact_ids"] or []:  # type: ignore[attr-defined]
        first = next((m for m in chat.after(str(contact_id)) if m["sender"] == "caller"), None)
        if first is not None:
            parts.append(first["body"])
    return "\n".join(p for p in parts if p.strip())
