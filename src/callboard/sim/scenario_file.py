"""Reading scenario files (TOML or YAML) into a validated `Scenario`.

The file is checked by the config models in `scenario_model` when it loads,
rather than an hour into a run; every problem is a `BadConfig(file, key,
problem)` with `key` the dotted path (`queues.heating.service.mean`). This
module only turns the checked file into the simulator's types, and reads a
surge plan the scenario names.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from callboard.config import read_config, validate
from callboard.engine import OpenHours, QueueSpec, WideningStep
from callboard.errors import BadConfig
from callboard.sim.scenario import (
    AgentGroup,
    Arrivals,
    Break,
    Callers,
    QueueScenario,
    Scenario,
    TimedEvent,
)
from callboard.sim.scenario_model import (
    AgentGroupTable,
    EventTable,
    QueueTable,
    ScenarioFile,
)
from callboard.surge import Plan, load_plan, parse_plan


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a `.toml`, `.yaml` or `.yml` scenario file."""
    data, name = read_config(path, "scenario")
    return parse_scenario(data, name, Path(path).parent)


def parse_scenario(data: Any, file: str = "<scenario>", folder: Path | None = None) -> Scenario:
    """Validate already-parsed scenario data; `file` names it in errors. A `plan` given
    as a path is read relative to `folder` (the working directory when None)."""
    checked = validate(ScenarioFile, data, file)
    start = checked.start
    if start.tzinfo is None:
        start = start.replace(tzinfo=ZoneInfo(checked.timezone))
    queues = tuple(_queue(name, q, checked) for name, q in checked.queues.items())
    return Scenario(
        name=checked.name,
        start=start.timestamp(),
        duration_s=checked.duration,
        timezone=checked.timezone,
        interval=f"{round(checked.interval / 60)}m",
        interval_s=checked.interval,
        policy=checked.routing,
        queues=queues,
        agents=tuple(_agent_group(group) for group in checked.agents),
        events=tuple(_event(event, start) for event in checked.events),
        warmup_s=checked.warmup,
        plan=_plan(checked.plan, set(checked.queues), file, folder or Path()),
    )


def _plan(value: Any, queues: set[str], file: str, folder: Path) -> Plan | None:
    """`plan: ../plans/heating.yaml` (relative to the scenario file) or an inline plan."""
    if value is None:
        return None
    if isinstance(value, dict):
        return parse_plan(value, f"{file} (plan)", queues)
    if not isinstance(value, str) or not value.strip():
        raise BadConfig(file, "plan", "give a plan file (relative to this file) or a plan table")
    try:
        return load_plan(folder / value, queues)
    except BadConfig as exc:
        if exc.key != "(file)":
            raise
        raise BadConfig(file, "plan", f"{value}: {exc.problem}") from None


def _queue(name: str, q: QueueTable, scenario: ScenarioFile) -> QueueScenario:
    service = q.service.distribution()
    patience = q.patience.distribution() if q.patience else None
    spec = QueueSpec(
        name=name,
        skill=q.skill or name,
        min_level=q.min_level,
        channel=q.channel,
        sl_threshold_s=q.sl_threshold,
        max_wait_s=q.max_wait,
        max_wait_action=q.max_wait_action,
        max_length=q.max_length,
        full_action=q.full_action,
        widening=tuple(WideningStep(step.after, dict(step.skills)) for step in q.widening),
        hours=tuple(OpenHours(tuple(h.days), h.open, h.close) for h in q.hours),
        timezone=scenario.timezone,
        offer_timeout_s=q.offer_timeout,
        aht_hint_s=service.mean,
        announce=q.announce,
    )
    if patience is not None:
        spec = replace(spec, patience_hint_s=patience.mean)
    callers = Callers(
        service=service,
        patience=patience,
        acw=q.acw.distribution() if q.acw else None,
        callback_accept=q.callback_accept,
        voicemail_accept=q.voicemail_accept,
        redial_p=q.redial.probability if q.redial else 0.0,
        redial_delay=q.redial.delay.distribution() if q.redial else None,
    )
    slots_per_day, _ = scenario.slots
    arrivals = Arrivals(
        per_interval=q.arrivals.per_slot(scenario.interval, slots_per_day),
        interval_s=scenario.interval,
        day_factor_cv=q.arrivals.day_factor_cv,
        priorities=q.arrivals.classes(),
    )
    return QueueScenario(spec=spec, arrivals=arrivals, callers=callers)


def _agent_group(group: AgentGroupTable) -> AgentGroup:
    start, end = group.hours
    return AgentGroup(
        name=group.name,
        count=group.agents,
        skills=dict(group.skills),
        capacity=dict(group.capacity),
        shift_start_s=start,
        shift_end_s=end,
        breaks=tuple(Break(b.at, b.duration, b.reason) for b in group.breaks),
        on_duty=tuple(group.on_duty) if group.on_duty is not None else None,
    )


def _event(event: EventTable, start: datetime) -> TimedEvent:
    """Midnight plus `day` days ignores a DST change in between, which moves the event
    by at most an hour."""
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    at_s = midnight.timestamp() + event.day * 86400.0 + event.at - start.timestamp()
    return TimedEvent(at_s=at_s, duration_s=event.lasts, volume=event.volume, queue=event.queue)
