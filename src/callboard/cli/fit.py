"""`callboard fit`: per queue, the model inputs the records support, with 95% intervals."""

from __future__ import annotations

import json
from typing import Annotated, Any

import numpy as np
import typer

from callboard.cli.cells import clock, finite, percent
from callboard.cli.charts import Chart, ChartOption, check_chart_path, show_chart
from callboard.cli.context import console, state
from callboard.cli.options import with_unit
from callboard.cli.problems import reported, say
from callboard.cli.tables import Column, print_table
from callboard.queueing import QueueFit
from callboard.staffing import fit_queues, parse_seconds


def register(app: typer.Typer) -> None:
    app.command("fit")(fit_command)


def fit_command(
    ctx: typer.Context,
    interval: Annotated[
        str,
        typer.Option(
            "--interval", help="Interval of the day for arrival rates, with its unit: 15m, 30m, 1h."
        ),
    ] = "30m",
    output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    chart: ChartOption = None,
) -> None:
    """Per queue: arrival rate by interval of the day, AHT and patience, with 95% intervals.

    `plan staff` and `plan reserve` staff with the same AHT and patience means.
    In a terminal, the intraday profile is drawn too; --chart FILE writes it.
    """
    with reported():
        check_chart_path(chart)
        interval_s = parse_seconds(with_unit(interval, "--interval"), "--interval")
        fitted = fit_queues(state(ctx).workspace.records(), interval_s)
    results = {q: fitted.fits.get(q) or fitted.not_fitted[q] for q in fitted.queues()}
    fits = {name: fit for name, fit in results.items() if not isinstance(fit, str)}
    if output == "json":
        print(json.dumps([_fit_json(name, fit) for name, fit in results.items()]))
    else:
        for name, fit in results.items():
            if isinstance(fit, str):
                say(f"queue {name}", fit)
            else:
                _print_fit(name, fit)
    show_chart(_profile_chart(fits, interval_s), chart, in_terminal=output == "table")


def _profile_chart(fits: dict[str, QueueFit], interval_s: float) -> Chart:
    """Arrivals per hour by interval of the day, one line per queue."""
    starts = range(0, 86400, round(interval_s))
    labels = [f"{s // 3600:02d}:{s % 3600 // 60:02d}" for s in starts]
    chart = Chart("Intraday profile", "interval of the day", "arrivals per hour", labels)
    for name, fit in fits.items():
        by_start = dict(
            zip(fit.arrivals.start_s.tolist(), fit.arrivals.rate.rate.tolist(), strict=True)
        )
        chart.series[name] = [3600 * by_start[s] if s in by_start else None for s in starts]
    return chart


def _print_fit(name: str, fit: QueueFit) -> None:
    aht, logn, patience = fit.aht, fit.handle_lognormal, fit.patience
    rows = [
        ("avg handle time", clock(aht.mean), _span(aht.lower, aht.upper), f"{aht.count:,} calls"),
        ("avg handle time (lognormal)", clock(logn.mean), _span(logn.mean_lower, logn.mean_upper),
         f"mu {logn.mu:.3f}, sigma {logn.sigma:.3f}"),
        ("patience (total wait / abandons)", clock(patience.mean),
         _span(patience.lower, patience.upper), f"{patience.abandons:,} abandons"),
    ]  # fmt: skip
    for t in (30.0, 60.0, 120.0, 300.0):
        s, low, high = (float(v) for v in fit.survival.at(t))
        rows.append(
            (f"still waiting after {clock(t)}", percent(s), f"{percent(low)}–{percent(high)}",
             "Kaplan–Meier")
        )  # fmt: skip
    columns = [
        Column("figure", [r[0] for r in rows], key=True),
        *(
            Column(h, [r[i] for r in rows])
            for i, h in enumerate(("estimate", "95% interval", "based on"), 1)
        ),
    ]
    title = f"Queue {name}: {fit.offered:,} offered contacts"
    print_table(console, title, columns, notes=["Waits and times as m:ss."])
    profile = fit.arrivals
    shown = np.flatnonzero(profile.count)
    rate = profile.rate
    starts = [int(profile.start_s[i]) for i in shown]
    columns = [
        Column("from", [f"{s // 3600:02d}:{s % 3600 // 60:02d}" for s in starts], key=True),
        Column("calls", [f"{profile.count[i]:,}" for i in shown]),
        Column("per hour", [f"{3600 * rate.rate[i]:.2f}" for i in shown]),
        Column(
            "95% interval",
            [f"{3600 * rate.lower[i]:.1f}–{3600 * rate.upper[i]:.1f}" for i in shown],
        ),
    ]
    title = f"Queue {name}: arrivals per hour by interval of the day, over {profile.days} days"
    print_table(console, title, columns)


def _span(low: float, high: float) -> str:
    return f"{clock(low)}–{clock(high)}"


def _fit_json(name: str, fit: QueueFit | str) -> dict[str, Any]:
    if isinstance(fit, str):
        return {"queue": name, "error": fit}
    profile, km = fit.arrivals, fit.survival
    return {
        "queue": name,
        "offered": fit.offered,
        "confidence": 0.95,
        "aht": vars(fit.aht),
        "handle_lognormal": vars(fit.handle_lognormal),
        "patience": {
            k: finite(v) if isinstance(v, float) else v for k, v in vars(fit.patience).items()
        },
        "patience_survival": {
            "time_s": km.time.tolist(),
            "survival": km.survival.tolist(),
            "lower": km.lower.tolist(),
            "upper": km.upper.tolist(),
        },
        "arrivals": {
            "interval_s": profile.interval_s,
            "days": profile.days,
            "start_s": profile.start_s.tolist(),
            "count": profile.count.tolist(),
            "rate_per_s": profile.rate.rate.tolist(),
            "lower_per_s": profile.rate.lower.tolist(),
            "upper_per_s": profile.rate.upper.tolist(),
        },
    }
