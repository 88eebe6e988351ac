"""The metric dictionary of `shared/KPI.md` as code: one registry, one entry per KPI.

Every figure the engine returns is looked up here by name, so a report can always
print the definition next to the number (`sl` is not `sl_answered`). Each entry
holds the formula as a reader sees it, the KPI it is a variant of, and the SQL
that computes it from the per-group measures in `callboard.kpi.measures`.

Formulas use `{T}` (service-level threshold), `{S}` (short-abandon threshold) and
`{W}` (the repeat window); `formula_text` fills them in with the options of a run.
A ratio divides by `NULLIF(denominator, 0)`: a zero denominator gives null, never
NaN or infinity (DuckDB itself returns inf/NaN for x/0).
"""

from __future__ import annotations

from dataclasses import dataclass

from callboard.kpi.repeat_contacts import DEFAULT_REPEAT_WINDOW

DEFAULT_SL_THRESHOLD = 20.0
DEFAULT_SHORT_ABANDON = 5.0


@dataclass(frozen=True)
class KpiDefinition:
    """One KPI: `sql` is an expression over the measure columns of one group."""

    name: str
    formula: str
    sql: str
    unit: str
    variant_of: str | None = None
    note: str | None = None

    def formula_text(
        self,
        sl_threshold: float,
        short_abandon: float,
        repeat_window: float = DEFAULT_REPEAT_WINDOW,
    ) -> str:
        return self.formula.format(
            T=_seconds(sl_threshold), S=_seconds(short_abandon), W=_seconds(repeat_window)
        )

    def describe(
        self,
        sl_threshold: float,
        short_abandon: float,
        repeat_window: float = DEFAULT_REPEAT_WINDOW,
    ) -> dict[str, str | None]:
        """The JSON form used in `KpiReport.definitions`."""
        return {
            "formula": self.formula_text(sl_threshold, short_abandon, repeat_window),
            "variant_of": self.variant_of,
            "unit": self.unit,
            "note": self.note,
        }


KPIS: dict[str, KpiDefinition] = {}

# KPIs of KPI.md that contact records cannot support: they need agent-state or
# schedule data. They are named in every report's definitions, never faked.
UNAVAILABLE: dict[str, str] = {
    "occupancy": "handle time / (handle time + ready-idle time): needs agent state data, "
    "which contact records do not hold",
    "utilization": "handle time / logged-in time: needs agent state data, "
    "which contact records do not hold",
    "shrinkage": "1 − (ready + handling time) / scheduled paid time: needs agent states "
    "and schedules",
    "callback_accept_rate": "needs callback offers, which contact records do not hold",
    "callback_time_to_callback": "needs the callback request time",
    "callback_attempts_per_success": "needs callback attempts",
}


def register_kpi(definition: KpiDefinition) -> KpiDefinition:
    """Add a KPI to the dictionary; built-in KPIs use this too, so outside ones work alike."""
    if definition.name in KPIS:
        raise ValueError(f"KPI {definition.name!r} is already defined; pick another name")
    if definition.variant_of is not None and definition.variant_of not in KPIS:
        raise ValueError(
            f"KPI {definition.name!r} is a variant of {definition.variant_of!r}, "
            "which is not defined; register the primary definition first"
        )
    KPIS[definition.name] = definition
    return definition


def ratio(numerator: str, denominator: str) -> str:
    """SQL for a null-safe ratio: null when the denominator is zero or null."""
    return f"CAST({numerator} AS DOUBLE) / NULLIF({denominator}, 0)"


def _seconds(value: float) -> str:
    return f"{value:g}s"


# The counts: each is the measure of the same name (callboard.kpi.measures).
_COUNTS = (
    ("offered", "O = A + Ab + X", "contacts offered to the agents"),
    ("answered", "A", "answered by an agent"),
    ("abandoned", "Ab", "the caller left while queued"),
    ("abandoned_short", "Ab_s = Ab(wait < {S})", "an unknown wait counts as long (Ab_l)"),
    ("exited", "X", "system exits: timeout, exit key, leave-empty, overflow"),
    ("blocked", "B", "refused before queueing (full, join-empty, closed); not part of O"),
    ("ivr_abandoned", "IVR abandons", "left in the IVR before queueing; not offered"),
    ("queued", "O(queued)", "offered contacts that waited in line (the queued flag)"),
    ("callbacks", "CB", "offered contacts that requested a callback"),
    ("handled", "A(talk known)", "A with a known talk time; aht's denominator"),
)
for _name, _formula, _note in _COUNTS:
    register_kpi(KpiDefinition(_name, _formula, _name, "contacts", note=_note))

