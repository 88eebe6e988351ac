"""Staffing: agents per interval from a forecast, and the reserve tiers and people for surges.

Agent counts come from `callboard.queueing`'s exact staffing on a forecast
quantile; the requirement grid this produces is what `callboard.schedule`
covers with shifts.
"""

from callboard.staffing.pipelines import (
    ReservePlan,
    ReserveRequest,
    TimesSource,
    VolumeTargets,
    queue_times,
    reserve_history,
    staff_history,
    staff_volume,
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
