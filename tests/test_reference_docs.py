"""The file references in docs/ name every key the config models accept.

The keys are read from the models themselves, so a key added to a model shows
up here as missing documentation, not as a list someone forgot to extend. A key
counts as documented when it appears inside a `code` span of its reference
(a table's key column, or a `{key: value}` example).
"""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from callboard.cases.policy_file import PolicyFile
from callboard.records.csv_mapping import FIELDS, MappingFile
from callboard.sim.scenario_model import ScenarioFile
from callboard.surge.plan_model import PlanFile

ROOT = Path(__file__).resolve().parents[1]
REFERENCES: dict[str, tuple[type[BaseModel], tuple[str, ...]]] = {
    "scenario": (ScenarioFile, ("docs/scenarios.md",)),
    # The operator's guide and the plan-file reference it points to.
    "plan": (PlanFile, ("docs/surge.md", "examples/plans/README.md")),
    "csv mapping": (MappingFile, ("docs/formats.md",)),
    "sla policy": (PolicyFile, ("docs/sla.md",)),
}


def model_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """The dotted path of every key a file of `model` may hold, nested tables included."""
    paths: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{info.alias or name}"
        paths.append(path)
        for nested in _models_in(info.annotation):
            paths += model_keys(nested, f"{path}.")
    return paths


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """The models a field's type holds, through lists, dicts, unions and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if typing.get_origin(annotation) is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    found: list[type[BaseModel]] = []
    for argument in typing.get_args(annotation):
        if argument is not types.NoneType:
            found += _models_in(argument)
    return found


def documented_words(files: tuple[str, ...]) -> set[str]:
    """Every identifier inside a `code` span of the files."""
    words: set[str] = set()
    for file in files:
        text = (ROOT / file).read_text(encoding="utf-8")
        for span in re.findall(r"`([^`\n]+)`", text):
            words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", span))
    return words


@pytest.mark.parametrize("what", REFERENCES)
def test_every_key_of_the_model_is_documented(what: str) -> None:
    model, files = REFERENCES[what]
    words = documented_words(files)
    missing = [path for path in model_keys(model) if path.rsplit(".", 1)[-1] not in words]
    assert not missing, (
        f"{what} keys the model ({model.__module__}.{model.__name__}) accepts but "
        f"{' or '.join(files)} does not document: {', '.join(missing)}"
    )


def test_every_contact_field_of_a_csv_mapping_is_documented() -> None:
    words = documented_words(("docs/formats.md",))
    assert [field for field in FIELDS if field not in words] == []


def test_the_walk_reaches_nested_tables() -> None:
    paths = model_keys(ScenarioFile)
    assert {"events.for", "queues.service.sd", "agents.breaks.reason"} <= set(paths)
    assert "queues.tiers.actions.offer_callbacks.ewt_above" in model_keys(PlanFile)
