"""The audit on January 1999: fitted on odd days, judged on even days (never mixing days)."""

from __future__ import annotations

from datetime import date

import pytest

from callboard.ewt_audit import ASTERISK, CALIBRATED, Evaluation, chosen_states, evaluate, fit
from callboard.records import RecordDataset

ODD = [date(1999, 1, d) for d in range(1, 32, 2)]
EVEN = [date(1999, 1, d) for d in range(2, 32, 2)]


@pytest.fixture(scope="module")
def held_out(january_dataset: RecordDataset) -> Evaluation:
    model = fit(chosen_states(january_dataset, ODD))
    return evaluate(chosen_states(january_dataset, EVEN), model)


def test_every_predictor_and_the_asterisk_baseline_are_scored(held_out: Evaluation) -> None:
    assert set(held_out.predictors) == {
        "queue_length", "head_of_line", "last_to_enter", "erlang_a", ASTERISK, CALIBRATED,
    }  # fmt: skip
    # Only even days: January 2 to 30 minus the missing 12th, 14 days with calls.
    assert held_out.days == 14


def test_calibrated_beats_asterisk_on_days_it_never_saw(held_out: Evaluation) -> None:
    ours = held_out.predictors[CALIBRATED].overall
    theirs = held_out.predictors[ASTERISK].overall
    assert ours.mae_s is not None and theirs.mae_s is not None
    assert ours.mae_s < theirs.mae_s
    assert ours.rmse_s is not None and theirs.rmse_s is not None
    assert ours.rmse_s < theirs.rmse_s


def test_calibrated_bias_is_within_ten_seconds(held_out: Evaluation) -> None:
    bias = held_out.predictors[CALIBRATED].overall.bias_s
    assert bias is not None and abs(bias) <= 10.0


def test_p10_p90_range_covers_75_to_85_percent(held_out: Evaluation) -> None:
    coverage = held_out.predictors[CALIBRATED].range_coverage
    assert coverage is not None and 0.75 <= coverage <= 0.85


def test_abandoned_callers_are_scored_as_censored_not_as_errors(held_out: Evaluation) -> None:
    overall = held_out.predictors[ASTERISK].overall
    assert overall.censored > 1000
    assert overall.told_less_share is not None and 0.0 < overall.told_less_share < 1.0


def test_breakdowns_add_up_to_the_whole(held_out: Evaluation) -> None:
    report = held_out.predictors["queue_length"]
    assert sum(s.answered for s in report.by_queue.values()) == report.overall.answered
    assert sum(s.answered for s in report.by_hour.values()) == report.overall.answered
    assert set(report.by_queue) >= {"PS", "NW", "NE"}
