"""Which status changes a case may make, and why others are refused."""

from __future__ import annotations

from callboard.domain import CaseStatus
from callboard.errors import BadInput

S = CaseStatus
# A resolved case may be reopened when the caller comes back; a closed one is
# final, so a repeat contact opens a new case (and counts against FCR).
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.NEW: frozenset({S.OPEN, S.PENDING, S.RESOLVED}),
    S.OPEN: frozenset({S.PENDING, S.RESOLVED}),
    S.PENDING: frozenset({S.OPEN, S.RESOLVED}),
    S.RESOLVED: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset(),
}


class InvalidTransition(BadInput):
    """The requested status change is not allowed from the current status."""


def check_transition(current: CaseStatus, new: CaseStatus) -> None:
    if new == current:
        return
    if new not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none (the case is closed)"
        raise InvalidTransition(f"a {current} case cannot become {new}; allowed: {allowed}")
