"""The cause table: each cause's actual and normal figures, and the game the replay plays.

Rows cover the incident's own span (the lead-in is replayed, not reported).
A cause is in the game (the Shapley attribution) only when the records can
show it and it departed from normal by more than noise (`SIGNIFICANT_Z`
standard errors; its share is then 0, reported as within normal variation);
a cause the records cannot show is a row marked not measurable, its loss left
in the remainder, never put at zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from callboard.incidents.counterfactual import (
    HANDLING,
    LABELS,
    NOT_SCHEDULED,
    ROUTING,
    SHRINKAGE,
    STAFFING,
    VOLUME,
    Cause,
    routing_differs,
)
from callboard.incidents.history import Columns
from callboard.incidents.incident import Incident
from callboard.incidents.normal import Usual, usual_levels
from callboard.incidents.settings import DetectionSettings
from callboard.incidents.staffing_timeline import Presence
from callboard.queueing import required_agents
from callboard.sim import ReplayWindow

# A departure from normal within this many standard errors is noise, not a cause: the
# offered count against its forecast (Poisson), the mean talk time against the usual.
# Left in, noise would still take a share, since Shapley splits every interaction.
SIGNIFICANT_Z = 2.0


@dataclass(frozen=True)
class CauseTable:
    rows: list[dict[str, Any]]
    game: list[Cause]
    timeline: list[dict[str, Any]]
    breakdown: dict[str, list[dict[str, Any]]]
    agents: list[dict[str, Any]]
    on_line: np.ndarray  # agents on the line in the window (all its queues), per slot
    required_actual: np.ndarray  # agents the actual volumes and AHTs needed, per slot
    skills: tuple[str, ...]  # the window's queues, which extra agents would serve
    requirements: dict[str, dict[str, Any]]  # per queue: the Erlang A inputs and result
    lead_slots: int


def cause_table(
    incident: Incident,
    window: ReplayWindow,
    columns: Columns,
    slot_minutes: np.ndarray,
    settings: DetectionSettings,
    presence: Presence | None,
    *,
    lead_slots: int,
) -> CauseTable:
    queue, width = incident.queue, settings.interval_min
    day_start = int(slot_minutes[0] // 1440 * 1440)
    history = _subset(columns, columns.local_minute < day_start)
    in_window = (columns.local_minute >= slot_minutes[0]) & (
        columns.local_minute < slot_minutes[-1] + width
    )
    usual = {q.name: usual_levels(history, q.name, slot_minutes, width) for q in window.queues}
    mine = usual[queue]
    interval_s = width * 60.0
    actual = {
        q.name: _actual(columns, in_window, q.name, slot_minutes, width) for q in window.queues
    }
    offered, aht, talk_n = actual[queue]
    # Agents are shared between the window's queues, so staffing is pooled: every agent
    # on the line against the sum of each queue's Erlang A requirement.
    on_line = np.zeros(len(slot_minutes))
    for group in window.groups:
        on_line += np.asarray(group.on_duty, dtype=np.float64)
    required = np.zeros(len(slot_minutes))
    required_actual = np.zeros(len(slot_minutes))
    unknown = []
    requirements: dict[str, dict[str, Any]] = {}
    for q in window.queues:
        u, (q_offered, q_aht, _) = usual[q.name], actual[q.name]
        need = _required(u.forecast, u.aht_s, u.patience_s, settings, interval_s)
        requirements[q.name] = {
            "usual_patience_s": u.patience_s,
            "forecast": None if u.forecast is None else [float(v) for v in u.forecast],
            "usual_aht_s": [float(v) if np.isfinite(v) else None for v in u.aht_s],
            "required": [_number(v) for v in need],
        }
        if np.isfinite(need).any():
            required += np.nan_to_num(need)
        else:
            unknown.append(q.name)
        required_actual += np.nan_to_num(_required(
            q_offered, np.where(np.isfinite(q_aht), q_aht, q.service_mean_s),
            q.patience_mean_s, settings, interval_s,
        ))  # fmt: skip
    if queue in unknown:
        required[:] = np.nan
    span = slice(lead_slots, len(slot_minutes))
    rows: list[dict[str, Any]] = []
    game: list[Cause] = []
    _volume_row(rows, game, usual, queue, offered, span)
    _handling_row(rows, game, usual, window, aht, talk_n, span, queue)
    skills = tuple(q.name for q in window.queues)
    _staffing_rows(rows, game, skills, required, on_line, presence, span, unknown)
    _routing_row(rows, game, window, mine)
    timeline = _timeline(
        slot_minutes, offered, mine, aht, on_line, required, required_actual, presence
    )
    return CauseTable(
        rows=rows, game=game, timeline=timeline,
        breakdown=_breakdown(columns, history, in_window, queue, mine, span, slot_minutes,
                             lead_slots, width),
        agents=_agents(window, mine, presence, width),
        on_line=on_line, required_actual=required_actual, skills=skills,
        requirements=requirements, lead_slots=lead_slots,
    )  # fmt: skip


def _actual(
    columns: Columns, in_window: np.ndarray, queue: str, slot_minutes: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Offered, mean talk time and handled count per slot of one queue in the window."""
    now = _subset(columns, in_window & columns.offered & (columns.queue == queue))
    slot_of = (now.local_minute - slot_minutes[0]) // width
    offered = np.bincount(slot_of, minlength=len(slot_minutes)).astype(np.float64)
    handled = (now.outcome == "answered") & np.isfinite(now.talk_s) & (now.talk_s > 0)
    talk_sum = np.bincount(slot_of[handled], now.talk_s[handled], minlength=len(slot_minutes))
    talk_n = np.bincount(slot_of[handled], minlength=len(slot_minutes))
    aht = np.divide(talk_sum, talk_n, out=np.full(len(slot_minutes), np.nan), where=talk_n > 0)
    return offered, aht, talk_n


