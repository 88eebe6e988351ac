"""The per-group aggregates (KPI.md's symbols) that every KPI formula is built from.

`FLAGS` classify each contact once (answered, abandoned, short abandon, within
the threshold...); `MEASURES` then only count and sum over those flags, which
is about a quarter faster in DuckDB than repeating each condition per
aggregate. Counts use `count(*) FILTER`, which gives 0 over no rows where
`count_if` gives null. They run over the `contacts` view of the query, in which phantom
contacts are already gone and NaN durations are null. `$sl_threshold` and
`$short_abandon` are bound as query parameters, never pasted into the SQL.

An unknown wait is never short, never within T and never after T: such a
contact counts in O, A, Ab or X, and in nothing that needs its wait.
"""

from __future__ import annotations

FLAGS: dict[str, str] = {
    "is_answered": "outcome = 'answered'",
    "is_abandoned": "outcome = 'abandoned'",
    "is_offered": "outcome IN ('answered', 'abandoned', 'exited')",
    "is_short": "outcome = 'abandoned' AND coalesce(wait < $short_abandon, false)",
    "is_within": "coalesce(wait <= $sl_threshold, false)",
    "is_late": "coalesce(wait > $sl_threshold, false)",
    "is_handled": "outcome = 'answered' AND talk IS NOT NULL",
}

MEASURES: dict[str, str] = {
    "offered": "count(*) FILTER (WHERE is_offered)",
    "answered": "count(*) FILTER (WHERE is_answered)",
    "abandoned": "count(*) FILTER (WHERE is_abandoned)",
    "abandoned_short": "count(*) FILTER (WHERE is_short)",
    "exited": "count(*) FILTER (WHERE outcome = 'exited')",
    "blocked": "count(*) FILTER (WHERE outcome = 'blocked')",
    "ivr_abandoned": "count(*) FILTER (WHERE outcome = 'ivr_abandoned')",
    "queued": "count(*) FILTER (WHERE is_offered AND queued)",
    "callbacks": "count(*) FILTER (WHERE is_offered AND callback)",
    "callbacks_answered": "count(*) FILTER (WHERE is_answered AND callback)",
    "answered_within": "count(*) FILTER (WHERE is_answered AND is_within)",
    "abandoned_within": "count(*) FILTER (WHERE is_abandoned AND is_within)",
    "abandoned_late": "count(*) FILTER (WHERE is_abandoned AND is_late)",
    "answered_wait_sum": "sum(wait) FILTER (WHERE is_answered)",
    "answered_wait_known": "count(wait) FILTER (WHERE is_answered)",
    # Both quantiles from one sort; [1] is the median, [2] the 90th percentile.
    "answered_wait_quantiles": "quantile_cont(wait, [0.5, 0.9]) FILTER (WHERE is_answered)",
    "offered_wait_sum": "sum(wait) FILTER (WHERE is_offered)",
    "offered_wait_known": "count(wait) FILTER (WHERE is_offered)",
    "abandoned_wait_sum": "sum(wait) FILTER (WHERE is_abandoned)",
    "abandoned_wait_known": "count(wait) FILTER (WHERE is_abandoned)",
    "long_abandon_wait_sum": "sum(wait) FILTER (WHERE is_abandoned AND NOT is_short)",
    "long_abandon_wait_known": "count(wait) FILTER (WHERE is_abandoned AND NOT is_short)",
    "longest_wait": "max(wait) FILTER (WHERE is_offered)",
    "handled": "count(*) FILTER (WHERE is_handled)",
    "handle_sum": "sum(talk + coalesce(hold, 0) + coalesce(acw, 0)) FILTER (WHERE is_handled)",
    "talk_sum": "sum(talk) FILTER (WHERE is_handled)",
    "overflowed": "count(*) FILTER (WHERE is_offered AND contains(lower(exit_reason), 'overflow'))",
}
