"""Small scenarios built in code for the simulator tests."""

from __future__ import annotations

from callboard.engine import Contact, QueueSpec
from callboard.sim.distributions import Distribution, Exponential
from callboard.sim.scenario import AgentGroup, Arrivals, Callers, QueueScenario, Scenario

FIVE_MINUTES = Exponential(300.0)


def one_queue(
    *,
    rate_per_hour: float,
    agents: int | AgentGroup,
    service: Distribution = FIVE_MINUTES,
    patience: Distribution | None = None,
    hours: float = 24.0,
    spec: QueueSpec | None = None,
    **callers: object,
) -> Scenario:
    group = (
        agents if isinstance(agents, AgentGroup) else AgentGroup("a", agents, {"q": 1}, {"call": 1})
    )
    return Scenario(
        name="test", start=0.0, duration_s=hours * 3600.0, timezone="UTC", interval="30m",
        interval_s=1800.0, policy="longest_idle",
        queues=(
            QueueScenario(
                spec or QueueSpec("q", announce=None),
                Arrivals(per_interval=(rate_per_hour / 2.0,) * 48),
                Callers(service=service, patience=patience, **callers),  # type: ignore[arg-type]
            ),
        ),
        agents=(group,),
    )  # fmt: skip


class Collect:
    """A sink that keeps every finished contact."""

    def __init__(self) -> None:
        self.contacts: list[Contact] = []

    def __call__(self, contacts: list[Contact]) -> None:
        self.contacts.extend(contacts)

    def outcomes(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for contact in self.contacts:
            key = contact.outcome or "none"
            counts[key] = counts.get(key, 0) + 1
        return counts
