"""`callboard forecast` and `callboard plan`: from history to next week's plan.

Each command reads its options, calls one function in `callboard.forecast`, `callboard.staffing` or
`callboard.schedule` and formats what it returns; errors become a red line and exit code 2.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from callboard.cli.cells import figure
from callboard.cli.charts import Chart, ChartOption, check_chart_path, show_chart
from callboard.cli.context import console, state
from callboard.cli.options import with_unit
from callboard.cli.problems import reported, say
from callboard.cli.progress import progress
from callboard.cli.tables import Column, print_table
from callboard.domain import interval_minutes
from callboard.errors import BadInput
from callboard.forecast import (
    HistorySource,
    backtest_queues,
    builtin_models,
    forecast_rows,
    horizon_days,
    load_history,
    minutes,
)
from callboard.schedule import (
    RosterRules,
    coverage_by_day,
    coverage_svg,
    read_agents,
    read_shift_rules,
    roster_agents,
    schedule_shifts,
)
from callboard.staffing import (
    SERVICE_LEVEL_HELP,
    QueueTimes,
    ReserveRequest,
    Surge,
    Targets,
    TimesSource,
    parse_service_level,
    parse_share,
    read_people,
    read_requirements,
    reserve_history,
    staff_history,
)

FORMATS = ("table", "json", "csv")

CountsOption = Annotated[
    Path | None,
    typer.Option(
        "--counts", help="CSV timestamp,queue,count (queue optional), or the bank-calls layout."
    ),
]
RecordsOption = Annotated[
    bool, typer.Option("--records", help="Count offered contacts in the workspace records.")
]
IntervalOption = Annotated[
    str | None, typer.Option("--interval", help="5m, 15m, 30m or 60m; default: the file's own.")
]
HorizonOption = Annotated[str, typer.Option("--horizon", help="Calendar days ahead, e.g. 7d.")]
CovariatesOption = Annotated[
    Path | None,
    typer.Option(
        "--covariates", help="CSV date,queue,temperature,... (queue optional): daily regressors."
    ),
]
CalendarOption = Annotated[
    Path | None, typer.Option("--calendar", help="CSV date,kind,name[,factor]: holidays, events.")
]
FormatOption = Annotated[str, typer.Option("--format", help="table, json or csv")]
TableOrJson = Annotated[str, typer.Option("--format", help="table or json")]
AhtOption = Annotated[
    float | None,
    typer.Option(
        "--aht", help="Handle time, seconds, for every queue; default: fitted from records."
    ),
]
PatienceOption = Annotated[
    float | None, typer.Option("--patience", help="Mean patience, seconds; switches to Erlang A.")
]


def register(app: typer.Typer) -> None:
    forecast_app = typer.Typer(
        help="Forecast contacts per queue and interval, with quantiles.",
        invoke_without_command=True,
        no_args_is_help=False,
    )
    forecast_app.callback()(forecast_command)
    forecast_app.command("backtest")(backtest_command)
    app.add_typer(forecast_app, name="forecast")
    plan_app = typer.Typer(
        help="Staffing plans, shift schedules and the reserve roster.", no_args_is_help=True
    )
    plan_app.command("staff")(staff_command)
    plan_app.command("schedule")(schedule_command)
    plan_app.command("reserve")(reserve_command)
    app.add_typer(plan_app, name="plan")


def forecast_command(
    ctx: typer.Context,
    counts: CountsOption = None,
    records: RecordsOption = False,
    horizon: HorizonOption = "7d",
    interval: IntervalOption = None,
    model: Annotated[
        str, typer.Option("--model", help="auto or one of: " + ", ".join(builtin_models()))
    ] = "auto",
    quantiles: Annotated[
        str, typer.Option("--quantiles", help="Comma-separated levels.")
    ] = "0.1,0.5,0.9",
    covariates: CovariatesOption = None,
    calendar: CalendarOption = None,
    output: FormatOption = "table",
    chart: ChartOption = None,
) -> None:
    """Forecast the next days per queue and interval: mean and quantiles.

    The table sums each day; every interval is in --format csv or json, and in
    the chart (in the terminal, and in --chart FILE).
    """
    if ctx.invoked_subcommand is not None:
        return
    with reported():
        _check_format(output, FORMATS)
        check_chart_path(chart)
        levels = _levels(quantiles)
        history = load_history(_source(ctx, counts, records, interval, calendar, covariates))
        with progress("forecasting"):
            forecasts = history.forecasts(_days(horizon, "--horizon"), model)
    rows = [row for f in forecasts for row in forecast_rows(f, levels)]
    if output != "table":
        _print_rows(rows, output)
    else:
        _print_rows(_daily(rows), "table", title="Forecast: contacts per day (mean)")
    show_chart(_forecast_chart(rows), chart, in_terminal=output == "table")


def _daily(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Each queue's day: the mean total and its busiest interval."""
    days: dict[tuple[object, object], list[dict[str, object]]] = {}
    for row in rows:
        days.setdefault((row["day"], row["queue"]), []).append(row)
    summary: list[dict[str, object]] = []
    for (day, queue), intervals in days.items():
        busiest = max(intervals, key=lambda r: float(str(r["mean"])))
        summary.append({
            "day": day, "queue": queue, "model": intervals[0]["model"],
            "contacts": round(sum(float(str(r["mean"])) for r in intervals)),
            "busiest interval": f"{busiest['interval']} ({float(str(busiest['mean'])):,.1f})",
        })  # fmt: skip
    return summary


