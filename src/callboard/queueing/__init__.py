"""Queueing formulas, service-level definitions, staffing and estimation from data.

Pure functions over NumPy arrays: rates per second, times in seconds, and every
argument may be an array; arrays broadcast. See `service_level` for how the
KPI.md service-level variants map onto these models.
"""

from callboard.queueing.arrivals import ArrivalProfile, PoissonRate, arrival_profile, poisson_rate
from callboard.queueing.erlang_a import (
    ErlangA,
    abandoned_within,
    answered_within,
    erlang_a,
    offered_wait_tail,
    wait_tail,
)
from callboard.queueing.erlang_b import erlang_b
from callboard.queueing.erlang_c import ErlangC, erlang_c
from callboard.queueing.exact_staffing import required_agents
from callboard.queueing.fit import QueueFit, fit_queue
from callboard.queueing.handle_time import LognormalFit, MeanEstimate, fit_lognormal, mean_with_ci
from callboard.queueing.patience import KaplanMeier, MeanPatience, kaplan_meier, mean_patience
from callboard.queueing.plan import StaffingPlan, plan_staffing
from callboard.queueing.service_level import SL_DEFINITIONS, service_level

__all__ = [
    "SL_DEFINITIONS",
    "ArrivalProfile",
    "ErlangA",
    "ErlangC",
    "KaplanMeier",
    "LognormalFit",
    "MeanEstimate",
    "MeanPatience",
    "PoissonRate",
    "QueueFit",
    "StaffingPlan",
    "abandoned_within",
    "answered_within",
    "arrival_profile",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "fit_lognormal",
    "fit_queue",
    "kaplan_meier",
    "mean_patience",
    "mean_with_ci",
    "offered_wait_tail",
    "plan_staffing",
    "poisson_rate",
    "required_agents",
    "service_level",
    "wait_tail",
]
