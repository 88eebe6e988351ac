"""The declared ranges of what requests carry: ids, offsets, and text without NUL.

Both stores must answer an out-of-range value with a 404 or a 422, never a 500:
an id above 2^31-1 overflows PostgreSQL's `integer` (and one above 2^63-1
SQLite's), and PostgreSQL cannot store a NUL character in text at all. So ids
and offsets are bounded where they are declared, and every request body model
derives from `Body`, which refuses NUL in any string it holds. NUL in a path or
a query string is refused before routing (server/request_limits.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, Field, field_validator

# The largest id a row can have on both stores (PostgreSQL's `integer`).
MAX_ID = 2**31 - 1
NUL = "\x00"
NO_NUL = "must not contain NUL (\\u0000) characters"

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]


def has_nul(value: object) -> bool:
    """Whether `value` holds a NUL in a string, also inside lists and dicts (keys too)."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(has_nul(key) or has_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(item) for item in value)
    return False


class Body(BaseModel):
    """A request body: no string in it may hold a NUL (422 naming the field)."""

    @field_validator("*", mode="after", check_fields=False)
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if has_nul(value):
            raise ValueError(NO_NUL)
        return value
