"""The virtual-clock driver: reproducible runs, redials, shifts, breaks and callbacks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from callboard.domain import EventType
from callboard.engine import Center, Outputs, QueueSpec
from callboard.sim.distributions import Exponential, Fixed
from callboard.sim.driver import Issue, run
from callboard.sim.scenario import AgentGroup, Break
from tests.sim.helpers import Collect, one_queue


def outcomes_of(seed: int) -> list[tuple[str, str | None, float | None]]:
    sink = Collect()
    run(one_queue(rate_per_hour=100, agents=8, patience=Exponential(60.0), hours=4), seed, sink)
    return [(c.contact_id, c.outcome, c.answered_at) for c in sink.contacts]


def test_the_same_seed_gives_the_same_run_and_another_seed_another() -> None:
    assert outcomes_of(7) == outcomes_of(7)
    assert outcomes_of(7) != outcomes_of(8)


def test_every_arrival_finishes_exactly_once() -> None:
    sink = Collect()
    stats = run(one_queue(rate_per_hour=200, agents=15, patience=Exponential(90.0)), 3, sink)
    ids = [c.contact_id for c in sink.contacts]
    assert len(ids) == len(set(ids)) == stats.arrivals + stats.redials
    assert stats.unfinished == 0


def test_abandoners_redial_with_the_given_probability() -> None:
    scenario = one_queue(
        rate_per_hour=120, agents=5, patience=Exponential(30.0),
        redial_p=0.5, redial_delay=Exponential(120.0),
    )  # fmt: skip
    sink = Collect()
    stats = run(scenario, 11, sink)
    abandoned = sink.outcomes()["abandoned"]
    # Binomial(abandoned, 0.5): five standard deviations either way.
    assert abs(stats.redials - abandoned / 2) < 5 * (abandoned * 0.25) ** 0.5
    redial_callers = {c.caller for c in sink.contacts if "r" in c.contact_id}
    assert redial_callers <= {c.contact_id for c in sink.contacts}


def test_agents_answer_only_inside_their_shift_and_not_on_break() -> None:
    group = AgentGroup(
        "a", 2, {"q": 1}, {"call": 1}, shift_start_s=8 * 3600.0, shift_end_s=16 * 3600.0,
        breaks=(Break(12 * 3600.0, 1800.0, "lunch"),),
    )  # fmt: skip
    sink = Collect()
    run(one_queue(rate_per_hour=30, agents=group, patience=Exponential(60.0)), 5, sink)
    answered = [c.answered_at for c in sink.contacts if c.answered_at is not None]
    assert answered
    assert all(8 * 3600.0 <= t < 16 * 3600.0 for t in answered)
    assert not any(12 * 3600.0 <= t < 12.5 * 3600.0 for t in answered)


def test_staffing_per_interval_logs_agents_in_and_out() -> None:
    group = AgentGroup("a", 3, {"q": 1}, {"call": 1}, on_duty=(1, 3, 0, 2))
    logged_in: dict[float, int] = {}
    working = 0

    def count(center: Center, output: Outputs, issue: Issue) -> None:
        nonlocal working
        for event in output.events:
            if event.type == EventType.AGENT_STATE_CHANGED:
                if event.data["from"] == "logged_out":
                    working += 1
                elif event.data["to"] == "logged_out":
                    working -= 1
                logged_in[event.at] = working

    run(one_queue(rate_per_hour=0, agents=group, hours=2), 1, Collect(), on_output=count)
    assert logged_in == {0.0: 1, 1800.0: 3, 3600.0: 0, 5400.0: 2}


def test_callers_who_accept_a_callback_keep_their_place_and_are_answered() -> None:
    spec = QueueSpec("q", max_wait_s=60.0, max_wait_action="callback", announce=None)
    scenario = one_queue(
        rate_per_hour=60, agents=1, service=Fixed(120.0), patience=Exponential(1e6),
        spec=spec, callback_accept=1.0, hours=3,
    )  # fmt: skip
    sink = Collect()
    run(scenario, 2, sink)
    callbacks = [c for c in sink.contacts if c.callback]
    assert callbacks
    assert all(c.outcome == "answered" for c in callbacks)
    served = sorted(
        (c for c in sink.contacts if c.answered_at is not None), key=lambda c: c.answered_at or 0
    )
    places = [c.queued_at for c in served]
    assert places == sorted(places), "one agent serves in order of place, callbacks included"


@settings(max_examples=15, deadline=None)
@given(rate=st.floats(1.0, 400.0), service=st.floats(10.0, 600.0), seed=st.integers(0, 2**32))
def test_ample_agents_means_nobody_waits(rate: float, service: float, seed: int) -> None:
    # At most 67 erlangs offered to 1,000 agents: a Poisson number in service never
    # gets near 1,000, so no contact may ever queue.
    scenario = one_queue(rate_per_hour=rate, agents=1000, service=Exponential(service), hours=2)
    sink = Collect()
    run(scenario, seed, sink)
    assert all(not c.queued and c.outcome == "answered" for c in sink.contacts)