def _subset(columns: Columns, keep: np.ndarray) -> Columns:
    return Columns(**{name: getattr(columns, name)[keep] for name in Columns.__dataclass_fields__})


def _required(
    volume: np.ndarray | None,
    aht: np.ndarray,
    patience: float | None,
    settings: DetectionSettings,
    interval_s: float,
) -> np.ndarray:
    if volume is None:
        return np.full(len(aht), np.nan)
    known = np.isfinite(aht) & np.isfinite(volume)
    result = np.full(len(aht), np.nan)
    if known.any():
        result[known] = required_agents(
            volume[known] / interval_s, aht[known], patience=patience, sl=settings.sl_target,
            threshold=settings.sl_threshold_s, sl_definition="sl",
            short_abandon=settings.short_abandon_s,
        )  # fmt: skip
    return result


def _row(cause: str, measurable: bool, **figures: Any) -> dict[str, Any]:
    return {"cause": cause, "label": LABELS[cause], "measurable": measurable, **figures}


def _volume_row(
    rows: list[dict[str, Any]], game: list[Cause], usual: dict[str, Usual], queue: str,
    offered: np.ndarray, span: slice,
) -> None:  # fmt: skip
    mine = usual[queue]
    if mine.forecast is None:
        rows.append(_row(VOLUME, False, note=mine.forecast_note))
        return
    forecasts = {name: u.forecast for name, u in usual.items() if u.forecast is not None}
    actual, expected = float(offered[span].sum()), float(mine.forecast[span].sum())
    rows.append(_row(
        VOLUME, True, actual=actual, normal=round(expected, 1), unit="offered contacts",
        excess=round(actual - expected, 1),
        excess_pct=round(100 * (actual / expected - 1), 1) if expected > 0 else None,
        note=mine.forecast_note + "; the replay sets every queue of the window to its forecast",
    ))  # fmt: skip
    z = (actual - expected) / np.sqrt(expected) if expected > 0 else np.inf
    rows[-1]["z"] = round(float(z), 2)
    if abs(z) > SIGNIFICANT_Z:
        game.append(Cause(VOLUME, forecasts))


