"""Round trip: contact records -> Asterisk queue_log -> the importer -> the same figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callboard.domain import ContactRecord, Outcome
from callboard.kpi import compute_kpis
from callboard.records import RecordDataset, import_files
from callboard.records.anonymous_bank import parse_anonymous_bank
from callboard.records.asterisk_queue_log import parse_asterisk_queue_log
from tests.conftest import JANUARY_TZ
from tests.records.queue_log_writer import write_queue_log

OFFERED = "outcome in ('answered', 'abandoned', 'exited')"
FIGURES = f"""
    select queue, day,
        count(*) filter (where {OFFERED}) as offered,
        count(*) filter (where outcome = 'answered') as answered,
        count(*) filter (where outcome = 'abandoned') as abandoned,
        coalesce(sum(wait_s) filter (where {OFFERED}), 0) as wait_s,
        coalesce(sum(talk_s) filter (where outcome = 'answered'), 0) as talk_s
    from read_parquet('{{glob}}', hive_partitioning = false)
    group by queue, day
    having count(*) filter (where {OFFERED}) > 0
    order by queue, day
"""


def _figures(dataset: RecordDataset) -> dict[tuple[str, object], tuple[float, ...]]:
    rows = duckdb.execute(FIGURES.format(glob=dataset.glob())).fetchall()
    return {(queue, day): tuple(rest) for queue, day, *rest in rows}


@pytest.fixture(scope="module")
def january_trip(tmp_path_factory: pytest.TempPathFactory, january_file: Path) -> RecordDataset:
    """January written as an Asterisk queue_log and imported back."""
    folder = tmp_path_factory.mktemp("trip")
    records = parse_anonymous_bank(january_file, tz=JANUARY_TZ, options={}).records
    log = folder / "queue_log"
    written = write_queue_log(records, log)
    assert written.left_out == 240 + 1_198  # phantom and IVR-abandoned: never queued
    dataset = RecordDataset(folder / "records")
    (report,) = import_files(dataset, "asterisk-queue-log", [log], tz=JANUARY_TZ)
    assert report.rejected == 0 and report.counters == {}
    assert report.written == written.contacts == 30_161
    return dataset


def test_january_gives_the_same_figures_after_a_trip_through_a_queue_log(
    january_trip: RecordDataset, january_dataset: RecordDataset
) -> None:
    original, trip = _figures(january_dataset), _figures(january_trip)
    assert trip.keys() == original.keys()
    for key, (offered, answered, abandoned, wait_s, talk_s) in original.items():
        assert trip[key][:3] == (offered, answered, abandoned), key
        # queue_log durations are whole seconds: allow half a second per contact.
        assert trip[key][3] == pytest.approx(wait_s, abs=0.5 * offered), key
        assert trip[key][4] == pytest.approx(talk_s, abs=0.5 * answered), key


SAME_KPIS = [
    "offered", "answered", "abandoned", "abandoned_short", "exited", "sl", "sl_answered",
    "sl_offered", "sl_late_abandons", "sl_met", "asa", "avg_wait", "avg_abandon_time",
    "abandon_rate", "abandon_rate_excl_short", "answer_rate", "longest_wait",
]  # fmt: skip


@pytest.mark.parametrize("by", [("queue",), ("day", "queue"), ("interval",)])
def test_january_kpis_survive_the_trip(
    january_trip: RecordDataset, january_dataset: RecordDataset, by: tuple[str, ...]
) -> None:
    def rows(dataset: RecordDataset) -> dict[tuple[object, ...], dict[str, object]]:
        # Groups holding only IVR abandons (offered 0) exist only in the original,
        # because the queue_log leaves out contacts that never reached the queue.
        report = compute_kpis(dataset, by=by, interval="60m")
        return {tuple(row[k] for k in by): row for row in report.rows if row["offered"]}

    original, trip = rows(january_dataset), rows(january_trip)
    assert trip.keys() == original.keys()
    for key, row in original.items():
        for name in SAME_KPIS:
            assert trip[key][name] == pytest.approx(row[name], abs=1e-9), (key, name)


def test_aht_differs_only_by_the_calls_without_a_service_stage(
    january_trip: RecordDataset, january_dataset: RecordDataset
) -> None:
    # 42 January AGENT rows have no service times: talk is unknown in the source,
    # but a queue_log must write a calltime, so the trip records 0 s for them.
    # Handled rises from 27,018 to 27,060 while total talk stays the same.
    (original,) = compute_kpis(january_dataset).rows
    (trip,) = compute_kpis(january_trip).rows
    assert (original["handled"], trip["handled"]) == (27_018, 27_060)
    expected = float(original["aht"]) * 27_018 / 27_060
    assert trip["aht"] == pytest.approx(expected, rel=1e-9)


EXITS = [(Outcome.EXITED, reason) for reason in ("timeout", "exit_key", "leave_empty", "withdraw")]
ENDS = [
    (Outcome.ANSWERED, None), (Outcome.ABANDONED, None), *EXITS,
    (Outcome.BLOCKED, "queue_full"), (Outcome.BLOCKED, "join_empty"),
]  # fmt: skip


@st.composite
def contacts(draw: st.DrawFn) -> ContactRecord:
    outcome, reason = draw(st.sampled_from(ENDS))
    queued_at = datetime.fromtimestamp(draw(st.integers(1_000_000_000, 2_000_000_000)), UTC)
    wait = float(draw(st.integers(0, 3_600)))
    talk = float(draw(st.integers(0, 7_200)))
    answered = outcome is Outcome.ANSWERED
    blocked = outcome is Outcome.BLOCKED
    # A blocked contact never joined: it ends where it would have queued.
    left = queued_at + timedelta(seconds=0 if blocked else wait)
    return ContactRecord(
        contact_id="x",
        source="test",
        queue=draw(st.sampled_from(["support", "sales"])),
        outcome=outcome,
        arrived_at=queued_at,
        queued_at=queued_at,
        agent="PJSIP/7009" if answered else None,
        answered_at=left if answered else None,
        ended_at=left + timedelta(seconds=talk if answered else 0),
        wait_s=None if blocked else wait,
        talk_s=talk if answered else None,
        exit_reason=reason,
        attributes={"exit_key": "5"} if reason == "exit_key" else {},
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(contacts(), min_size=1, max_size=20))
def test_every_outcome_survives_the_trip(
    tmp_path_factory: pytest.TempPathFactory, records: list[ContactRecord]
) -> None:
    log = tmp_path_factory.mktemp("trip") / "queue_log"
    write_queue_log(records, log)
    result = parse_asterisk_queue_log(log, tz="UTC", options={})
    assert result.rejections == [] and result.counters == {}
    # The writer numbers each contact's callid `<epoch>.<n>` in input order.
    back = sorted(result.records, key=lambda r: int(r.call_id.split(".")[1]))
    assert len(back) == len(records)
    for before, after in zip(records, back, strict=True):
        assert (after.queue, after.outcome, after.exit_reason) == (
            before.queue, before.outcome, before.exit_reason,
        )  # fmt: skip
        assert (after.queued_at, after.wait_s, after.talk_s, after.agent) == (
            before.queued_at, before.wait_s, before.talk_s, before.agent,
        )  # fmt: skip
        assert after.ended_at == before.ended_at


def _record(outcome: Outcome, reason: str | None = None) -> ContactRecord:
    at = datetime(2024, 6, 3, 8, tzinfo=UTC)
    return ContactRecord("x", "test", "q", outcome, at, at, exit_reason=reason, wait_s=1.0)


def test_contacts_that_never_queued_are_left_out(tmp_path: Path) -> None:
    records = [_record(Outcome.PHANTOM), _record(Outcome.IVR_ABANDONED), _record(Outcome.ABANDONED)]
    written = write_queue_log(records, tmp_path / "queue_log")
    assert (written.contacts, written.left_out, written.lines) == (1, 2, 2)


def test_an_exit_asterisk_cannot_log_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'overflow' has no queue_log event"):
        write_queue_log([_record(Outcome.EXITED, "overflow")], tmp_path / "queue_log")
