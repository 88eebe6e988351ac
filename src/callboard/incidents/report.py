"""One incident's report: its figures, its causes with numbers, their shares, what to change.

`build_report` finds the incident by id in the records, reads the days before
it for what was normal, replays its window through the engine for the shares
(`attribution`), and sizes what would have met the target
(`recommendations`). Everything comes back as plain data (`as_dict`), which
the Markdown, JSON and HTML forms all render.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from callboard.errors import BadInput
from callboard.incidents.attribution import Attribution, Target, attribute
from callboard.incidents.causes import CauseTable, cause_table
from callboard.incidents.detection import SurgeSpan, find_incidents
from callboard.incidents.history import columns_of, load_stretch
from callboard.incidents.incident import Incident, parse_incident_id
from callboard.incidents.recommendations import recommend
from callboard.incidents.settings import DetectionSettings
from callboard.incidents.staffing_timeline import Spans, agent_presence
from callboard.kpi import Source
from callboard.sim import Executor, replay_window
from callboard.surge import Plan


@dataclass(frozen=True)
class ReportOptions:
    settings: DetectionSettings = field(default_factory=DetectionSettings)
    replications: int = 30
    seed: int = 0
    lead_in_min: int = 30
    history_days: int = 56
    plan: Plan | None = None

    def __post_init__(self) -> None:
        if self.replications < 2:
            raise BadInput(
                f"replications must be at least 2 for an interval, got {self.replications}"
            )


@dataclass(frozen=True)
class IncidentReport:
    incident: Incident
    timezone: str
    options: ReportOptions
    causes: CauseTable
    attribution: Attribution
    recommendations: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        lost = self.incident.lost
        shares = []
        for row in self.causes.rows:
            share = self.attribution.shares.get(row["cause"])
            shares.append({
                "cause": row["cause"], "label": row["label"],
                "measurable": row["measurable"], "note": row.get("note"),
                "lost": None if share is None else round(share.mean, 2),
                "ci95": None if share is None else [round(share.low, 2), round(share.high, 2)],
                "share_of_loss": None if share is None or not lost else share.mean / lost,
            })  # fmt: skip
        explained = sum(s.mean for s in self.attribution.shares.values())
        a = self.attribution
        return {
            "incident": self.incident.as_dict(),
            "timezone": self.timezone,
            "settings": self.options.settings.as_dict(),
            "replications": a.replications,
            "seed": self.options.seed,
            "loss": {
                "observed_lost": round(lost, 2),
                "attributed": round(explained, 2),
                "remainder": round(lost - explained, 2),
                "replay_shortfall": a.replay_shortfall.as_dict(),
                "normal_day_shortfall": a.normal_shortfall.as_dict(),
                "replay_sl": a.replay_sl.as_dict(),
                "definition": "lost = sl_target × (offered − short abandons) − answered within T; "
                "shares are Shapley values over replays with each cause set back to normal",
            },
            "attribution": shares,
            "causes": self.causes.rows,
            "timeline": self.causes.timeline,
            "requirements": self.causes.requirements,
            "breakdown": self.causes.breakdown,
            "agents": self.causes.agents,
            "recommendations": self.recommendations,
        }


def find_incident(
    source: Source,
    incident_id: str,
    settings: DetectionSettings,
    surges: Sequence[SurgeSpan] = (),
) -> Incident:
    """The incident with this id; an unknown one is an error listing that day's ids."""
    queue, start = parse_incident_id(incident_id)
    day = datetime(start.year, start.month, start.day)
    try:
        found = find_incidents(
            source, settings, start=day, end=day + timedelta(days=2), queues=[queue],
            surges=surges,
        )  # fmt: skip
    except BadInput:
        found = []
    for incident in found:
        if incident.incident_id == incident_id:
            return incident
    known = ", ".join(i.incident_id for i in found if i.start.date() == day.date()) or "none"
    raise BadInput(f"no incident {incident_id!r} in the records; that day's incidents: {known}")


def build_report(
    source: Source,
    incident_id: str,
    options: ReportOptions | None = None,
    *,
    agent_states: Spans | None = None,
    surges: Sequence[SurgeSpan] = (),
    executor: Executor | None = None,
) -> IncidentReport:
    options = options or ReportOptions()
    settings = options.settings
    incident = find_incident(source, incident_id, settings, surges)
    stretch = load_stretch(source, incident.end, history_days=options.history_days)
    columns = columns_of(stretch.records)
    lead = timedelta(minutes=options.lead_in_min)
    first = incident.start - lead
    start_s, end_s = stretch.instant(first), stretch.instant(incident.end)
    interval_s = settings.interval_min * 60.0
    window = replay_window(
        stretch.records, timezone=stretch.timezone, start=start_s, end=end_s,
        interval_s=interval_s, sl_threshold_s=settings.sl_threshold_s,
        skills_from=stretch.instant(datetime(first.year, first.month, first.day)),
    )  # fmt: skip
    slot_count = window.slots
    first_minute = int((first - datetime(1970, 1, 1)).total_seconds() // 60)
    slot_minutes = first_minute + settings.interval_min * np.arange(slot_count)
    presence = agent_presence(agent_states, start_s, interval_s, slot_count)
    target = Target(
        incident.queue, stretch.instant(incident.start), end_s, settings.sl_target,
        settings.sl_threshold_s, settings.short_abandon_s,
    )  # fmt: skip
    table = cause_table(
        incident, window, columns, slot_minutes, settings, presence, lead_slots=lead // timedelta(
            minutes=settings.interval_min),
    )  # fmt: skip
    attribution = attribute(
        window, table.game, target, replications=options.replications, seed=options.seed,
        executor=executor,
    )  # fmt: skip
    recommendations = recommend(window, table, target, options)
    return IncidentReport(incident, stretch.timezone, options, table, attribution, recommendations)
