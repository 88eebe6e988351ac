"""Staffing: agents per interval from a forecast, and the reserve tiers and people for surges.

Agent counts come from `callboard.queueing`'s exact staffing on a forecast
quantile; the requirement grid this produces is what `callboard.schedule`
covers with shifts.
"""

from __future__ import annotations

import importlib as _importlib
import sys as _sys
from typing import TYPE_CHECKING as _TYPE_CHECKING

if _TYPE_CHECKING:
    from callboard.staffing.pipelines import (
        ReservePlan,
        ReserveRequest,
        TimesSource,
        queue_times,
        reserve_history,
        staff_history,
    )
    from callboard.staffing.queue_times import QueueFits, fit_queue_times, fit_queues
    from callboard.staffing.requirements import Requirements, read_requirements
    from callboard.staffing.reserve_people import Assignment, Person, assign_reserve, read_people
    from callboard.staffing.reserve_tiers import ReserveNeed, Surge, reserve_tiers
    from callboard.staffing.staff_plan import QueueTimes, StaffPlan, Targets, plan_staff
    from callboard.staffing.target_syntax import (
        SERVICE_LEVEL_HELP,
        ServiceLevelTarget,
        parse_seconds,
        parse_service_level,
        parse_share,
    )
    from callboard.staffing.volume_file import IntervalVolume, Volume, read_volume
    from callboard.staffing.volume_staffing import VolumeTargets, staff_volume

# Where each public name lives. A submodule is imported when one of its names is
# first asked for, so `callboard staff` (target_syntax, volume_file,
# volume_staffing) never loads the forecast models and PyArrow the others need.
_MODULES = {
    "pipelines": (
        "ReservePlan", "ReserveRequest", "TimesSource", "queue_times", "reserve_history",
        "staff_history",
    ),
    "queue_times": ("QueueFits", "fit_queue_times", "fit_queues"),
    "requirements": ("Requirements", "read_requirements"),
    "reserve_people": ("Assignment", "Person", "assign_reserve", "read_people"),
    "reserve_tiers": ("ReserveNeed", "Surge", "reserve_tiers"),
    "staff_plan": ("QueueTimes", "StaffPlan", "Targets", "plan_staff"),
    "target_syntax": (
        "SERVICE_LEVEL_HELP", "ServiceLevelTarget", "parse_seconds", "parse_service_level",
        "parse_share",
    ),
    "volume_file": ("IntervalVolume", "Volume", "read_volume"),
    "volume_staffing": ("VolumeTargets", "staff_volume"),
}  # fmt: skip
_HOME = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> object:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    _importlib.import_module(f"{__name__}.{_HOME[name]}")
    _bind_loaded()
    return globals()[name]


def _bind_loaded() -> None:
    """Bind the public names of every submodule loaded so far. Importing a submodule sets
    the package attribute of its own name, so `reserve_tiers` and `queue_times` would
    otherwise be the modules, not the functions of those names."""
    for module, names in _MODULES.items():
        loaded = _sys.modules.get(f"{__name__}.{module}")
        if loaded is not None:
            globals().update((name, getattr(loaded, name)) for name in names)


__all__ = [
    "SERVICE_LEVEL_HELP",
    "Assignment",
    "IntervalVolume",
    "Person",
    "QueueFits",
    "QueueTimes",
    "Requirements",
    "ReserveNeed",
    "ReservePlan",
    "ReserveRequest",
    "ServiceLevelTarget",
    "StaffPlan",
    "Surge",
    "Targets",
    "TimesSource",
    "Volume",
    "VolumeTargets",
    "assign_reserve",
    "fit_queue_times",
    "fit_queues",
    "parse_seconds",
    "parse_service_level",
    "parse_share",
    "plan_staff",
    "queue_times",
    "read_people",
    "read_requirements",
    "read_volume",
    "reserve_history",
    "reserve_tiers",
    "staff_history",
    "staff_volume",
]