def _forecast_chart(rows: list[dict[str, object]]) -> Chart:
    times = sorted({f"{r['day']} {r['interval']}" for r in rows})
    at = {time: i for i, time in enumerate(times)}
    chart = Chart("Forecast", "interval start", "contacts per interval", times)
    bands = [name for name in (rows[0] if rows else {}) if str(name)[1:2].isdigit()]
    for row in rows:
        i = at[f"{row['day']} {row['interval']}"]
        for name in ("mean", *(bands[:: max(1, len(bands) - 1)] if bands else [])):
            series = chart.series.setdefault(f"{row['queue']} {name}", [None] * len(times))
            series[i] = float(str(row[name]))
    return chart


def backtest_command(
    ctx: typer.Context,
    counts: CountsOption = None,
    records: RecordsOption = False,
    horizon: Annotated[
        str, typer.Option("--horizon", help="How far ahead each origin forecasts.")
    ] = "1d",
    origins_from: Annotated[
        str | None,
        typer.Option(
            "--origins-from", help="First evaluation day (YYYY-MM-DD); default: the last 4 weeks."
        ),
    ] = None,
    aggregate: Annotated[
        str | None, typer.Option("--aggregate", help="Score on coarser intervals, e.g. 30m.")
    ] = None,
    interval: IntervalOption = None,
    covariates: CovariatesOption = None,
    calendar: CalendarOption = None,
    output: TableOrJson = "table",
) -> None:
    """Rolling-origin backtest: every evaluation day forecast only from earlier days."""
    with reported():
        _check_format(output, ("table", "json"))
        history = load_history(_source(ctx, counts, records, interval, calendar, covariates))
        start = _day(origins_from, "--origins-from") if origins_from else None
        with progress("backtesting every model"):
            result = backtest_queues(
                history.series,
                builtin_models(),
                origins_from=start,
                horizon_days=_days(horizon, "--horizon"),
                aggregate=_minutes(aggregate, "--aggregate"),
                effects=history.effects,
            )
    if output == "json":
        print(json.dumps(result.as_dict()))
        return
    scores = [
        {
            "model": name + (" (best)" if name == result.best else ""),
            "WAPE": f"{score.wape:.2%}",
            "RMSE": f"{score.rmse:.2f}",
            "10–90% coverage": f"{score.coverage_80:.1%}",
        }
        for name, score in result.scores.items()
    ]
    title = f"Backtest over {len(result.origins)} days, {result.interval}-minute intervals"
    _print_rows(scores, "table", title=title)


def staff_command(
    ctx: typer.Context,
    counts: CountsOption = None,
    records: RecordsOption = False,
    horizon: HorizonOption = "7d",
    interval: IntervalOption = None,
    quantile: Annotated[
        float, typer.Option("--quantile", help="Forecast level to staff for, e.g. 0.9.")
    ] = 0.5,
    aht: AhtOption = None,
    patience: PatienceOption = None,
    sl: Annotated[str | None, typer.Option("--sl", "--target", help=SERVICE_LEVEL_HELP)] = "80/20",
    max_abandon: Annotated[str | None, typer.Option("--max-abandon", help="e.g. 5%")] = None,
    max_occupancy: Annotated[str | None, typer.Option("--max-occupancy", help="e.g. 90%")] = None,
    shrinkage: Annotated[
        str, typer.Option("--shrinkage", help="Paid time off the phones, e.g. 30%.")
    ] = "0%",
    covariates: CovariatesOption = None,
    calendar: CalendarOption = None,
    output: FormatOption = "table",
) -> None:
    """Agents per interval from a forecast quantile, and the agent-hours each target costs.

    `--format csv` writes `timestamp,queue,required`, the input of `plan schedule`.
    """
    with reported():
        _check_format(output, FORMATS)
        with progress("forecasting and staffing"):
            plan = staff_history(
                _source(ctx, counts, records, interval, calendar, covariates),
                _times(ctx, aht, patience),
                _targets(sl, max_abandon, max_occupancy, shrinkage),
                horizon_days=_days(horizon, "--horizon"),
                quantile=quantile,
            )
    if output == "csv":
        _print_rows(
            [{k: r[k] for k in ("timestamp", "queue", "required")} for r in plan.rows()], "csv"
        )
        return
    if output == "json":
        print(json.dumps(plan.as_dict()))
        return
    _print_rows(plan.rows(), "table", title=f"Agents to schedule (forecast q{quantile:g})")
    costs = [
        {"target": c.description, "alone (agent-hours)": f"{c.alone_hours:,.1f}",
         "dropping it saves": f"{c.marginal_hours:,.1f}"}
        for c in plan.costs
    ]  # fmt: skip
    if plan.quantile != 0.5:
        costs.append(
            {
                "target": f"forecast q{plan.quantile:g} rather than the median",
                "alone (agent-hours)": "",
                "dropping it saves": f"{plan.quantile_hours:,.1f}",
            }
        )
    title = f"What each target costs: {plan.total_hours:,.1f} agent-hours in all"
    _print_rows(costs, "table", title=title)