def _handling_row(
    rows: list[dict[str, Any]], game: list[Cause], usual: dict[str, Usual],
    window: ReplayWindow, aht: np.ndarray, talk_n: np.ndarray, span: slice, queue: str,
) -> None:  # fmt: skip
    means = {}
    for name, u in usual.items():
        known = np.isfinite(u.aht_s)
        if known.any():
            means[name] = float(np.mean(u.aht_s[known]))
    if queue not in means:
        rows.append(_row(HANDLING, False, note="no handled calls of this queue in the history"))
        return
    n = talk_n[span]
    actual = float(np.nansum(aht[span] * n) / n.sum()) if n.sum() else None
    usual_span = usual[queue].aht_s[span]
    weights = np.where(np.isfinite(usual_span), n, 0)
    normal = (
        float(np.nansum(usual_span * weights) / weights.sum()) if weights.sum() else means[queue]
    )
    rows.append(_row(
        HANDLING, True, actual=None if actual is None else round(actual, 1),
        normal=round(normal, 1), unit="seconds of talk (mean)",
        excess_pct=None if actual is None else round(100 * (actual / normal - 1), 1),
        replay_service_mean_s=round(window.queue(queue).service_mean_s, 1),
        note="usual: " + ", ".join(sorted(set(usual[queue].aht_basis[span]))),
    ))  # fmt: skip
    if actual is None:
        return
    z = (actual - normal) / (window.queue(queue).service_sd_s / np.sqrt(n.sum()))
    rows[-1]["z"] = round(float(z), 2)
    if abs(z) > SIGNIFICANT_Z:
        game.append(Cause(HANDLING, means))


def _staffing_rows(
    rows: list[dict[str, Any]], game: list[Cause], skills: tuple[str, ...], required: np.ndarray,
    on_line: np.ndarray, presence: Presence | None, span: slice, unknown: list[str],
) -> None:  # fmt: skip
    if not np.isfinite(required).any():
        rows.append(_row(STAFFING, False, note="no forecast or usual AHT: required agents unknown"))
        rows.append(_row(SHRINKAGE, False, note="required agents unknown"))
        return
    need = np.where(np.isfinite(required), required, 0.0)
    short = np.maximum(need - on_line, 0.0)
    figures = {
        "actual": round(float(on_line[span].mean()), 1),
        "normal": round(float(need[span].mean()), 1),
        "unit": "agents on the line, all queues of the window (mean per interval)",
        "queues": list(skills), "queues_without_requirement": unknown,
        "short_agent_intervals": round(float(short[span].sum()), 1),
    }  # fmt: skip
    rounded = np.ceil(short).astype(int)
    if presence is None:
        rows.append(
            _row(
                STAFFING,
                True,
                **figures,
                note=(
                    "on the line: agents inside a work session (calls no more than 20 min apart); "
                    "required: Erlang A for the forecast, usual AHT and patience"
                ),
            )
        )
        rows.append(
            _row(
                SHRINKAGE,
                False,
                note=(
                    "no agent-state records for this stretch: breaks and not-ready time cannot be "
                    "told apart from agents not scheduled"
                ),
            )
        )
        if rounded.any():
            game.append(Cause(STAFFING, (skills, tuple(rounded.tolist()))))
        return
    logged = presence.logged_in
    not_scheduled = np.maximum(need - np.maximum(logged, on_line), 0.0)
    unavailable = np.minimum(np.maximum(logged - on_line, 0.0), short)
    rows.append(
        _row(
            NOT_SCHEDULED,
            True,
            **figures,
            logged_in=round(float(logged[span].mean()), 1),
            short_agent_intervals_not_scheduled=round(float(not_scheduled[span].sum()), 1),
            note="logged in below the required agents",
        )
    )
    rows.append(_row(SHRINKAGE, True, actual=round(float(presence.paused[span].mean()), 1),
                     unit="agents paused (mean per interval)",
                     by_reason={k: round(float(v[span].mean()), 2)
                                for k, v in presence.paused_by_reason.items()},
                     short_agent_intervals=round(float(unavailable[span].sum()), 1),
                     note="logged in but paused or not taking calls"))  # fmt: skip
    for name, extra in ((NOT_SCHEDULED, not_scheduled), (SHRINKAGE, unavailable)):
        counts = np.ceil(extra).astype(int)
        if counts.any():
            game.append(Cause(name, (skills, tuple(counts.tolist()))))


