"""Planning: interval forecasts, staffing plans, shift schedules and the reserve roster.

Pure NumPy/SciPy/HiGHS functions over arrays; files are read by the small
reader modules, and the CLI only formats what these return.
"""

from callboard.planning.backtest import (
    BacktestResult,
    Score,
    backtest,
    backtest_queues,
    evaluation_days,
)
from callboard.planning.calendar import Calendar, read_calendar
from callboard.planning.chart import coverage_by_day, coverage_svg
from callboard.planning.counts_file import read_counts
from callboard.planning.covariates import Covariates, read_covariates
from callboard.planning.dayprofile import DayProfileModel, update_intraday
from callboard.planning.effects import DayEffects
from callboard.planning.forecast import Forecast
from callboard.planning.forecasting import forecast_queue, forecast_rows, future_days
from callboard.planning.models import MAIN_MODEL, builtin_models
from callboard.planning.queue_times import fit_queue_times
from callboard.planning.records_counts import counts_from_records
from callboard.planning.requirements import Requirements, read_requirements
from callboard.planning.reserve import ReserveNeed, Surge, reserve_tiers
from callboard.planning.reserve_people import Assignment, Person, assign_reserve, read_people
from callboard.planning.roster import Roster, RosterAgent, RosterRules, read_agents, roster_agents
from callboard.planning.schedule import Schedule, schedule_shifts
from callboard.planning.series import DailyCounts
from callboard.planning.shifts import ShiftRules, parse_shift_rules, read_shift_rules
from callboard.planning.sources import load_counts
from callboard.planning.staffing import QueueTimes, StaffPlan, Targets, plan_staff

__all__ = [
    "MAIN_MODEL",
    "Assignment",
    "BacktestResult",
    "Calendar",
    "Covariates",
    "DailyCounts",
    "DayEffects",
    "DayProfileModel",
    "Forecast",
    "Person",
    "QueueTimes",
    "Requirements",
    "ReserveNeed",
    "Roster",
    "RosterAgent",
    "RosterRules",
    "Schedule",
    "Score",
    "ShiftRules",
    "StaffPlan",
    "Surge",
    "Targets",
    "assign_reserve",
    "backtest",
    "backtest_queues",
    "builtin_models",
    "counts_from_records",
    "coverage_by_day",
    "coverage_svg",
    "evaluation_days",
    "fit_queue_times",
    "forecast_queue",
    "forecast_rows",
    "future_days",
    "load_counts",
    "parse_shift_rules",
    "plan_staff",
    "read_agents",
    "read_calendar",
    "read_counts",
    "read_covariates",
    "read_people",
    "read_requirements",
    "read_shift_rules",
    "reserve_tiers",
    "roster_agents",
    "schedule_shifts",
    "update_intraday",
]
