"""Builds anonymous-bank rows for tests, starting from a real row of the January file."""

from __future__ import annotations

from callboard.records.anonymous_bank import FIELDS

HEADER = "\t".join(FIELDS)
REAL_ROW = {
    "vru+line": "AA0101", "call_id": "33118", "customer_id": "27997683", "priority": "2",
    "type": "PS", "date": "990101", "vru_entry": "6:55:20", "vru_exit": "6:55:26",
    "vru_time": "6", "q_start": "6:55:26", "q_exit": "6:55:43", "q_time": "17",
    "outcome": "AGENT", "ser_start": "6:55:43", "ser_exit": "6:56:37", "ser_time": "54",
    "server": "MICHAL",
}  # fmt: skip


def row(**changes: str) -> str:
    """A tab-separated row; keyword names use `_` for `+` (vru_line)."""
    values = dict(REAL_ROW)
    for key, value in changes.items():
        values[key.replace("vru_line", "vru+line")] = value
    return "\t".join(values[f] for f in FIELDS)
