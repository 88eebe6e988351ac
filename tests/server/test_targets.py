"""Wallboard targets files: defaults, a queue's own keys, alarms on the right side, and
mistakes named by file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from callboard.errors import BadConfig
from callboard.server.targets import Threshold, load_targets, plan_targets
from callboard.surge import load_plan


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(text)
    return path


def test_a_queue_takes_its_own_keys_and_the_defaults_for_the_rest(tmp_path: Path) -> None:
    targets = load_targets(written(tmp_path, """
[default]
sl = { target = "80%", alarm = "70%" }
longest_wait = "1m"
[queue.gas]
sl = 0.95
abandon_rate = "4%"
"""))  # fmt: skip
    gas, other = targets.of("gas"), targets.of("heating")
    assert gas.sl == Threshold(0.95, pytest.approx(0.85), "higher")
    assert gas.abandon_rate == Threshold(0.04, pytest.approx(0.14), "lower")
    assert gas.longest_wait == Threshold(60.0, 120.0, "lower")  # from the default
    assert other.sl == Threshold(0.8, 0.7, "higher")
    assert other.abandon_rate is None
    assert targets.source == "file"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[default]\nsl = "180%"', "default.sl.target: must be a share between 0 and 1"),
        ("[default]\nsl = { target = 0.8, alarm = 0.9 }", "default.sl.alarm: must be at or below"),
        (
            '[queue.gas]\nabandon_rate = { target = "5%", alarm = "3%" }',
            "queue.gas.abandon_rate.alarm: must be at or above",
        ),
        ('[queue.gas]\nlongest_wiat = "1m"', "did you mean 'longest_wait'"),
        ('[default]\nlongest_wait = "soon"', "default.longest_wait.target"),
    ],
)
def test_a_mistake_names_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = written(tmp_path, text)
    with pytest.raises(BadConfig) as caught:
        load_targets(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_without_a_file_the_plans_target_sl_judges_its_queues() -> None:
    plan = load_plan(Path("examples/plans/heating.yaml"))
    targets = plan_targets(plan)
    assert targets.of("heating").sl == Threshold(plan.target_sl, pytest.approx(0.7), "higher")
    assert targets.of("billing").sl is None  # the plan does not plan billing
    assert targets.source == "plan"
