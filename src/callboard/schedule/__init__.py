"""Schedule: shifts that cover a requirement grid (a HiGHS MILP), and the roster of named agents.

The shift rules file says which shifts, breaks and days off exist; the solver
picks how many of each, and the roster hands them to people.
"""

from callboard.schedule.coverage_chart import coverage_by_day, coverage_svg
from callboard.schedule.roster import Roster, RosterAgent, RosterRules, read_agents, roster_agents
from callboard.schedule.scheduler import Schedule, schedule_shifts
from callboard.schedule.shift_file import parse_shift_rules, read_shift_rules
from callboard.schedule.shift_rules import ShiftRules

__all__ = [
    "Roster",
    "RosterAgent",
    "RosterRules",
    "Schedule",
    "ShiftRules",
    "coverage_by_day",
    "coverage_svg",
    "parse_shift_rules",
    "read_agents",
    "read_shift_rules",
    "roster_agents",
    "schedule_shifts",
]