def _routing_row(
    rows: list[dict[str, Any]], game: list[Cause], window: ReplayWindow, usual: Usual
) -> None:
    if len(window.queues) < 2:
        rows.append(_row(ROUTING, True, note="one queue in the window: routing cannot matter"))
        return
    if not usual.skills:
        rows.append(_row(ROUTING, False, note="no history of who answered which queue"))
        return
    names = {q.name for q in window.queues}
    lacking = sorted(
        (agent, sorted((usual.skills.get(agent, frozenset()) & names) - set(group.skills)))
        for group in window.groups for agent in group.agents
        if max(group.on_duty, default=0) > 0
        and (usual.skills.get(agent, frozenset()) & names) - set(group.skills)
    )  # fmt: skip
    rows.append(_row(
        ROUTING, True, actual=len(lacking), unit="agents on the line without a usual skill",
        lacking={agent: queues for agent, queues in lacking},
        note="skills: the queues each agent answered in the window against the history",
    ))  # fmt: skip
    if routing_differs(window, usual.skills):
        game.append(Cause(ROUTING, usual.skills))


def _timeline(
    slot_minutes: np.ndarray, offered: np.ndarray, usual: Usual, aht: np.ndarray,
    on_line: np.ndarray, required: np.ndarray, required_actual: np.ndarray,
    presence: Presence | None,
) -> list[dict[str, Any]]:  # fmt: skip
    out = []
    for index, minute in enumerate(slot_minutes):
        row: dict[str, Any] = {
            "start": (datetime(1970, 1, 1) + timedelta(minutes=int(minute))).isoformat(),
            "offered": int(offered[index]),
            "forecast": None if usual.forecast is None else round(float(usual.forecast[index]), 1),
            "aht_s": _number(aht[index]), "usual_aht_s": _number(usual.aht_s[index]),
            "on_line": _number(on_line[index]), "required": _number(required[index]),
            "required_for_actual": _number(required_actual[index]),
        }  # fmt: skip
        if presence is not None:
            row["logged_in"] = _number(presence.logged_in[index])
            row["paused"] = _number(presence.paused[index])
        out.append(row)
    return out


def _number(value: float) -> float | None:
    return round(float(value), 1) if np.isfinite(value) else None


def _breakdown(
    columns: Columns, history: Columns, in_window: np.ndarray, queue: str, usual: Usual,
    span: slice, slot_minutes: np.ndarray, lead_slots: int, width: int,
) -> dict[str, list[dict[str, Any]]]:  # fmt: skip
    """Each region's and contact type's offered against its usual share of the forecast."""
    begin = slot_minutes[lead_slots]
    now = in_window & columns.offered & (columns.queue == queue) & (columns.local_minute >= begin)
    past = history.offered & (history.queue == queue)
    expected_total = None if usual.forecast is None else float(usual.forecast[span].sum())
    result: dict[str, list[dict[str, Any]]] = {}
    for key in ("region", "category"):
        values_now, values_past = getattr(columns, key)[now], getattr(history, key)[past]
        if all(v is None for v in values_now) and all(v is None for v in values_past):
            result[key] = []
            continue
        names = sorted({str(v) for v in (*values_now, *values_past)})
        rows = []
        for name in names:
            actual = int(sum(1 for v in values_now if str(v) == name))
            share = (
                sum(1 for v in values_past if str(v) == name) / len(values_past)
                if len(values_past)
                else None
            )
            expected = None if share is None or expected_total is None else expected_total * share
            rows.append(
                {
                    key: None if name == "None" else name,
                    "offered": actual,
                    "usual_share": share,
                    "expected": _round(expected),
                    "excess": None if expected is None else round(actual - expected, 1),
                }
            )
        result[key] = rows
    return result


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _agents(
    window: ReplayWindow, usual: Usual, presence: Presence | None, width: int
) -> list[dict[str, Any]]:
    rows = []
    for group in window.groups:
        for agent in group.agents:
            row: dict[str, Any] = {
                "agent": agent,
                "skills": list(group.skills),
                "usual_skills": sorted(usual.skills.get(agent, frozenset())),
                "minutes_on_line": int(sum(group.on_duty) * width),
            }
            if presence is not None:
                row["states_min"] = {
                    k: round(v, 1) for k, v in presence.by_agent.get(agent, {}).items()
                }
            rows.append(row)
    return rows
