"""`callboard ewt fit` and `ewt evaluate` on a workspace holding January 1999."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from callboard.cli.app import app
from callboard.records import RecordDataset

runner = CliRunner()


def callboard(root: Path, *args: str) -> Result:
    return runner.invoke(app, ["--data", str(root), *args])


@pytest.fixture(scope="module")
def workspace(january_dataset: RecordDataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ewt")
    shutil.copytree(january_dataset.root, root / "records")
    return root


def test_a_model_fitted_in_one_workspace_is_evaluated_in_another(
    workspace: Path, tmp_path: Path
) -> None:
    model = tmp_path / "model.json"
    fitted = callboard(
        workspace, "ewt", "fit", "--days", "1999-01-01..1999-01-15", "--out", str(model)
    )
    assert fitted.exit_code == 0, fitted.output
    assert json.loads(model.read_text())["fitted_on"]["last_day"] == "1999-01-15"
    result = callboard(
        workspace, "ewt", "evaluate", "--days", "1999-01-16..1999-01-31", "--model", str(model),
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {
        "queue_length", "head_of_line", "last_to_enter", "erlang_a", "asterisk", "calibrated",
    }  # fmt: skip
    assert 0.0 < report["calibrated"]["p10_p90_coverage"] < 1.0
    assert set(report["asterisk"]["by_queue"]) >= {"PS", "NW"}


def test_the_table_names_each_predictor(workspace: Path) -> None:
    result = callboard(workspace, "ewt", "evaluate", "--days", "1999-01-04")
    assert result.exit_code == 0, result.output
    for name in ("queue_length", "erlang_a", "asterisk"):
        assert name in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "1999-01-40"], "is not a date"),
        (["--days", "2001-01-01"], "no queued contact on the chosen days"),
        (["--model", "/nonexistent/model.json"], "no fitted expected-wait model"),
        (["--format", "xml"], "choose table or json"),
    ],
)
def test_bad_options_get_a_clear_error(workspace: Path, args: list[str], message: str) -> None:
    result = callboard(workspace, "ewt", "evaluate", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_an_empty_workspace_says_to_import_first(tmp_path: Path) -> None:
    result = callboard(tmp_path, "ewt", "fit")
    assert result.exit_code == 2
    assert "callboard import" in result.output
