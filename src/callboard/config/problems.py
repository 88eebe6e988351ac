"""Turning pydantic's validation errors into one `BadConfig(file, dotted key, problem)`.

Validators in the config models raise `problem(...)` with the words a person
should read; this module only places them (`queues.heating.tiers[1].trigger`)
and words pydantic's own errors (wrong type, missing key, not one of the
choices) the way the rest of Callboard does, with a suggestion for a near miss.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from callboard.errors import BadConfig

_KIND = "config"
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def problem(text: str, *at: str | int) -> PydanticCustomError:
    """A validation error worded by us; `at` is the key path below the value being checked,
    for a check on a whole table that blames one of its keys."""
    return PydanticCustomError(_KIND, "{problem}", {"problem": text, "at": at})


def shown(value: Any) -> str:
    """A value as an error message quotes it, cut short if long."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def one_of(options: Iterable[Any]) -> str:
    """`a, b or c`."""
    words = [str(o) for o in options]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def did_you_mean(word: Any, options: Iterable[Any]) -> str:
    """`; did you mean 'patience'?` for a near miss, else nothing."""
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


def dotted(loc: Sequence[str | int]) -> str:
    """`queues.q.widening[1].after`; the whole file is `(top)`."""
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(top)"


def bad_config(file: str, error: ValidationError, model: type[BaseModel]) -> BadConfig:
    """The first problem pydantic found, as a BadConfig; one at a time, as people fix them.

    A missing or empty key says what it is for when its field has a description
    (`service: is required (the handle time distribution)`).
    """
    first = error.errors(include_url=False)[0]
    context = first.get("ctx") or {}
    loc = (*first["loc"], *context.get("at", ()))
    words = _worded(first)
    if first["type"] in ("missing", "too_short") and (description := _description(model, loc)):
        words += f" ({description})"
    return BadConfig(file, dotted(loc), words)


def relocated(error: ValidationError, skip: int) -> PydanticCustomError:
    """The first problem of a nested validation, as one raised `skip` steps further up its key
    path: `call_reserve.count`, not `call_reserve[0].count`, for a table written alone."""
    first = error.errors(include_url=False)[0]
    context = first.get("ctx") or {}
    return problem(_worded(first), *first["loc"][skip:], *context.get("at", ()))


def _description(model: type[BaseModel], loc: Sequence[str | int]) -> str | None:
    """The description of the field at `loc`, followed down through tables, lists and maps."""
    current: Any = model
    description = None
    for part in loc:
        current = _inner(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next(
                (f for n, f in current.model_fields.items() if (f.alias or n) == part), None
            )
            if field is None:
                return None
            current, description = field.annotation, field.description
        elif get_origin(current) in (list, dict):
            current, description = get_args(current)[-1], None
        else:
            return None
    return description


def _inner(annotation: Any) -> Any:
    """`T` from `Annotated[T, ...]` and from `T | None`."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) in (Union, types.UnionType):
            choices = [a for a in get_args(annotation) if a is not type(None)]
            if len(choices) != 1:
                return annotation
            annotation = choices[0]
        else:
            return annotation


def _worded(error: ErrorDetails) -> str:
    kind, value, context = error["type"], error["input"], error.get("ctx") or {}
    if kind == _KIND:
        return str(context["problem"])
    if kind == "missing":
        return "is required"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be a table of settings, got {shown(value)}"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list, got {shown(value)}"
    if kind == "string_type":
        return f"must be text, got {shown(value)}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "bool_type":
        return f"must be true or false, got {shown(value)}"
    if kind == "literal_error":
        expected = str(context.get("expected", ""))
        options = _QUOTED.findall(expected) or [expected]
        return f"must be one of {one_of(options)}, got {shown(value)}" + did_you_mean(
            value, options
        )
    return error["msg"]
