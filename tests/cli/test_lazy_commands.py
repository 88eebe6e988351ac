"""`callboard` imports a command's module, and its library, only when that command runs.

Start-up time itself is measured in bench/cli; these tests check the cause:
which modules a fresh process has loaded, and that the listing read from
`COMMANDS` says what each command's own help says.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from callboard.cli.app import COMMANDS, app, defined_commands

HEAVY = ("numpy", "scipy", "pyarrow", "duckdb", "sqlalchemy", "fastapi", "plotly", "sklearn",
         "pandas", "uvicorn", "highspy")  # fmt: skip


def loaded_after(*args: str) -> set[str]:
    """The top-level packages a fresh `callboard ARGS` process has imported when it ends."""
    script = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})),"
        " file=sys.stderr))\n"
        "from callboard.cli.app import main\n"
        f"sys.argv = ['callboard', *{list(args)!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_the_listing_loads_no_library() -> None:
    assert not loaded_after("--help") & set(HEAVY)


def test_staff_loads_only_the_queueing_math() -> None:
    args = ("staff", "--calls", "100", "--interval", "30m", "--aht", "180", "--target", "80/20")
    loaded = loaded_after(*args)
    assert {"numpy", "scipy"} <= loaded
    assert not loaded & {
        "pyarrow",
        "duckdb",
        "sqlalchemy",
        "fastapi",
        "plotly",
        "sklearn",
        "pandas",
    }


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda e: e.name)
def test_each_listed_command_is_defined_by_its_module_with_the_same_summary(entry: object) -> None:
    name, module, summary = entry.name, entry.module, entry.summary  # type: ignore[attr-defined]
    command = defined_commands(module)[name]
    assert command.get_short_help_str(limit=200) == summary


def test_every_command_a_module_defines_is_listed() -> None:
    listed = {(e.module, e.name) for e in COMMANDS}
    defined = {(e.module, name) for e in COMMANDS for name in defined_commands(e.module)}
    assert defined == listed


def test_completion_offers_commands_from_the_listing() -> None:
    env = {"_CALLBOARD_COMPLETE": "complete_bash", "COMP_WORDS": "callboard k", "COMP_CWORD": "1"}
    result = CliRunner().invoke(app, [], env=env, prog_name="callboard")
    assert result.stdout.split() == ["kpi", "kb"]
