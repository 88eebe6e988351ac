"""Why a filtered question found no contacts: an unknown queue, or a period outside the records.

A report over nothing is a table of zeros, which reads like a quiet day. When
`--queue` or `--from`/`--to` selected no contact, a front end says which
filter did it, and what the records hold instead.
"""

from __future__ import annotations

from callboard.kpi.questions import KpiQuestion
from callboard.kpi.report import KpiReport
from callboard.kpi.source import Selection, Source, open_records


def why_empty(records: Source, question: KpiQuestion, report: KpiReport) -> str | None:
    """The reason `question`'s filters matched no contact; None if some matched or none filtered."""
    filtered = bool(question.queues) or question.start is not None or question.end is not None
    if not filtered or any(row.get("offered") for row in report.rows):
        return None
    with open_records(records) as connection:
        known = [
            queue for (queue,) in connection.execute(
                "SELECT DISTINCT queue FROM records WHERE outcome <> 'phantom' ORDER BY queue"
            ).fetchall()
        ]  # fmt: skip
        unknown = [queue for queue in question.queues if queue not in known]
        if unknown:
            listed = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
            names = ", ".join(repr(queue) for queue in unknown)
            return f"no queue {names} in the records (queues: {listed or 'none'})"
        selection = Selection(queues=list(question.queues) or None)
        conditions, params = selection.conditions()
        where = " AND ".join(["outcome <> 'phantom'", *conditions])
        first, last = connection.execute(
            f"SELECT min(local_time), max(local_time) FROM records WHERE {where}", params
        ).fetchone() or (None, None)
    if first is None:
        return "the records hold no contacts for the selected queues"
    period = f"from {question.start or 'the start'} to {question.end or 'the end'}"
    return (
        f"no contacts entered the queue {period}; the records run from "
        f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} (the center's clock)"
    )
