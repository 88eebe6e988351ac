"""An incident report as Markdown: what an analyst pastes into the morning-after note."""

from __future__ import annotations

from typing import Any

from callboard.incidents.formatting import cell as _cell
from callboard.incidents.formatting import percent as _pct


def render_markdown(report: dict[str, Any]) -> str:
    incident, loss = report["incident"], report["loss"]
    lines = [
        f"# Incident {incident['id']}",
        "",
        f"Queue **{incident['queue']}**, {incident['start']} to {incident['end']} "
        f"({report['timezone']}); triggered by {', '.join(incident['trigger'])}.",
        "",
        "| offered | answered | abandoned | SL | abandonment | service lost |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {incident['offered']} | {incident['answered']} | {incident['abandoned']} | "
        f"{_pct(incident['sl'])} | {_pct(incident['abandon_rate'])} | {incident['lost']:.1f} |",
        "",
        f"Service lost = answered-within-T contacts short of the target: {loss['definition']}.",
        "",
        "## Why: shares of the lost service",
        "",
        f"{report['replications']} replays per combination of causes (seed {report['seed']}); "
        "95% intervals over the replays.",
        "",
        "| cause | lost contacts | 95% interval | share of loss |",
        "|---|---:|---:|---:|",
    ]
    for row in report["attribution"]:
        if not row["measurable"]:
            lines.append(f"| {row['label']} | not measurable | | |")
        elif row["lost"] is None:
            lines.append(f"| {row['label']} | 0 (within normal variation) | | |")
        else:
            low, high = row["ci95"]
            lines.append(
                f"| {row['label']} | {row['lost']:.1f} | {low:.1f} to {high:.1f} | "
                f"{_pct(row['share_of_loss'])} |"
            )
    lines += [
        f"| remainder | {loss['remainder']:.1f} | | {_pct(_share(loss['remainder'], loss))} |",
        f"| **whole loss** | **{loss['observed_lost']:.1f}** | | |",
        "",
        f"The remainder is what a normal day would still have lost in the replay "
        f"({loss['normal_day_shortfall']['mean']:.1f}) plus the gap between the replay as it "
        f"was ({loss['replay_shortfall']['mean']:.1f}, SL {_pct(loss['replay_sl']['mean'])}) "
        "and the record.",
        "",
        "## Causes with numbers",
        "",
        "| cause | actual | normal | unit | note |",
        "|---|---:|---:|---|---|",
    ]
    for row in report["causes"]:
        if not row["measurable"]:
            lines.append(f"| {row['label']} | not measurable | | | {row.get('note', '')} |")
            continue
        lines.append(
            f"| {row['label']} | {_cell(row.get('actual'))} | {_cell(row.get('normal'))} | "
            f"{row.get('unit', '')} | {row.get('note', '')} |"
        )
    lines += _timeline(report["timeline"])
    lines += _breakdown(report["breakdown"])
    lines += _recommendations(report["recommendations"], report["settings"])
    return "\n".join(lines) + "\n"


def _timeline(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "", "## Interval by interval", "",
        "| start | offered | forecast | AHT s | usual AHT s | on the line | required | "
        "required for actual |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    for r in rows:
        lines.append(
            f"| {r['start'][11:16]} | {r['offered']} | {_cell(r['forecast'])} | "
            f"{_cell(r['aht_s'])} | {_cell(r['usual_aht_s'])} | {_cell(r['on_line'])} | "
            f"{_cell(r['required'])} | {_cell(r['required_for_actual'])} |"
        )
    return lines


def _breakdown(breakdown: dict[str, list[dict[str, Any]]]) -> list[str]:
    lines = ["", "## By region and contact type", ""]
    for key in ("region", "category"):
        rows = breakdown.get(key) or []
        if not rows:
            lines.append(f"No {key} in these records.")
            lines.append("")
            continue
        lines += [f"| {key} | offered | expected | excess |", "|---|---:|---:|---:|"]
        for r in rows:
            lines.append(
                f"| {r[key] or '(none)'} | {r['offered']} | {_cell(r['expected'])} | "
                f"{_cell(r['excess'])} |"
            )
        lines.append("")
    return lines


def _recommendations(rec: dict[str, Any], settings: dict[str, Any]) -> list[str]:
    target = f"{_pct(settings['sl_target'])} within {settings['sl_threshold_s']:.0f} s"
    extra = [f"{r['slot'][11:16]} +{r['extra']}" for r in rec["extra_agents"] if r["extra"]]
    sl = rec["replay_sl_with_extra"]
    lines = [
        "## What to change",
        "",
        f"Extra agents per interval for {target} (Erlang A on the volume and handling time "
        f"that came): {', '.join(extra) or 'none'} ({rec['extra_agent_hours']} agent-hours). "
        f"Replayed with them: SL {_pct(sl['mean'])} ({_pct(sl['ci95_low'])} to "
        f"{_pct(sl['ci95_high'])}), {'meets' if rec['meets_target_with_extra'] else 'misses'} "
        "the target.",
        "",
        "| reserve tier | agents | replayed SL | enough? |",
        "|---|---:|---:|---|",
    ]
    for tier in rec["reserve_tiers"]:
        lines.append(
            f"| {tier['tier_min']} min | {tier['agents']} | {_pct(tier['replay_sl']['mean'])} | "
            f"{'yes' if tier['meets_target'] else 'no'} |"
        )
    plan = rec.get("plan")
    if plan is not None:
        lines += ["", f"With the surge plan replayed: SL {_pct(plan['replay_sl']['mean'])}, "
                  f"{'meets' if plan['meets_target'] else 'misses'} the target; tiers fired in "
                  f"replays: {plan['tiers_fired_in'] or 'none'}."]  # fmt: skip
    return lines


def _share(value: float, loss: dict[str, Any]) -> float | None:
    return value / loss["observed_lost"] if loss["observed_lost"] else None
