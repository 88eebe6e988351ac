"""Rostering: give the scheduled shifts to named agents.

Days are filled in order and each shift goes to a qualified agent who is
available that day, has not worked that day yet, would not exceed the longest
allowed run of consecutive working days, and has had the minimum rest since
their last shift. Among those, the agent with the fewest shifts so far is
chosen, which spreads the work; ties go to the longest-rested. Shifts nobody
can take are listed rather than forced on someone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from callboard.csv_table import parse_date, read_table
from callboard.errors import BadRecord
from callboard.schedule.scheduler import Schedule


@dataclass(frozen=True)
class RosterAgent:
    name: str
    skills: frozenset[str]
    unavailable: frozenset[date] = frozenset()


@dataclass(frozen=True)
class RosterRules:
    max_run_days: int = 5
    min_rest_hours: float = 11.0


@dataclass(frozen=True)
class RosterEntry:
    agent: str
    queue: str
    day: str
    template: str
    start: str
    end: str


@dataclass(frozen=True)
class Roster:
    entries: tuple[RosterEntry, ...]
    unfilled: tuple[tuple[str, str, str, str], ...]  # (queue, day, start, end), one per agent short


@dataclass
class _State:
    shifts: int = 0
    last_end: datetime | None = None
    run: int = 0
    last_day: date | None = None
    days: set[date] = field(default_factory=set)


def roster_agents(plan: Schedule, agents: list[RosterAgent], rules: RosterRules) -> Roster:
    state = {agent.name: _State() for agent in agents}
    entries: list[RosterEntry] = []
    unfilled: list[tuple[str, str, str, str]] = []
    for slot in sorted(plan.shifts, key=lambda s: (s.day, s.start, s.queue)):
        day = date.fromisoformat(slot.day)
        start = _at(day, slot.start)
        end = _at(day, slot.end)
        for _ in range(slot.agents):
            chosen = _pick(agents, state, slot.queue, day, start, rules)
            if chosen is None:
                unfilled.append((slot.queue, slot.day, slot.start, slot.end))
                continue
            record = state[chosen.name]
            consecutive = record.last_day is not None and day - record.last_day == timedelta(days=1)
            record.run = record.run + 1 if consecutive else 1
            record.shifts += 1
            record.last_end = end
            record.last_day = day
            record.days.add(day)
            entries.append(
                RosterEntry(chosen.name, slot.queue, slot.day, slot.template, slot.start, slot.end)
            )
    return Roster(tuple(entries), tuple(unfilled))


def _pick(
    agents: list[RosterAgent],
    state: dict[str, _State],
    queue: str,
    day: date,
    start: datetime,
    rules: RosterRules,
) -> RosterAgent | None:
    def eligible(agent: RosterAgent) -> bool:
        record = state[agent.name]
        if queue not in agent.skills or day in agent.unavailable or day in record.days:
            return False
        if record.last_end is not None and start - record.last_end < timedelta(
            hours=rules.min_rest_hours
        ):
            return False
        consecutive = record.last_day is not None and day - record.last_day == timedelta(days=1)
        return not (consecutive and record.run >= rules.max_run_days)

    candidates = [agent for agent in agents if eligible(agent)]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda a: (state[a.name].shifts, state[a.name].last_end or datetime.min, a.name),
    )


def _at(day: date, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hours, minutes=minutes)


def read_agents(path: Path) -> list[RosterAgent]:
    """CSV `name,skills[,unavailable]`; skills and unavailable dates separated by `;`."""
    _, rows = read_table(path, "agents", ["name", "skills"])
    agents: list[RosterAgent] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        if row["name"] in seen:
            raise BadRecord(
                str(path), line, "name", f"{row['name']!r} already on line {seen[row['name']]}"
            )
        seen[row["name"]] = line
        skills = frozenset(s.strip() for s in row["skills"].split(";") if s.strip())
        away = frozenset(
            parse_date(path, line, d.strip(), "unavailable")
            for d in row.get("unavailable", "").split(";")
            if d.strip()
        )
        agents.append(RosterAgent(row["name"], skills, away))
    return agents
