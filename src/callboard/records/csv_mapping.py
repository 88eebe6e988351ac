"""The column-mapping file of the csv importer, as a config model checked before any row is read.

`csv_mapped` describes the file with an example; a mistake in it is a
`BadConfig` naming the file and the key (`columns.queue`, `outcomes.TIMEOUT`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import Field, field_validator, model_validator

from callboard.config import (
    Section,
    Text,
    TimeZone,
    checked,
    did_you_mean,
    load,
    one_of,
    problem,
    shown,
)
from callboard.domain import Outcome

FORMAT = "csv"
REQUIRED_FIELDS = ("contact_id", "queue", "queued_at", "outcome")
OPTIONAL_FIELDS = (
    "arrived_at", "answered_at", "ended_at", "wait_s", "ivr_s", "ring_s", "talk_s", "hold_s",
    "acw_s", "call_id", "agent", "caller", "region", "category", "exit_reason", "priority",
    "channel",
)  # fmt: skip
FIELDS = (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)
TIME_FIELDS = ("arrived_at", "queued_at", "answered_at", "ended_at")
TIME_WORDS = ("iso", "epoch", "epoch_ms")


@dataclass(frozen=True)
class CsvMapping:
    """A validated mapping file; `columns` maps a ContactRecord field to its CSV column."""

    file: str
    columns: dict[str, str]
    outcomes: dict[str, tuple[Outcome, str | None]]  # keys case-folded
    source: str = FORMAT
    timezone: str | None = None
    time_formats: dict[str, str] = field(default_factory=dict)  # every mapped time field
    delimiter: str = ","


def load_mapping(path: Path) -> CsvMapping:
    """Read and check a mapping file; every problem is a BadConfig naming its key."""
    mapping = load(path, MappingFile, "mapping")
    default_format = mapping.time_format
    time_formats = {name: default_format for name in TIME_FIELDS if name in mapping.columns}
    return CsvMapping(
        file=str(path),
        columns={name: column.strip() for name, column in mapping.columns.items()},
        outcomes={value.casefold(): meaning for value, meaning in mapping.outcomes.items()},
        source=mapping.source.strip(),
        timezone=mapping.timezone.strip() if mapping.timezone else None,
        time_formats=time_formats | mapping.time_formats,
        delimiter=mapping.delimiter,
    )


def _time_format(value: Any) -> str:
    if not isinstance(value, str) or (value not in TIME_WORDS and "%" not in value):
        raise problem(f"{value!r} is not a strptime pattern (with %) nor one of {TIME_WORDS}")
    return value


def _delimiter(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 1:
        raise problem(f"must be one character, got {shown(value)}")
    return value


def _outcome(meaning: Any) -> tuple[Outcome, str | None]:
    """`"answered"`, or `{ outcome = "exited", exit_reason = "timeout" }`."""
    exit_reason = None
    if isinstance(meaning, dict):
        unknown = set(meaning) - {"outcome", "exit_reason"}
        if unknown:
            raise problem(f"unknown keys {sorted(unknown)}; use outcome and exit_reason")
        exit_reason = meaning.get("exit_reason")
        if exit_reason is not None and not isinstance(exit_reason, str):
            raise problem(f"exit_reason must be a string, got {exit_reason!r}")
        meaning = meaning.get("outcome")
    try:
        return Outcome(str(meaning)), exit_reason
    except ValueError:
        names = [o.value for o in Outcome]
        raise problem(
            f"{meaning!r} is not an outcome; use one of {one_of(names)}"
            + did_you_mean(meaning, names)
        ) from None


TimeFormat = Annotated[str, checked(_time_format)]


class MappingFile(Section):
    source: Text = FORMAT
    timezone: TimeZone | None = None
    time_format: TimeFormat = "iso"
    delimiter: Annotated[str, checked(_delimiter)] = ","
    columns: dict[str, Text] = Field(default_factory=dict)
    time_formats: dict[str, TimeFormat] = Field(default_factory=dict)
    outcomes: dict[str, Annotated[tuple[Outcome, str | None], checked(_outcome)]] = Field(
        default_factory=dict
    )

    @field_validator("columns")
    @classmethod
    def _contact_fields(cls, columns: dict[str, str]) -> Any:
        for name in columns:
            if name not in FIELDS:
                raise problem(
                    f"not a contact field; expected one of {', '.join(FIELDS)}"
                    + did_you_mean(name, FIELDS),
                    name,
                )
        return columns

    @field_validator("outcomes")
    @classmethod
    def _each_value_once(cls, outcomes: dict[str, Any]) -> Any:
        seen: set[str] = set()
        for value in outcomes:
            if value.casefold() in seen:
                raise problem("given twice (values are matched regardless of case)", value)
            seen.add(value.casefold())
        return outcomes

    @model_validator(mode="after")
    def _complete(self) -> Self:
        for name in REQUIRED_FIELDS:
            if name not in self.columns:
                raise problem(
                    f'required: name the CSV column, e.g. {name} = "..."', "columns", name
                )
        for name in self.time_formats:
            if name not in TIME_FIELDS or name not in self.columns:
                mapped = ", ".join(n for n in TIME_FIELDS if n in self.columns)
                raise problem(f"not a mapped time field; mapped: {mapped}", "time_formats", name)
        if not self.outcomes:
            raise problem('missing: map each outcome value, e.g. ANSWERED = "answered"', "outcomes")
        return self
