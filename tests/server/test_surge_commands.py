"""Surge actions become journaled live commands: every name they use must exist there."""

from __future__ import annotations

import ast
from pathlib import Path

import callboard.surge.commands as surge_commands
from callboard.server.live import COMMANDS


def test_every_command_a_surge_plan_issues_is_a_journaled_live_command() -> None:
    source = Path(surge_commands.__file__).read_text()
    names = {
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "Command"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert {"set_ready", "set_skills", "set_mode", "offer_callbacks", "add_agent"} <= names
    assert names <= set(COMMANDS)
