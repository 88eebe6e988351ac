"""The contact-center engine: pure, synchronous, driven by a live or a virtual clock.

`Center` takes time-stamped commands and returns events, offers, prompts and
its next wake-up time; see `callboard.engine.center` for the contract.
"""

from callboard.engine.center import Center
from callboard.engine.contact import Contact
from callboard.engine.ewt import PREDICTOR_NAMES
from callboard.engine.outputs import Offer, Prompt
from callboard.engine.routing import POLICIES, RoutingPolicy, register_policy
from callboard.engine.spec import OpenHours, QueueSpec, WideningStep

__all__ = [
    "POLICIES",
    "PREDICTOR_NAMES",
    "Center",
    "Contact",
    "Offer",
    "OpenHours",
    "Prompt",
    "QueueSpec",
    "RoutingPolicy",
    "WideningStep",
    "register_policy",
]