def schedule_command(
    requirements: Annotated[
        Path, typer.Option("--requirements", help="CSV timestamp,queue,required (queue optional).")
    ],
    shifts: Annotated[
        Path,
        typer.Option("--shifts", help="TOML shift rules (templates, breaks, days off, sites)."),
    ],
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Write coverage vs requirement as SVG here.")
    ] = None,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="Seconds for HiGHS; overrides the file.")
    ] = None,
    agents: Annotated[
        Path | None,
        typer.Option("--agents", help="CSV name,skills[,unavailable]: also roster named agents."),
    ] = None,
    max_run: Annotated[int, typer.Option("--max-run", help="Most consecutive working days.")] = 5,
    min_rest: Annotated[
        str, typer.Option("--min-rest", help="Rest between shifts, e.g. 11h.")
    ] = "11h",
    output: TableOrJson = "table",
) -> None:
    """Shifts that cover the requirement at least cost (HiGHS MILP, 1% gap by default).

    With --agents, the shifts are then given to named agents by skill,
    availability, the longest run of working days and the rest between shifts.
    """
    with reported():
        _check_format(output, ("table", "json"))
        rules = read_shift_rules(shifts)
        if time_limit is not None:
            rules = replace(rules, time_limit=time_limit)
        needed = read_requirements(requirements, rules.interval)
        with progress(f"solving shifts (HiGHS, up to {rules.time_limit:g} s)"):
            plan = schedule_shifts(needed, rules)
        rostered = None
        if agents is not None:
            rest = minutes(with_unit(min_rest, "--min-rest"), what="--min-rest")
            rostered = roster_agents(plan, read_agents(agents), RosterRules(max_run, rest / 60))
    if chart is not None:
        chart.write_text(coverage_svg(plan), encoding="utf-8")
    if output == "json":
        extra: dict[str, object] = {"coverage_by_day": coverage_by_day(plan)}
        if rostered is not None:
            extra["roster"] = [asdict(e) for e in rostered.entries]
            extra["unfilled"] = [list(u) for u in rostered.unfilled]
        print(json.dumps(plan.as_dict() | extra))
        return
    console.print(
        f"HiGHS: {plan.status}, gap {plan.gap:.2%}, {plan.solve_seconds:.1f} s; "
        f"{plan.cost:,.1f} paid hours; headcount {plan.headcount}"
    )
    _print_rows([asdict(s) for s in plan.shifts], "table", title="Agents per shift")
    _print_rows(coverage_by_day(plan), "table", title="Coverage by day (agent-hours)")
    short = plan.under_staffed()
    if short:
        say(
            f"{len(short)} under-staffed intervals",
            "first: " + ", ".join(f"{q} {at} (-{s:g})" for q, at, s in short[:10]),
        )
    if rostered is not None:
        _print_rows([asdict(e) for e in rostered.entries], "table", title="Roster")
        if rostered.unfilled:
            say("unfilled", f"{len(rostered.unfilled)} shift places nobody can take")


