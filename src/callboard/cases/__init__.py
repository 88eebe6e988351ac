"""Case registration: the lifecycle and SLA clocks of every contact's case.

Pure logic over domain types; persistence is in `callboard.store.cases`.
"""

from callboard.cases.lifecycle import TRANSITIONS, InvalidTransition, check_transition
from callboard.cases.policy_file import load_policies, sla_policies
from callboard.cases.sla import TARGETS, OnBreach, SlaPolicies, SlaPolicy, SlaState, evaluate_sla
from callboard.cases.sla_target import SlaTarget, parse_target

__all__ = [
    "TARGETS",
    "TRANSITIONS",
    "InvalidTransition",
    "OnBreach",
    "SlaPolicies",
    "SlaPolicy",
    "SlaState",
    "SlaTarget",
    "check_transition",
    "evaluate_sla",
    "load_policies",
    "parse_target",
    "sla_policies",
]
