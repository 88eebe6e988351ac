"""`callboard triage` through the real command table, on a workspace folder."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from callboard.cli.app import app
from tests.triage.conftest import HELD_OUT, TRAINING


def run(workspace: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--data", str(workspace), "triage", *args])
    return result.exit_code, result.stdout, result.stderr


def test_train_evaluate_and_classify_through_the_workspace(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "train", "--labelled", str(TRAINING), "--format", "json")
    assert code == 0
    trained = json.loads(out)
    assert (trained["labels"], trained["from_file"], trained["from_cases"]) == (5, 120, 0)
    assert 0.5 < trained["held_out_accuracy"] <= 1.0
    assert (tmp_path / "triage" / "model.npz").exists()
    code, out, _ = run(tmp_path, "evaluate", "--labelled", str(HELD_OUT), "--format", "json")
    figures = json.loads(out)
    assert code == 0 and {"accuracy", "macro_f1", "per_label"} <= figures.keys()
    assert figures["per_label"]["gas"]["support"] == 8
    code, out, _ = run(tmp_path, "classify", "У під'їзді пахне газом", "--format", "json")
    assert code == 0
    assert json.loads(out) | {"confidence": None} == {
        "category": "gas", "confidence": None, "best": "gas", "priority": 9, "rule": "gas smell",
    }  # fmt: skip
    code, out, _ = run(tmp_path, "classify", "Ничего не понимаю")
    assert code == 0 and "category none (best guess" in out


def test_cross_validation_needs_no_stored_model(tmp_path: Path) -> None:
    code, out, _ = run(
        tmp_path, "evaluate", "--labelled", str(TRAINING), "--cross-validate", "3",
        "--format", "json",
    )  # fmt: skip
    assert code == 0 and len(json.loads(out)["folds"]) == 3


def test_bad_input_is_exit_2_naming_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("message,topic\nhello,greeting\n,greeting\n", encoding="utf-8")
    code, _, err = run(
        tmp_path, "train", "--labelled", str(bad), "--text-column", "message",
        "--label-column", "topic",
    )  # fmt: skip
    assert code == 2 and "bad.csv:3 field 'message': is empty" in " ".join(err.split())
    code, _, err = run(tmp_path, "evaluate", "--labelled", str(HELD_OUT))
    assert code == 2 and "callboard triage train" in err
    code, _, err = run(tmp_path, "classify", "hi", "--format", "yaml")
    assert code == 2 and "--format must be text or json" in err
