"""The contact-center engine: pure, synchronous, driven by a live or a virtual clock.

`Center.apply(now, command)` takes a time-stamped command record (from
`callboard.engine.commands`, re-exported here) and returns its `Outputs`:
events, offers, prompts and the command's result. See
`callboard.engine.center` for the contract.
"""

from callboard.engine.agents import WORKING
from callboard.engine.center import Center
from callboard.engine.commands import (
    COMMAND_FORMAT,
    Abandon,
    Accept,
    AddAgent,
    Advance,
    Arrive,
    Command,
    Complete,
    Decline,
    LeaveVoicemail,
    Login,
    Logout,
    OfferCallbacks,
    Reject,
    RequestCallback,
    SetMode,
    SetNotReady,
    SetReady,
    SetSkills,
    parse_command,
)
from callboard.engine.contact import CONNECTED, OFFERED, PROMPTED, WAITING, Contact
from callboard.engine.ewt import (
    PREDICTOR_NAMES,
    calibrated_features,
    erlang_a_wait,
    linear,
    queue_length_wait,
)
from callboard.engine.outputs import Offer, OfferHook, Outputs, Prompt
from callboard.engine.routing import POLICIES, RoutingPolicy, register_policy
from callboard.engine.spec import (
    DEFAULT_OFFER_TIMEOUT_S,
    EWT_FEATURES,
    EwtModel,
    OpenHours,
    QueueSpec,
    WideningStep,
)

__all__ = [
    "COMMAND_FORMAT",
    "CONNECTED",
    "DEFAULT_OFFER_TIMEOUT_S",
    "EWT_FEATURES",
    "OFFERED",
    "POLICIES",
    "PREDICTOR_NAMES",
    "PROMPTED",
    "WAITING",
    "WORKING",
    "Abandon",
    "Accept",
    "AddAgent",
    "Advance",
    "Arrive",
    "Center",
    "Command",
    "Complete",
    "Contact",
    "Decline",
    "EwtModel",
    "LeaveVoicemail",
    "Login",
    "Logout",
    "Offer",
    "OfferCallbacks",
    "OfferHook",
    "OpenHours",
    "Outputs",
    "Prompt",
    "QueueSpec",
    "Reject",
    "RequestCallback",
    "RoutingPolicy",
    "SetMode",
    "SetNotReady",
    "SetReady",
    "SetSkills",
    "WideningStep",
    "calibrated_features",
    "erlang_a_wait",
    "linear",
    "parse_command",
    "queue_length_wait",
    "register_policy",
]
