"""The config kit: how a model's problem becomes BadConfig(file, dotted key, problem)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Self

import pytest
from pydantic import Field, model_validator

from callboard.config import Duration, Section, Whole, load, problem, validate
from callboard.errors import BadConfig


class Step(Section):
    after: Duration = Field(description="how long the caller has waited, such as 30s")
    level: Whole = 1


class Queue(Section):
    mode: Literal["automatic", "recommend"] = "recommend"
    steps: list[Step] = Field(default_factory=list)

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        for index in range(1, len(self.steps)):
            if self.steps[index].after <= self.steps[index - 1].after:
                raise problem("must be later than the step before", "steps", index, "after")
        return self


class File(Section):
    queues: dict[str, Queue]
    patience: Duration | None = None
    owner: Step | None = None


def refused(data: Any) -> BadConfig:
    with pytest.raises(BadConfig) as caught:
        validate(File, data, "center.yaml")
    assert caught.value.file == "center.yaml"
    return caught.value


def test_a_good_file_validates_with_durations_in_seconds() -> None:
    checked = validate(File, {"queues": {"q": {"steps": [{"after": "1m30s"}]}}}, "f")
    assert checked.queues["q"].steps[0].after == 90.0


@pytest.mark.parametrize(
    ("data", "key", "words"),
    [
        ({"queues": {}, "patiance": 5}, "patiance", "did you mean 'patience'?"),
        ({"queues": {"q": {"mode": "automatc"}}}, "queues.q.mode",
         "must be one of automatic or recommend, got 'automatc'; did you mean 'automatic'?"),
        ({"queues": {"q": {"steps": [{"after": "soon"}]}}}, "queues.q.steps[0].after",
         "such as 90s, 15m, 1h30m or 7d"),
        ({"queues": {"q": {"steps": [{"after": 60, "level": True}]}}}, "queues.q.steps[0].level",
         "must be a whole number >= 0, got True"),
        ({"queues": {"q": {"steps": [{"after": 60}, {"after": 30}]}}},
         "queues.q.steps[1].after", "must be later than the step before"),
        ({"queues": {"q": {"steps": {}}}}, "queues.q.steps", "must be a list"),
        ({"queues": 3}, "queues", "must be a table of settings, got 3"),
        ({}, "queues", "is required"),
        ([], "(top)", "must be a table of settings"),
    ],
)  # fmt: skip
def test_each_problem_names_its_dotted_key(data: Any, key: str, words: str) -> None:
    error = refused(data)
    assert error.key == key
    assert words in error.problem


def test_a_near_miss_is_only_suggested_when_it_is_near() -> None:
    assert "did you mean" not in refused({"queues": {}, "colour": "red"}).problem


def test_load_reads_toml_and_yaml_and_names_the_kind_of_file(tmp_path: Path) -> None:
    toml = tmp_path / "center.toml"
    toml.write_text('[queues.q]\nmode = "automatic"\n')
    assert load(toml, File).queues["q"].mode == "automatic"
    yaml = tmp_path / "center.yaml"
    yaml.write_text("queues: {q: {mode: automatic}}\n")
    assert load(yaml, File) == load(toml, File)
    with pytest.raises(BadConfig, match=r"\(file\): cannot read the center file"):
        load(tmp_path / "nowhere.yaml", File, "center file")
    yaml.write_bytes(b"queues: {q: {mode: \xff}}\n")
    with pytest.raises(BadConfig, match="not UTF-8"):
        load(yaml, File)


def test_a_missing_key_says_what_it_is_for_when_the_model_says() -> None:
    error = refused({"queues": {"q": {"steps": [{"level": 2}]}}})
    assert (error.key, error.problem) == (
        "queues.q.steps[0].after",
        "is required (how long the caller has waited, such as 30s)",
    )
    assert refused({"queues": {}, "owner": {}}).problem.startswith("is required (how long")
