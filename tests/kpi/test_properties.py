"""Invariants that hold for any set of contacts, checked with hypothesis."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callboard.domain import ContactRecord, Outcome
from callboard.kpi import KPIS, compute_kpis
from tests.kpi.factory import MONDAY_9AM, contact, table

COUNTS = [name for name, d in KPIS.items() if d.unit == "contacts"]
RATIOS = [name for name, d in KPIS.items() if d.unit == "ratio"]

waits = st.one_of(st.none(), st.floats(min_value=0, max_value=3600, allow_nan=False))
contacts = st.builds(
    lambda outcome, wait, talk, minute, queue, callback: contact(
        outcome,
        wait=wait,
        talk=talk if outcome is Outcome.ANSWERED else None,
        at=MONDAY_9AM + timedelta(minutes=minute),
        queue=queue,
        callback=callback,
    ),
    outcome=st.sampled_from(list(Outcome)),
    wait=waits,
    talk=waits,
    minute=st.integers(min_value=0, max_value=48 * 60),
    queue=st.sampled_from(["sales", "support", "billing"]),
    callback=st.booleans(),
)
thresholds = st.floats(min_value=0, max_value=120, allow_nan=False)
quick = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick
@given(st.lists(contacts, max_size=40), thresholds, thresholds)
def test_ratios_stay_in_the_unit_interval_and_offered_adds_up(
    records: list[ContactRecord], sl_threshold: float, short_abandon: float
) -> None:
    (row,) = compute_kpis(
        table(*records), sl_threshold=sl_threshold, short_abandon=short_abandon
    ).rows
    assert row["offered"] == row["answered"] + row["abandoned"] + row["exited"]
    assert row["abandoned_short"] <= row["abandoned"]
    assert row["handled"] <= row["answered"]
    for name in RATIOS:
        assert row[name] is None or 0.0 <= row[name] <= 1.0, name
    assert (row["sl"] is None) == (row["offered"] - row["abandoned_short"] == 0)


@quick
@given(st.lists(contacts, max_size=40), st.sampled_from(["interval", "day", "hour", "queue"]))
def test_groups_add_up_to_the_total(records: list[ContactRecord], key: str) -> None:
    source = table(*records)
    (total,) = compute_kpis(source).rows
    rows = compute_kpis(source, by=[key], interval="15m").rows
    for name in COUNTS:
        assert sum(row[name] for row in rows) == total[name], name
    assert len({row[key] for row in rows}) == len(rows)