register_kpi(
    KpiDefinition(
        "sl",
        "A(wait ≤ {T}) / (O − Ab_s)",
        ratio("answered_within", "offered - abandoned_short"),
        "ratio",
        note="a contact whose wait is unknown is never within the threshold",
    )
)
register_kpi(
    KpiDefinition(
        "sl_answered", "A(wait ≤ {T}) / A", ratio("answered_within", "answered"), "ratio", "sl"
    )
)
register_kpi(
    KpiDefinition(
        "sl_offered", "A(wait ≤ {T}) / O", ratio("answered_within", "offered"), "ratio", "sl"
    )
)
register_kpi(
    KpiDefinition(
        "sl_late_abandons",
        "A(wait ≤ {T}) / (A + Ab(wait > {T}))",
        ratio("answered_within", "answered + abandoned_late"),
        "ratio",
        "sl",
    )
)
register_kpi(
    KpiDefinition(
        "sl_met",
        "[A(wait ≤ {T}) + Ab(wait ≤ {T})] / (A + Ab)",
        ratio("answered_within + abandoned_within", "answered + abandoned"),
        "ratio",
        "sl",
    )
)
_WAIT_NOTE = "contacts whose wait is unknown are left out of the sum and the count"
register_kpi(
    KpiDefinition(
        "asa",
        "Σ wait(A) / A",
        ratio("answered_wait_sum", "answered_wait_known"),
        "seconds",
        note=f"wait = queue entry → answer; {_WAIT_NOTE}",
    )
)
register_kpi(
    KpiDefinition(
        "asa_median",
        "median wait(A)",
        "answered_wait_quantiles[1]",
        "seconds",
        "asa",
        "continuous quantile (linear interpolation)",
    )
)
register_kpi(
    KpiDefinition(
        "asa_p90",
        "90th percentile of wait(A)",
        "answered_wait_quantiles[2]",
        "seconds",
        "asa",
        "continuous quantile (linear interpolation)",
    )
)
register_kpi(
    KpiDefinition(
        "avg_wait",
        "Σ wait(A ∪ Ab ∪ X) / (A + Ab + X)",
        ratio("offered_wait_sum", "offered_wait_known"),
        "seconds",
        note=_WAIT_NOTE,
    )
)
register_kpi(
    KpiDefinition(
        "avg_abandon_time",
        "Σ wait(Ab) / Ab",
        ratio("abandoned_wait_sum", "abandoned_wait_known"),
        "seconds",
        note=_WAIT_NOTE,
    )
)
register_kpi(
    KpiDefinition(
        "avg_abandon_time_long",
        "Σ wait(Ab_l) / Ab_l",
        ratio("long_abandon_wait_sum", "long_abandon_wait_known"),
        "seconds",
        "avg_abandon_time",
        _WAIT_NOTE,
    )
)
register_kpi(
    KpiDefinition(
        "abandon_rate",
        "Ab / O",
        ratio("abandoned", "offered"),
        "ratio",
        note="never divided by A",
    )
)
register_kpi(
    KpiDefinition(
        "abandon_rate_excl_short",
        "(Ab − Ab_s) / (O − Ab_s)",
        ratio("abandoned - abandoned_short", "offered - abandoned_short"),
        "ratio",
        "abandon_rate",
    )
)
register_kpi(KpiDefinition("answer_rate", "A / O", ratio("answered", "offered"), "ratio"))
register_kpi(
    KpiDefinition(
        "longest_wait",
        "max wait(A ∪ Ab ∪ X) in the period",
        "longest_wait",
        "seconds",
        note="historical; the live figure (age of the oldest waiting contact) comes "
        "from the engine",
    )
)
register_kpi(
    KpiDefinition(
        "aht",
        "(talk + hold + ACW) / handled",
        ratio("handle_sum", "handled"),
        "seconds",
        note="unknown hold or ACW counts as 0; only answered contacts with a known talk "
        "time are handled",
    )
)
register_kpi(
    KpiDefinition(
        "talk_time",
        "Σ talk / handled",
        ratio("talk_sum", "handled"),
        "seconds",
        "aht",
        "only answered contacts with a known talk time",
    )
)
register_kpi(
    KpiDefinition(
        "overflow_share",
        "O(overflow) / O",
        ratio("overflowed", "offered"),
        "ratio",
        note="exit_reason containing 'overflow' (any case): sent to another queue or site",
    )
)
register_kpi(
    KpiDefinition(
        "callback_success_rate",
        "CB answered / CB",
        ratio("callbacks_answered", "callbacks"),
        "ratio",
        note="a callback counts as answered when it connects",
    )
)
_REPEAT_NOTE = (
    "known callers only; a contact's time is its queue entry, or its service start when it "
    "never queued; neighbours are looked for across all queues and outside the period"
)
register_kpi(
    KpiDefinition(
        "repeat_rate",
        "O(known caller, another O from that caller in the previous {W}) / O(known caller)",
        ratio("repeat_offered", "known_offered"),
        "ratio",
        note=_REPEAT_NOTE,
    )
)
register_kpi(
    KpiDefinition(
        "fcr",
        "1 − A(known caller, followed by another O from that caller within {W}) / A(known caller)",
        f"1 - {ratio('answered_followed', 'known_answered')}",
        "ratio",
        note=f"{_REPEAT_NOTE}; the category is not in contact records, so any repeat counts",
    )
)
