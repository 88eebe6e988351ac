"""What would have met the target: extra agents per interval, reserve tiers, the plan.

The extra agents per interval are Erlang A's requirement for the volume and
handling time that actually came, less the agents who were on the line; the
replay then checks that those agents would have met the target (queues carry
over between intervals, which the formula does not see). A reserve tier of
30, 60 or 120 minutes brings the same agents, but only from that long after
the incident began. With a surge plan, the replay runs the plan's own tiers
and triggers (`sim` runs `surge.SurgeControl` in the window), as it would
have run that day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from callboard.incidents.attribution import Target, estimate, replay_sl
from callboard.incidents.causes import CauseTable
from callboard.incidents.counterfactual import add_agents
from callboard.incidents.loss import span_figures
from callboard.sim import ReplayWindow, run_window

if TYPE_CHECKING:
    from callboard.incidents.report import ReportOptions

RESERVE_TIERS_MIN = (30, 60, 120)


def recommend(
    window: ReplayWindow, table: CauseTable, target: Target, options: ReportOptions
) -> dict[str, Any]:
    extra = np.ceil(np.maximum(np.nan_to_num(table.required_actual) - table.on_line, 0.0))
    extra = extra.astype(int)
    extra[: table.lead_slots] = 0
    runs = options.replications
    with_extra = replay_sl(add_agents(window, table.skills, extra, "x-extra"), target,
                           replications=runs, seed=options.seed)  # fmt: skip
    slot_min = round(window.interval_s / 60)
    tiers = []
    for delay in RESERVE_TIERS_MIN:
        late = extra.copy()
        late[: table.lead_slots + -(-delay // slot_min)] = 0
        sl = replay_sl(add_agents(window, table.skills, late, "x-reserve"), target,
                       replications=runs, seed=options.seed)  # fmt: skip
        tiers.append(
            {
                "tier_min": delay,
                "agents": int(late.max(initial=0)),
                "replay_sl": sl.as_dict(),
                "meets_target": sl.mean >= target.sl_target,
            }
        )
    result: dict[str, Any] = {
        "extra_agents": [
            {"slot": table.timeline[i]["start"], "extra": int(extra[i])}
            for i in range(table.lead_slots, len(extra))
        ],
        "extra_agent_hours": round(float(extra.sum()) * window.interval_s / 3600, 1),
        "replay_sl_with_extra": with_extra.as_dict(),
        "meets_target_with_extra": with_extra.mean >= target.sl_target,
        "reserve_tiers": tiers,
        "plan": None if options.plan is None else _with_plan(window, target, options),
    }
    return result


def _with_plan(window: ReplayWindow, target: Target, options: ReportOptions) -> dict[str, Any]:
    values, fired = [], []
    for r in range(options.replications):
        run = run_window(window, np.random.SeedSequence([options.seed, r]), plan=options.plan)
        figures = span_figures(
            run.contacts, target.queue, target.start, target.end,
            threshold_s=target.threshold_s, short_abandon_s=target.short_abandon_s,
        )  # fmt: skip
        values.append(figures.sl or 0.0)
        fired.append(sorted({e.tier for e in run.timeline if e.kind == "fired"}))
    sl = estimate(values)
    tiers = sorted({tier for run_tiers in fired for tier in run_tiers})
    return {
        "replay_sl": sl.as_dict(), "meets_target": sl.mean >= target.sl_target,
        "tiers_fired_in": {str(t): sum(t in f for f in fired) for t in tiers},
    }  # fmt: skip
