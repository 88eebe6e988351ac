"""docs/kpi.md, the metric dictionary a clone of the repository carries, written from the registry.

The prose (counting rules, the adopted table, the rules) is the project's adopted
dictionary, `shared/KPI.md`, word for word; the tables of what `callboard kpi`
computes come from `KPIS`, `UNAVAILABLE` and the agent-state definitions, so the
document cannot drift from the code: `tests/kpi/test_dictionary_doc.py` compares
the file with `dictionary_markdown()`, and `make docs` rewrites it.

    python -m callboard.kpi.dictionary_doc > docs/kpi.md
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from callboard.kpi.definitions import (
    DEFAULT_SHORT_ABANDON,
    DEFAULT_SL_THRESHOLD,
    KPIS,
    UNAVAILABLE,
)
from callboard.kpi.occupancy import OCCUPANCY_DEFINITIONS

_INTRO = """\
# Metric dictionary

This is Callboard's metric dictionary: the definitions Callboard adopts. Code
comments and docstrings that cite "KPI.md" mean this file.

<!-- Generated from src/callboard/kpi/definitions.py by `make docs`
     (python -m callboard.kpi.dictionary_doc > docs/kpi.md); do not edit by hand. -->

Tools in this field compute "service level" in at least five incompatible ways
and rarely say which one they use. Callboard defines each KPI once. Where the
industry disagrees, it offers named variants, and it prints the definition name
next to every figure: in reports, the API, the CLI and charts.
"""

# shared/KPI.md's counting symbols and adopted table, cell for cell.
_SYMBOLS = (
    ("**O**", "offered = A + Ab + X"),
    ("**A**", "answered by an agent"),
    ("**Ab**", "the caller left while queued. **Ab_s** is a short abandon (wait < S, default "
               "5 s); **Ab_l** is the rest"),
    ("**X**", "system exits: timeout, exit key, leave-empty, overflow"),
    ("**B**", "blocked before queueing (queue full, join-empty, closed). Reported, but not "
              "part of O"),
    ("**CB**", "callback requested. The contact keeps its place, and is counted as answered "
               "when the callback connects"),
)  # fmt: skip
_ADOPTED = (
    ("Service level", "`sl` = A(wait ≤ T) / (O − Ab_s)",
     "`sl_answered` = A(≤T)/A (Wazo, Asternic); `sl_offered` = A(≤T)/O; `sl_late_abandons` = "
     "A(≤T)/(A + Ab(>T)); `sl_met` = [A(≤T) + Ab(≤T)]/(A + Ab)"),
    ("ASA", "`asa` = Σ wait(answered) / A; wait = queue entry → answer",
     "median and p90 of the answered wait"),
    ("Average wait", "`avg_wait` = Σ wait(A ∪ Ab ∪ X) / (A + Ab + X)", "—"),
    ("Average abandon time", "`avg_abandon_time` = Σ wait(Ab) / Ab", "over Ab_l only"),
    ("Abandon rate", "`abandon_rate` = Ab / O",
     "`abandon_rate_excl_short` = (Ab − Ab_s)/(O − Ab_s). Never divide by A"),
    ("Answer rate", "`answer_rate` = A / O", "—"),
    ("Longest wait",
     "the largest wait in the period; live, the age of the oldest waiting contact", "—"),
    ("AHT", "`aht` = (talk + hold + ACW) / handled", "`talk_time` alone"),
    ("Occupancy", "`occupancy` = handle time / (handle time + ready-idle time)", "—"),
    ("Utilization", "`utilization` = handle time / logged-in time", "—"),
    ("Shrinkage", "1 − (ready + handling time) / scheduled paid time; planned (break, "
                  "training, meeting) and unplanned", "—"),
    ("Callback", "requested, accept rate, success rate, time to callback (median, p90), "
                 "attempts per success", "—"),
    ("Overflow share", "contacts sent to another queue or site / O", "—"),
    ("First response (cases)", "first agent reply − created, in business minutes",
     "calendar minutes"),
    ("Resolution (cases)", "resolved − created, minus paused time",
     "first versus final resolution"),
    ("FCR", "resolved contacts with no repeat contact from the same caller and category "
            "within N days (default 7) / resolved contacts", "—"),
    ("CSAT", "share of 4–5 answers on a 1–5 scale", "mean score"),
)  # fmt: skip

_RULES = """\
## Rules

