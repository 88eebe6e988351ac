"""Callboard: keeps hotlines and contact centers answering their calls."""

from callboard.domain import ContactRecord, Event, EventType, Outcome
from callboard.errors import BadConfig, BadInput, BadRecord, CallboardError, InfeasiblePlan

__all__ = [
    "BadConfig",
    "BadInput",
    "BadRecord",
    "CallboardError",
    "ContactRecord",
    "Event",
    "EventType",
    "InfeasiblePlan",
    "Outcome",
]
__version__ = "0.1.0"
