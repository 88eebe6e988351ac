"""docs/kpi.md is the registry written out: a clone's users read the definitions the code runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from callboard.kpi import KPIS, UNAVAILABLE, KpiDefinition
from callboard.kpi.dictionary_doc import dictionary_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "kpi.md"
REGENERATE = (
    "docs/kpi.md and the KPI registry (src/callboard/kpi/definitions.py) disagree; "
    "regenerate it with `make docs` "
    "(or `.venv/bin/python -m callboard.kpi.dictionary_doc > docs/kpi.md`) and commit it"
)


def test_docs_kpi_md_is_the_registry_written_out() -> None:
    assert DOC.read_text(encoding="utf-8") == dictionary_markdown(), REGENERATE


def test_every_kpi_appears_with_formula_unit_variant_and_note() -> None:
    rows = _rows(dictionary_markdown())
    for name, definition in KPIS.items():
        assert rows[name] == [
            definition.formula.format(T="T", S="S", W="W"),
            definition.unit,
            f"`{definition.variant_of}`" if definition.variant_of else "",
            definition.note or "",
        ], name


def test_every_unavailable_kpi_appears_with_its_reason() -> None:
    section = dictionary_markdown().split("## Not computed from contact records")[1]
    rows = _rows(section)
    for name, reason in UNAVAILABLE.items():
        assert rows[name] == [reason], name


@pytest.fixture
def outside_kpi() -> Iterator[KpiDefinition]:
    definition = KpiDefinition(
        "nps_share", "promoters / O", "answered", "ratio", "answer_rate", "a test KPI"
    )
    KPIS[definition.name] = definition
    yield definition
    del KPIS[definition.name]


def test_a_registered_kpi_shows_up_in_the_document(outside_kpi: KpiDefinition) -> None:
    assert _rows(dictionary_markdown())["nps_share"] == [
        "promoters / O", "ratio", "`answer_rate`", "a test KPI",
    ]  # fmt: skip
    assert DOC.read_text(encoding="utf-8") != dictionary_markdown()


def _rows(markdown: str) -> dict[str, list[str]]:
    """Table rows keyed by their first cell, a `code` name (the first occurrence wins)."""
    rows: dict[str, list[str]] = {}
    for line in markdown.splitlines():
        if line.startswith("| `") and "` |" in line:
            cells = [cell.strip().replace("\\|", "|") for cell in line.strip("|").split(" | ")]
            rows.setdefault(cells[0].strip("`"), cells[1:])
    return rows
