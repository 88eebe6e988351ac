"""Case registration: the lifecycle and SLA clocks of every contact's case.

Pure logic over domain types; persistence is in `callboard.store.cases`.
"""

from callboard.cases.lifecycle import TRANSITIONS, InvalidTransition, check_transition
from callboard.cases.policy_file import load_policies
from callboard.cases.sla import SlaPolicy, SlaState, evaluate_sla

__all__ = [
    "TRANSITIONS",
    "InvalidTransition",
    "SlaPolicy",
    "SlaState",
    "check_transition",
    "evaluate_sla",
    "load_policies",
]
