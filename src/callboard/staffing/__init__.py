"""Staffing: agents per interval from a forecast, and the reserve tiers and people for surges.

Agent counts come from `callboard.queueing`'s exact staffing on a forecast
quantile; the requirement grid this produces is what `callboard.schedule`
covers with shifts.
"""

from callboard.staffing.queue_times import fit_queue_times
from callboard.staffing.requirements import Requirements, read_requirements
from callboard.staffing.reserve_people import Assignment, Person, assign_reserve, read_people
from callboard.staffing.reserve_tiers import ReserveNeed, Surge, reserve_tiers
from callboard.staffing.staff_plan import QueueTimes, StaffPlan, Targets, plan_staff

__all__ = [
    "Assignment",
    "Person",
    "QueueTimes",
    "Requirements",
    "ReserveNeed",
    "StaffPlan",
    "Surge",
    "Targets",
    "assign_reserve",
    "fit_queue_times",
    "plan_staff",
    "read_people",
    "read_requirements",
    "reserve_tiers",
]
