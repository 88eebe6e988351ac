"""Surge control: live metrics, tiered emergency plans and the runner that fires them.

Pure apart from reading plan files and the notifiers at the edge:

- `LiveMetrics` turns the event spine into rolling figures named as in `METRICS`;
- `load_plan` reads and validates a plan file into a `Plan`;
- `PlanRunner` decides, from (now, figures), which tier fires or stands down
  and returns `Action`s, with recommend-and-confirm and an audit `timeline`;
- `plan_commands` turns an action into engine command records and its
  `Effect`; `apply` applies them to a `callboard.engine.Center` at once, and
  `SurgeControl` wires all of it to a center for the simulator;
- `Eligibility` counts, per queue, the agents who can serve it now (the
  per-queue `agents_*` figures);
- `Reserve` follows the people called in: on the way, late, on the line, released
  after their minimum stay;
- `WebhookNotifier`, `EmailNotifier` (SMTP) and `LogNotifier` tell reserve people to
  come in.
"""

from callboard.surge.actions import (
    Action,
    AgentChange,
    Callout,
    Effect,
    Recommendation,
    TimelineEntry,
)
from callboard.surge.apply import apply, carry_out
from callboard.surge.commands import plan_commands
from callboard.surge.control import Forecast, SurgeControl, queue_figures
from callboard.surge.expression import Figures, Trigger, parse_trigger
from callboard.surge.metrics import LiveMetrics
from callboard.surge.names import ARRIVALS, ARRIVALS_WINDOW_MIN, FORECAST, METRICS
from callboard.surge.notify import (
    EmailNotifier,
    LogNotifier,
    Notification,
    NotificationFailed,
    Notifier,
    WebhookNotifier,
    notifications,
)
from callboard.surge.plan import (
    AddSupportGroup,
    Announcement,
    CallReserve,
    OfferCallbacks,
    Overflow,
    Plan,
    QueuePlan,
    ReadyReasons,
    ReservePerson,
    Step,
    Tier,
)
from callboard.surge.plan_file import load_plan, parse_plan
from callboard.surge.remote_projection import ProjectionUnavailable, fetch_projection
from callboard.surge.reserve import ON_THE_LINE, Called, Reserve, arrived
from callboard.surge.runner import PlanRunner, describe
from callboard.surge.serving import AgentCounts, Eligibility

__all__ = [
    "ARRIVALS",
    "ARRIVALS_WINDOW_MIN",
    "FORECAST",
    "METRICS",
    "ON_THE_LINE",
    "Action",
    "AddSupportGroup",
    "AgentChange",
    "AgentCounts",
    "Announcement",
    "CallReserve",
    "Called",
    "Callout",
    "Effect",
    "Eligibility",
    "EmailNotifier",
    "Figures",
    "Forecast",
    "LiveMetrics",
    "LogNotifier",
    "Notification",
    "NotificationFailed",
    "Notifier",
    "OfferCallbacks",
    "Overflow",
    "Plan",
    "PlanRunner",
    "ProjectionUnavailable",
    "QueuePlan",
    "ReadyReasons",
    "Recommendation",
    "Reserve",
    "ReservePerson",
    "Step",
    "SurgeControl",
    "Tier",
    "TimelineEntry",
    "Trigger",
    "WebhookNotifier",
    "apply",
    "arrived",
    "carry_out",
    "describe",
    "fetch_projection",
    "load_plan",
    "notifications",
    "parse_plan",
    "parse_trigger",
    "plan_commands",
    "queue_figures",
]
