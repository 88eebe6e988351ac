"""Loading a config file into a model: read the file, validate it, place the first problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from callboard.config.files import read_config
from callboard.config.problems import bad_config

_M = TypeVar("_M", bound=BaseModel)


def validate(model: type[_M], data: Any, file: str, context: dict[str, Any] | None = None) -> _M:
    """`data` (already parsed) as `model`, or a BadConfig naming `file`, the key and the problem.

    `context` reaches every validator as `info.context`, for checks that need
    something outside the file (the queues a center has, the file's folder).
    """
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise bad_config(file, exc, model) from None


def load(
    path: str | Path, model: type[_M], what: str = "file", context: dict[str, Any] | None = None
) -> _M:
    """Read a `.toml`, `.yaml` or `.yml` file and validate it as `model`; `what` the file
    is words the error when it cannot be read."""
    data, file = read_config(path, what)
    return validate(model, data, file, context)
