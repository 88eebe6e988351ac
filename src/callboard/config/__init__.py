"""The config kit: every configuration file is a pydantic model of `Section`s, loaded by `load`.

A file's problems become `BadConfig(file, dotted key, problem)`: the key is
where pydantic found the problem (`queues.heating.service.sd`), the problem
is worded by the value types in `values` or by a model's own check
(`problem(...)`), with "did you mean" for a near miss. The models stay in
the package that owns the file; they build the types the rest of the code
uses (`Scenario`, `Plan`, `CsvMapping`, ...).
"""

from __future__ import annotations

from callboard.config.files import read_config
from callboard.config.loader import load, validate
from callboard.config.problems import did_you_mean, one_of, problem, shown
from callboard.config.section import Section
from callboard.config.values import (
    Clock,
    Count,
    Duration,
    EndClock,
    MinutesDuration,
    Name,
    Number,
    OneOrMany,
    PositiveDuration,
    PositiveNumber,
    Probability,
    Text,
    TimeZone,
    Whole,
    among,
    checked,
    choice,
    duration,
    name,
)

__all__ = [
    "Clock",
    "Count",
    "Duration",
    "EndClock",
    "MinutesDuration",
    "Name",
    "Number",
    "OneOrMany",
    "PositiveDuration",
    "PositiveNumber",
    "Probability",
    "Section",
    "Text",
    "TimeZone",
    "Whole",
    "among",
    "checked",
    "choice",
    "did_you_mean",
    "duration",
    "load",
    "name",
    "one_of",
    "problem",
    "read_config",
    "shown",
    "validate",
]
