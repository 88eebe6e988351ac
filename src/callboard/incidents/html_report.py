"""An incident report as one self-contained HTML file: inline CSS and SVG charts, no
script and no outside request, so it opens offline and can be mailed as it is."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from callboard.incidents.formatting import cell as _cell
from callboard.incidents.formatting import percent as _pct

_W, _H, _PAD = 720.0, 220.0, 36.0
_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1d2430}
table{border-collapse:collapse;margin:.6rem 0 1.2rem}
td,th{border:1px solid #ccd;padding:.25rem .5rem}
th{background:#eef1f6;text-align:left}td.n{text-align:right}
svg{background:#fafbfd;border:1px solid #dde}
.legend span{margin-right:1rem}.muted{color:#667}
"""
_COLORS = ("#3367d6", "#e8710a", "#188038", "#a142f4", "#d93025", "#5f6368")


def render_html(report: dict[str, Any]) -> str:
    incident, loss, rec = report["incident"], report["loss"], report["recommendations"]
    timeline = report["timeline"]
    headline = [
        incident["offered"], incident["answered"], incident["abandoned"],
        _pct(incident["sl"]), _pct(incident["abandon_rate"]), f"{incident['lost']:.1f}",
    ]  # fmt: skip
    staffing = [
        ("on_line", "on the line"),
        ("required", "required (forecast)"),
        ("required_for_actual", "required (what came)"),
    ]
    if timeline and "logged_in" in timeline[0]:
        staffing.append(("logged_in", "logged in"))
    causes = [
        [r["label"], _cell(r.get("actual")) if r["measurable"] else "not measurable",
         _cell(r.get("normal")), r.get("unit", ""), r.get("note", "")]
        for r in report["causes"]
    ]  # fmt: skip
    tiers = [
        [f"{t['tier_min']} min", t["agents"], _pct(t["replay_sl"]["mean"]),
         "yes" if t["meets_target"] else "no"]
        for t in rec["reserve_tiers"]
    ]  # fmt: skip
    intervals = [
        [r["start"][11:16], r["offered"], _cell(r["forecast"]), _cell(r["aht_s"]),
         _cell(r["usual_aht_s"]), _cell(r["on_line"]), _cell(r["required"])]
        for r in timeline
    ]  # fmt: skip
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Incident {escape(incident['id'])}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Incident {escape(incident['id'])}</h1>",
        f"<p>Queue <b>{escape(incident['queue'])}</b>, {escape(incident['start'])} to "
        f"{escape(incident['end'])} ({escape(report['timezone'])}).</p>",
        _table(["offered", "answered", "abandoned", "SL", "abandonment", "lost"], [headline]),
        f"<p class='muted'>{escape(loss['definition'])}</p>",
        "<h2>Why: shares of the lost service</h2>",
        _waterfall(report),
        _table(["cause", "lost contacts", "95% interval", "share"], _share_rows(report)),
        "<h2>Arrivals against the forecast</h2>",
        _lines(timeline, [("offered", "offered"), ("forecast", "forecast")]),
        "<h2>Agents: required against on the line (all queues of the window)</h2>",
        _lines(timeline, staffing),
        "<h2>Causes with numbers</h2>",
        _table(["cause", "actual", "normal", "unit", "note"], causes),
        "<h2>By region and contact type</h2>",
    ]
    for key in ("region", "category"):
        parts.append(_breakdown(key, report["breakdown"].get(key) or []))
    extra = [[r["slot"][11:16], r["extra"]] for r in rec["extra_agents"]]
    parts += [
        "<h2>What to change</h2>",
        _table(["interval", "extra agents"], extra),
        f"<p>Replayed with these agents: SL {_pct(rec['replay_sl_with_extra']['mean'])}.</p>",
        _table(["reserve tier", "agents", "replayed SL", "enough?"], tiers),
        "<h2>Interval by interval</h2>",
        _table(
            ["start", "offered", "forecast", "AHT s", "usual AHT s", "on the line", "required"],
            intervals,
        ),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _breakdown(key: str, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return f"<p class='muted'>No {key} in these records.</p>"
    body = [[r[key] or "(none)", r["offered"], _cell(r["expected"]), _cell(r["excess"])]
            for r in rows]  # fmt: skip
    return _table([key, "offered", "expected", "excess"], body)


def _share_rows(report: dict[str, Any]) -> list[list[object]]:
    rows: list[list[object]] = []
    for r in report["attribution"]:
        if not r["measurable"]:
            rows.append([r["label"], "not measurable", "", ""])
        elif r["lost"] is None:
            rows.append([r["label"], "0 (within normal variation)", "", ""])
        else:
            rows.append([r["label"], f"{r['lost']:.1f}", f"{r['ci95'][0]:.1f} to "
                         f"{r['ci95'][1]:.1f}", _pct(r["share_of_loss"])])  # fmt: skip
    loss = report["loss"]
    rows.append(["remainder", f"{loss['remainder']:.1f}", "", ""])
    rows.append(["whole loss", f"{loss['observed_lost']:.1f}", "", ""])
    return rows


def _table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(
            f"<td class='n'>{escape(str(v))}</td>" if isinstance(v, int | float)
            else f"<td>{escape(str(v))}</td>" for v in row
        ) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f"<table><tr>{cells}</tr>{body}</table>"


def _lines(rows: list[dict[str, Any]], series: list[tuple[str, str]]) -> str:
    values = [r[k] for r in rows for k, _ in series if r.get(k) is not None]
    top = max([*values, 1.0])
    n = max(len(rows), 2)

    def x(i: int) -> float:
        return _PAD + i * (_W - 2 * _PAD) / (n - 1)

    def y(v: float) -> float:
        return float(_H - _PAD - v / top * (_H - 2 * _PAD))

    parts = [_axes(top, rows, x)]
    legend = []
    for (key, label), color in zip(series, _COLORS, strict=False):
        points = " ".join(f"{x(i):.1f},{y(r[key]):.1f}" for i, r in enumerate(rows)
                          if r.get(key) is not None)  # fmt: skip
        parts.append(f"<polyline fill='none' stroke='{color}' stroke-width='2' points='{points}'/>")
        legend.append(f"<span style='color:{color}'>&#9632; {escape(label)}</span>")
    return _svg("".join(parts)) + f"<div class='legend'>{''.join(legend)}</div>"


def _axes(top: float, rows: list[dict[str, Any]], x: Any) -> str:
    out = [f"<line x1='{_PAD}' y1='{_H - _PAD}' x2='{_W - _PAD}' y2='{_H - _PAD}' stroke='#889'/>",
           f"<text x='4' y='{_PAD:.0f}' font-size='11'>{top:.0f}</text>",
           f"<text x='4' y='{_H - _PAD:.0f}' font-size='11'>0</text>"]  # fmt: skip
    step = max(len(rows) // 8, 1)
    for i in range(0, len(rows), step):
        out.append(f"<text x='{x(i):.1f}' y='{_H - 12:.0f}' font-size='11' text-anchor='middle'>"
                   f"{escape(rows[i]['start'][11:16])}</text>")  # fmt: skip
    return "".join(out)


def _waterfall(report: dict[str, Any]) -> str:
    loss = report["loss"]
    steps = [(r["label"], r["lost"]) for r in report["attribution"]
             if r["measurable"] and r["lost"] is not None]  # fmt: skip
    steps.append(("remainder", loss["remainder"]))
    total = loss["observed_lost"]
    level, highs, lows = 0.0, [0.0], [0.0]
    for _, value in steps:
        level += value
        highs.append(level)
        lows.append(level)
    top, bottom = max([*highs, total, 1.0]), min([*lows, 0.0])
    bars = len(steps) + 1
    width = (_W - 2 * _PAD) / bars

    def y(v: float) -> float:
        return float(_PAD + (top - v) / (top - bottom) * (_H - 2 * _PAD))

    parts, level = [], 0.0
    for index, (label, value) in enumerate([*steps, ("whole loss", total)]):
        start, end = (0.0, total) if label == "whole loss" else (level, level + value)
        level = end if label != "whole loss" else level
        color = "#5f6368" if label == "whole loss" else ("#d93025" if value >= 0 else "#188038")
        x0 = _PAD + index * width + 4
        parts.append(
            f"<rect x='{x0:.1f}' y='{y(max(start, end)):.1f}' width='{width - 8:.1f}' "
            f"height='{max(abs(y(start) - y(end)), 1):.1f}' fill='{color}'/>"
            f"<text x='{x0 + (width - 8) / 2:.1f}' y='{_H - 20:.0f}' font-size='10' "
            f"text-anchor='middle'>{escape(label[:22])}</text>"
            f"<text x='{x0 + (width - 8) / 2:.1f}' y='{y(max(start, end)) - 3:.1f}' "
            f"font-size='10' text-anchor='middle'>{value:.0f}</text>"
        )
    zero = f"<line x1='{_PAD}' y1='{y(0):.1f}' x2='{_W - _PAD}' y2='{y(0):.1f}' stroke='#889'/>"
    return _svg(zero + "".join(parts))


def _svg(body: str) -> str:
    return f"<svg viewBox='0 0 {_W:.0f} {_H:.0f}' width='100%' role='img'>{body}</svg>"