- A report, API answer or chart that shows a KPI also shows its name, so a
  reader can tell that `sl` is not `sl_answered`.
- Every aggregate leads to its rows: any figure can be drilled into and
  exported as the contact records behind it (CSV or Parquet).
- Time zones and business hours come from one calendar module, used by both
  SLA timers and reports. Interval bounds are half-open, [start, end).
"""


def dictionary_markdown() -> str:
    """The whole of docs/kpi.md: the adopted dictionary, then what the registry computes."""
    sections = [
        _INTRO,
        _counting_rules(),
        "## KPIs\n\n" + _table(("KPI", "primary definition (name)", "variants (names)"), _ADOPTED),
        _registry_section(),
        _agent_state_section(),
        _unavailable_section(),
        _RULES,
    ]
    return "\n".join(sections)


def _counting_rules() -> str:
    header = """\
## Counting rules

Each contact is counted in the interval, queue and channel **where it entered
the queue**.

"""
    footer = """
Set these per queue: T, the service-level threshold (default 20 s); S, the
short-abandon threshold (default 5 s); and the callback window.
"""
    return header + _table(("symbol", "meaning"), _SYMBOLS) + footer


def _registry_section() -> str:
    header = f"""\
## What `callboard kpi` computes from contact records

Every figure of `callboard kpi`, the `/api/v1/reports` API, the reports screen
and `callboard simulate` is one of these, under this name. T and S are the
run's thresholds: T defaults to {DEFAULT_SL_THRESHOLD:g} s (`--sl-threshold`)
and S to {DEFAULT_SHORT_ABANDON:g} s (`--short-abandon`); a report fills in the
values it used. W is the repeat window of `repeat_rate` and `fcr`, 604,800 s
(7 days) unless the report sets it (`--repeat-window`). PHANTOM records are
kept in the dataset but left out of every KPI. A ratio whose denominator is
zero is empty (null), never 0 or NaN.

"""
    rows = (
        (
            f"`{name}`",
            d.formula.format(T="T", S="S", W="W"),
            d.unit,
            _code(d.variant_of),
            d.note or "",
        )
        for name, d in KPIS.items()
    )
    return header + _table(("name", "formula", "unit", "variant of", "note"), rows)


def _agent_state_section() -> str:
    header = """\
## Agent-state KPIs

These need agent-state spans (logins and pauses), which some importers read
beside the contact records (the Asterisk queue_log's agent events). In a
report by agent alone (`callboard kpi --by agent`, or the reports API and
screen by agent) over a workspace with agent-state data they are computed per
agent, and `occupancy` and `utilization` leave the `unavailable` list below;
for a subset of queues (`--queue`) they are not computed, because they are
agent-wide.

"""
    rows = (
        (f"`{name}`", str(d["formula"]), str(d["unit"]), _code(d["variant_of"]), d["note"] or "")
        for name, d in OCCUPANCY_DEFINITIONS.items()
    )
    return header + _table(("name", "formula", "unit", "variant of", "note"), rows)


def _unavailable_section() -> str:
    header = """\
## Not computed from contact records

Every report lists these under `unavailable`, with the reason; they are never
estimated.

"""
    rows = ((f"`{name}`", reason) for name, reason in UNAVAILABLE.items())
    return header + _table(("name", "reason"), rows)


def _code(name: object) -> str:
    return "" if name is None else f"`{name}`"


def _table(header: tuple[str, ...], rows: Iterable[Iterable[object]]) -> str:
    lines = [_row(header), "|" + "---|" * len(header)]
    lines += [_row(row) for row in rows]
    return "\n".join(lines) + "\n"


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"


if __name__ == "__main__":
    sys.stdout.write(dictionary_markdown())