def reserve_command(
    ctx: typer.Context,
    counts: CountsOption = None,
    records: RecordsOption = False,
    horizon: HorizonOption = "7d",
    interval: IntervalOption = None,
    aht: AhtOption = None,
    patience: PatienceOption = None,
    sl: Annotated[
        str,
        typer.Option("--sl", "--target", help="The normal plan's target. " + SERVICE_LEVEL_HELP),
    ] = "80/20",
    floor: Annotated[
        str, typer.Option("--floor", help="Service level a surge must still meet, SHARE/WAIT.")
    ] = "50/60",
    surge_quantile: Annotated[
        float, typer.Option("--surge-quantile", help="Surge as a forecast level.")
    ] = 0.9,
    multiplier: Annotated[
        float | None, typer.Option("--multiplier", help="Surge as a multiple of the mean instead.")
    ] = None,
    tiers: Annotated[str, typer.Option("--tiers", help="Response times in minutes.")] = "30,60,120",
    detect_after: Annotated[
        str, typer.Option("--detect-after", help="When a surge day is recognised, after opening.")
    ] = "60m",
    people: Annotated[
        Path | None, typer.Option("--people", help="CSV name,skills,travel_minutes[,available].")
    ] = None,
    output: TableOrJson = "table",
) -> None:
    """Reserve agents per tier so a surge still meets the floor, and who fills each tier."""
    with reported():
        _check_format(output, ("table", "json"))
        request = ReserveRequest(
            normal=parse_service_level(sl, "--sl"),
            floor=parse_service_level(floor, "--floor"),
            surge=Surge(quantile=surge_quantile, multiplier=multiplier),
            tiers=tuple(round(float(t)) for t in _split(tiers, "--tiers")),
            detect_after=minutes(with_unit(detect_after, "--detect-after"), what="--detect-after"),
            people=read_people(people) if people else (),
        )
        with progress("forecasting and sizing the reserve"):
            plan = reserve_history(
                _source(ctx, counts, records, interval),
                _times(ctx, aht, patience),
                request,
                horizon_days=_days(horizon, "--horizon"),
            )
    if output == "json":
        print(json.dumps(plan.as_dict()))
        return
    _print_rows(
        [
            {
                "queue": n.queue,
                **{f"{t} min": c for t, c in n.tiers.items()},
                "peak gap": n.peak_gap,
                "short before help arrives": len(n.uncovered),
            }
            for n in plan.needs
        ],
        "table",
        title="Reserve people per tier",
    )
    if plan.fills:
        _print_rows(
            [
                {
                    "queue": a.queue,
                    "tier (min)": a.tier,
                    "people": ", ".join(a.people),
                    "unfilled": a.short,
                }
                for a in plan.fills
            ],
            "table",
            title="Who is on call",
        )


def _source(
    ctx: typer.Context,
    counts: Path | None,
    records: bool,
    interval: str | None,
    calendar: Path | None = None,
    covariates: Path | None = None,
) -> HistorySource:
    return HistorySource(
        counts=counts,
        records=state(ctx).workspace.records() if records else None,
        interval=_minutes(interval, "--interval"),
        calendar=calendar,
        covariates=covariates,
    )


def _times(ctx: typer.Context, aht: float | None, patience: float | None) -> TimesSource:
    """The given handle time for every queue, else each queue's fitted from the records."""
    return QueueTimes(aht, patience) if aht is not None else state(ctx).workspace.records()


def _targets(
    sl: str | None, max_abandon: str | None, max_occupancy: str | None, shrinkage: str
) -> Targets:
    level = parse_service_level(sl, "--sl") if sl else None
    return Targets(
        sl=level.level if level else None,
        threshold=level.threshold if level else 20.0,
        max_abandon=parse_share(max_abandon, "--max-abandon") if max_abandon else None,
        max_occupancy=(
            parse_share(max_occupancy, "--max-occupancy", allow_whole=True)
            if max_occupancy
            else None
        ),
        shrinkage=parse_share(shrinkage, "--shrinkage", allow_zero=True),
    )


def _days(text: str, option: str) -> int:
    return horizon_days(with_unit(text, option))


def _minutes(text: str | None, option: str) -> int | None:
    return interval_minutes(with_unit(text, option)) if text else None


def _levels(text: str) -> np.ndarray:
    levels = np.array([float(v) for v in _split(text, "--quantiles")])
    if np.any((levels <= 0) | (levels >= 1)):
        raise BadInput(f"--quantiles {text!r}: every level must lie strictly between 0 and 1")
    return levels


def _split(text: str, option: str) -> list[str]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        [float(p) for p in parts]
    except ValueError:
        raise BadInput(f"{option} {text!r}: expected comma-separated numbers") from None
    return parts


def _day(text: str, option: str) -> np.datetime64:
    try:
        return np.datetime64(text, "D")
    except ValueError:
        raise BadInput(f"{option} {text!r}: expected a date YYYY-MM-DD") from None


def _check_format(output: str, allowed: tuple[str, ...]) -> None:
    if output not in allowed:
        raise BadInput(f"--format {output!r}: choose one of {', '.join(allowed)}")


def _print_rows(rows: Sequence[Mapping[str, object]], output: str, *, title: str = "") -> None:
    if output == "json":
        print(json.dumps(rows))
        return
    if output == "csv":
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        print(buffer.getvalue(), end="")
        return
    names = list(rows[0]) if rows else []
    columns = [
        Column(str(name), [figure(row[name], None) for row in rows], key=_is_label(rows, name))
        for name in names
    ]
    print_table(console, title, columns)


def _is_label(rows: Sequence[Mapping[str, object]], name: str) -> bool:
    """A column of times or names labels its rows: it stays however narrow the terminal."""
    return all(isinstance(row[name], str) for row in rows)
