"""`callboard triage`: train the workspace's model, evaluate it, classify a request."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from callboard.cli.context import console, errors, state
from callboard.errors import BadConfig, BadInput, BadRecord
from callboard.triage import (
    DEFAULT_RULES,
    DEFAULT_THRESHOLD,
    MODEL_FILE,
    Triage,
    TriageModel,
    cross_validate,
    evaluate,
    read_labelled,
    train,
)

triage_app = typer.Typer(
    help="Suggest a request's category and priority from its text.", no_args_is_help=True
)

Labelled = Annotated[
    Path, typer.Option("--labelled", help="CSV with a text column and a label column.")
]
TextColumn = Annotated[str, typer.Option("--text-column", help="The request's column.")]
LabelColumn = Annotated[
    str | None,
    typer.Option("--label-column", help="The category's column [default: label or category]."),
]
_T = TypeVar("_T")
Format = Annotated[str, typer.Option("--format", help="text or json")]


def register(app: typer.Typer) -> None:
    app.add_typer(triage_app, name="triage")


@triage_app.command("train")
def train_command(
    ctx: typer.Context,
    labelled: Annotated[
        Path | None,
        typer.Option("--labelled", help="CSV with a text column and a label column."),
    ] = None,
    text_column: TextColumn = "text",
    label_column: LabelColumn = None,
    history: Annotated[
        bool,
        typer.Option(help="Also learn from the workspace's cases and agents' corrections."),
    ] = True,
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.0, max=1.0, help="Suggest no category below.")
    ] = DEFAULT_THRESHOLD,
    output: Format = "text",
) -> None:
    """Learn categories and store the model in the workspace; reports held-out accuracy."""
    workspace = state(ctx).workspace
    done = _checked(
        lambda: train(
            workspace.root,
            workspace.store() if history else None,
            labelled,
            text_column=text_column,
            label_column=label_column,
            threshold=threshold,
        ),
        output,
    )
    if output == "json":
        console.print_json(json.dumps(done.as_dict()))
        return
    accuracy = done.held_out_accuracy
    console.print(
        f"{done.path}: {done.labels} categories from {done.from_file} file rows, "
        f"{done.from_cases} cases and {done.from_corrections} corrections; held-out accuracy "
        + ("n/a (a category has one example)" if accuracy is None else f"{accuracy:.4f}")
    )


@triage_app.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    labelled: Labelled,
    text_column: TextColumn = "text",
    label_column: LabelColumn = None,
    folds: Annotated[
        int | None,
        typer.Option(
            "--cross-validate",
            min=2,
            help="Cross-validate on the file in N folds instead of scoring the workspace's model.",
        ),
    ] = None,
    output: Format = "text",
) -> None:
    """Accuracy, macro F1 and per-label figures on a labelled file."""
    root = state(ctx).workspace.root

    def run() -> dict[str, Any]:
        examples = read_labelled(labelled, text_column, label_column)
        if folds is not None:
            return cross_validate(examples, folds)
        return evaluate(TriageModel.load(root / MODEL_FILE), examples)

    figures = _checked(run, output)
    if output == "json":
        console.print_json(json.dumps(figures))
        return
    console.print(
        f"{figures['examples']} examples: accuracy {figures['accuracy']:.4f}, "
        f"macro F1 {figures['macro_f1']:.4f}"
    )
    for label, row in sorted(figures["per_label"].items(), key=lambda kv: kv[1]["f1"]):
        console.print(f"  {label}: f1 {row['f1']:.3f} (precision {row['precision']:.3f}, "
                      f"recall {row['recall']:.3f}, {row['support']} examples)")  # fmt: skip


@triage_app.command("classify")
def classify_command(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The request, in any language.")],
    rules: Annotated[
        Path, typer.Option("--rules", help="Priority rules file (TOML or YAML).")
    ] = DEFAULT_RULES,
    output: Format = "text",
) -> None:
    """Suggest TEXT's category, with its confidence and priority."""
    root = state(ctx).workspace.root
    suggestion = _checked(lambda: Triage.open(root, rules).suggest(text), output)
    if output == "json":
        console.print_json(json.dumps(suggestion.as_dict()))
        return
    confidence = "no model" if suggestion.confidence is None else f"{suggestion.confidence:.2f}"
    shown = suggestion.category or f"none (best guess {suggestion.best or '-'})"
    rule = f", rule: {suggestion.rule}" if suggestion.rule else ""
    console.print(
        f"category {shown}, confidence {confidence}, priority {suggestion.priority}{rule}"
    )


def _checked(run: Callable[[], _T], output: str) -> _T:
    """Run the library call; a bad file, model or option is exit code 2 with its message."""
    if output not in ("text", "json"):
        errors.print(f"[red]error:[/red] --format must be text or json, not {output!r}")
        raise typer.Exit(2)
    try:
        return run()
    except (BadInput, BadRecord, BadConfig) as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
