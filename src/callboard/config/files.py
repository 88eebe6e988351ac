"""Reading a TOML or YAML configuration file into plain data.

One reader, so every configuration file fails the same way: a `BadConfig`
naming the file, with the key `(file)` when the problem is the file itself.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

from callboard.errors import BadConfig

SUFFIXES = (".toml", ".yaml", ".yml")


def read_config(path: str | Path, what: str = "file") -> tuple[Any, str]:
    """(parsed data, the file's name for error messages); `what` the file is (a scenario,
    a mapping) words the error when it cannot be read."""
    path = Path(path)
    name = str(path)
    if path.suffix not in SUFFIXES:
        raise BadConfig(name, "(file)", "use a .toml, .yaml or .yml file")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BadConfig(name, "(file)", f"cannot read the {what}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise BadConfig(
            name, "(file)", f"cannot read the {what}: not UTF-8 ({exc.reason})"
        ) from None
    try:
        data: Any = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        kind = "TOML" if path.suffix == ".toml" else "YAML"
        raise BadConfig(name, "(file)", f"not valid {kind}: {exc}") from None
    return data, name
