"""`Section`, the base of every config model: a frozen table of known keys.

Unknown keys are errors, because a misspelt `patiance` would otherwise
silently mean "nobody hangs up"; the error lists the keys that are allowed
and suggests the closest one.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from callboard.config.problems import did_you_mean, problem


class Section(BaseModel):
    """A table in a config file; fields named with an alias (`for`) are read by the alias."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid", populate_by_name=False)

    @classmethod
    def allowed_keys(cls) -> tuple[str, ...]:
        """The keys a file may write in this table, in declaration order."""
        return tuple(info.alias or field for field, info in cls.model_fields.items())

    @model_validator(mode="before")
    @classmethod
    def _known_keys_only(cls, data: Any) -> Any:
        if isinstance(data, dict):
            allowed = cls.allowed_keys()
            for key in data:
                if key not in allowed:
                    raise problem(
                        f"unknown key; expected one of {', '.join(allowed)}"
                        + did_you_mean(key, allowed),
                        str(key),
                    )
        return data
