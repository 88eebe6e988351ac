"""`callboard ewt`: the expected-wait predictors audited on real history, and the calibrated fit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from callboard.cli.context import console, errors, state
from callboard.errors import BadInput
from callboard.ewt_audit import (
    MODEL_FILE,
    Evaluation,
    Score,
    chosen_states,
    evaluate,
    fit,
    load_model,
    parse_days,
    save_model,
)

ewt_app = typer.Typer(
    help="Expected waits: audit every predictor on imported records, fit the calibrated one.",
    no_args_is_help=True,
)
BREAKDOWNS = ("overall", "queue", "hour")

DaysOption = Annotated[
    str | None,
    typer.Option(
        "--days", metavar="DAYS", help="Only these local days: 1999-01-01..1999-01-15,1999-01-20."
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(ewt_app, name="ewt")


@ewt_app.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    days: DaysOption = None,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            metavar="FILE",
            help=f"Calibrated model (default: the workspace's {MODEL_FILE}).",
        ),
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="Table rows: overall, queue or hour.")
    ] = "overall",
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Replay every queued contact: what each predictor would have said, against the actual wait."""
    workspace = state(ctx).workspace
    default_model = workspace.root / MODEL_FILE
    try:
        if output not in ("table", "json"):
            raise BadInput(f"--format {output!r}: choose table or json")
        if by not in BREAKDOWNS:
            raise BadInput(f"--by {by!r}: choose one of {', '.join(BREAKDOWNS)}")
        fitted = load_model(model or default_model) if model or default_model.exists() else None
        report = evaluate(chosen_states(workspace.records(), parse_days(days)), fitted)
    except BadInput as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if output == "json":
        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    console.print(_table(report, by))
    if fitted is None:
        errors.print("no calibrated model: `callboard ewt fit` adds it to this table")


@ewt_app.command("fit")
def fit_command(
    ctx: typer.Context,
    days: DaysOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="FILE", help=f"Write here (default: the workspace's {MODEL_FILE})."
        ),
    ] = None,
) -> None:
    """Fit the calibrated predictor (mean and 10–90% range) on the answered waits of the records."""
    workspace = state(ctx).workspace
    chosen = parse_days(days) if days else []
    try:
        states = chosen_states(workspace.records(), chosen)
        model = fit(states)
    except BadInput as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    target = out or workspace.ensure().root / MODEL_FILE
    fitted_on = {
        "queued": len(states),
        "answered": int(states.answered.sum()),
        "first_day": str(states.day.min()),
        "last_day": str(states.day.max()),
        "days": len(set(states.day.tolist())),
    }
    save_model(model, target, fitted_on=fitted_on)
    console.print(f"fitted on {fitted_on['answered']} answered waits over {fitted_on['days']} days")
    console.print(f"wrote {target}")


def _table(report: Evaluation, by: str) -> Table:
    table = Table(
        title=f"Expected-wait announcements against actual waits ({report.queued} queued, "
        f"{report.days} days)",
        caption="bias: announced minus actual. Censored: abandoned or sent away, true wait "
        "unknown; told less: they had already waited longer than announced.",
    )
    keys = ["predictor"] if by == "overall" else ["predictor", by]
    for key in keys:
        table.add_column(key)
    for label in ("answered", "MAE s", "RMSE s", "bias s", "±30 s", "±25%", "censored",
                  "told less", "p10–p90"):  # fmt: skip
        table.add_column(label, justify="right")
    for name, predictor in report.predictors.items():
        coverage = "—" if predictor.range_coverage is None else f"{predictor.range_coverage:.1%}"
        if by == "overall":
            table.add_row(name, *_cells(predictor.overall), coverage)
            continue
        parts: dict[str, Score] = (
            predictor.by_queue
            if by == "queue"
            else {f"{h:02d}": s for h, s in predictor.by_hour.items()}
        )
        for key, part in parts.items():
            table.add_row(name, key, *_cells(part), "")
    return table


def _cells(part: Score) -> list[str]:
    def seconds(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}"

    def share(value: float | None) -> str:
        return "—" if value is None else f"{value:.1%}"

    return [
        str(part.answered), seconds(part.mae_s), seconds(part.rmse_s), seconds(part.bias_s),
        share(part.within_30s), share(part.within_25pct), str(part.censored),
        share(part.told_less_share),
    ]  # fmt: skip
