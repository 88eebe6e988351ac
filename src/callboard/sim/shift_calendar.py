"""A scenario's shifts on any stretch of the calendar, for a live center that follows them.

`rota` is the one rule: the simulator's driver logs its agents in and out and
starts their breaks by it on the virtual clock, and `callboard serve --center
FILE --follow-shifts` on the wall clock (`shift_commands`), so a served
scenario staffs its queues as its simulation did.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from callboard.engine import Command, Login, Logout, SetNotReady, SetReady
from callboard.sim.arrivals import DAY_S, local_offset
from callboard.sim.scenario import AgentGroup, Scenario


def shift_commands(scenario: Scenario, start: float, end: float) -> list[tuple[float, Command]]:
    """Every login, logout and break of the scenario's agent groups from `start` to `end`
    (POSIX seconds), as (time, command) in time order, on the scenario's own rules: a
    shift under way at `start` logs in at `start`, a whole-day group logs in once.
    Agent ids are `AgentGroup.agent_ids()`, as in the live center."""
    if end <= start:
        return []
    moved = replace(scenario, start=start, duration_s=end - start)
    return [(at, command) for at, command in rota(moved) if at < end]


def rota(scenario: Scenario) -> list[tuple[float, Command]]:
    """Every login, logout and break of the horizon as (time, command), in time order
    (ties by agent, then action name, so that a run does not depend on group order)."""
    actions: list[tuple[float, str, str]] = []
    zone = ZoneInfo(scenario.timezone)
    first_day = datetime.fromtimestamp(scenario.start, zone).replace(
        hour=0, minute=0, second=0, microsecond=0, tzinfo=None
    )
    end = scenario.start + scenario.duration_s
    days = int((scenario.duration_s + local_offset(scenario.start, scenario.timezone)) // DAY_S) + 1
    midnights = [
        (first_day + timedelta(days=d)).replace(tzinfo=zone).timestamp() for d in range(days + 1)
    ]
    for group in scenario.agents:
        ids = group.agent_ids()
        if group.on_duty is not None:
            actions.extend(_staffing_actions(scenario, group, ids))
            continue
        whole_day = group.shift_start_s <= 0.0 and group.shift_end_s >= DAY_S and not group.breaks
        for agent_id in ids:
            if whole_day:
                actions.append((scenario.start, agent_id, "login"))
                continue
            for midnight in midnights[:days]:
                login = midnight + group.shift_start_s
                logout = midnight + group.shift_end_s
                if logout <= scenario.start or login >= end:
                    continue
                actions.append((max(login, scenario.start), agent_id, "login"))
                actions.append((logout, agent_id, "logout"))
                for pause in group.breaks:
                    at = midnight + pause.at_s
                    if scenario.start <= at < logout:
                        actions.append((at, agent_id, "not_ready:" + pause.reason))
                        actions.append((at + pause.duration_s, agent_id, "ready"))
    actions.sort()
    return [(at, _agent_command(agent_id, action)) for at, agent_id, action in actions]


def _staffing_actions(
    scenario: Scenario, group: AgentGroup, ids: list[str]
) -> list[tuple[float, str, str]]:
    """Log agents in and out at each slot so that `on_duty[k]` work in slot k."""
    assert group.on_duty is not None
    width = scenario.interval_s
    actions: list[tuple[float, str, str]] = []
    working = 0
    for slot, wanted in enumerate(group.on_duty):
        at = scenario.start + slot * width
        for index in range(working, wanted):
            actions.append((at, ids[index], "login"))
        for index in range(wanted, working):
            actions.append((at, ids[index], "logout"))
        working = wanted
    return actions


def _agent_command(agent_id: str, action: str) -> Command:
    if action == "login":
        return Login(agent_id)
    if action == "logout":
        return Logout(agent_id)
    if action == "ready":
        return SetReady(agent_id)
    return SetNotReady(agent_id, action.removeprefix("not_ready:"))
