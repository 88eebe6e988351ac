from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from callboard.cli.app import app
from callboard.store import ImportLog, open_store
from callboard.workspace import Workspace

runner = CliRunner()


def test_import_prints_a_summary_and_logs_it(tmp_path: Path, january_file: Path) -> None:
    args = ["--data", str(tmp_path), "import", "anonymous-bank", str(january_file)]
    result = runner.invoke(app, [*args, "--tz", "Asia/Jerusalem", "--format", "json"])
    assert result.exit_code == 0, result.output
    (summary,) = json.loads(result.stdout)
    assert summary["rows_read"] == 31_599 and summary["written"] == 31_599

    again = runner.invoke(app, [*args, "--tz", "Asia/Jerusalem", "--format", "json"])
    assert again.exit_code == 0
    assert json.loads(again.stdout)[0]["duplicates"] == 31_599

    log = ImportLog(open_store(Workspace(tmp_path).db_url))
    assert log.count() == 2


def test_exit_code_is_non_zero_only_when_nothing_was_imported(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\nworld\n")
    result = runner.invoke(app, ["--data", str(tmp_path), "import", "anonymous-bank", str(junk)])
    assert result.exit_code == 1
    assert "not an anonymous-bank file" in result.output


def test_unknown_format_names_the_known_ones(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("x\n")
    result = runner.invoke(app, ["--data", str(tmp_path), "import", "nope", str(junk)])
    assert result.exit_code == 2
    assert "anonymous-bank" in result.output


def test_a_bad_mapping_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text("this is = = not toml\n")
    data = tmp_path / "calls.csv"
    data.write_text("id,start\n1,2024-01-01T00:00:00\n")
    args = ["--data", str(tmp_path), "import", "csv", str(data), "--mapping", str(mapping)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "map.toml" in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a traceback
