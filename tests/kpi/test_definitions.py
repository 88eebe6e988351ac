"""The metric dictionary itself: complete, consistent, and open to outside definitions."""

from __future__ import annotations

import inspect
import re

import pytest

import callboard.kpi as kpi
from callboard.kpi import KPIS, UNAVAILABLE, KpiDefinition, register_kpi
from callboard.kpi.definitions import ratio
from callboard.kpi.measures import MEASURES
from callboard.kpi.repeat_contacts import REPEAT_MEASURES

# Every KPI of shared/KPI.md that contact records can support, under its name there.
FROM_KPI_MD = {
    "offered", "answered", "abandoned", "abandoned_short", "exited", "blocked", "callbacks",
    "sl", "sl_answered", "sl_offered", "sl_late_abandons", "sl_met", "asa", "avg_wait",
    "avg_abandon_time", "abandon_rate", "abandon_rate_excl_short", "answer_rate",
    "longest_wait", "aht", "talk_time", "overflow_share",
}  # fmt: skip


def test_every_record_based_kpi_of_the_dictionary_is_defined() -> None:
    assert set(KPIS) >= FROM_KPI_MD
    assert {"occupancy", "utilization", "shrinkage"} <= set(UNAVAILABLE)
    assert not set(UNAVAILABLE) & set(KPIS)


def test_variants_point_at_their_primary_definition() -> None:
    variants = {name: d.variant_of for name, d in KPIS.items() if d.variant_of}
    assert variants == {
        "sl_answered": "sl",
        "sl_offered": "sl",
        "sl_late_abandons": "sl",
        "sl_met": "sl",
        "asa_median": "asa",
        "asa_p90": "asa",
        "avg_abandon_time_long": "avg_abandon_time",
        "abandon_rate_excl_short": "abandon_rate",
        "talk_time": "aht",
    }


def test_kpi_sql_uses_only_measures() -> None:
    measures = set(MEASURES) | set(REPEAT_MEASURES)
    for name, definition in KPIS.items():
        words = set(re.findall(r"[a-z_]+", definition.sql)) - {"cast", "as", "nullif"}
        assert words <= measures, (name, words - measures)


def test_formulas_show_the_thresholds_of_the_run() -> None:
    assert KPIS["sl"].formula_text(15, 3) == "A(wait ≤ 15s) / (O − Ab_s)"
    assert KPIS["abandoned_short"].formula_text(20, 2.5) == "Ab_s = Ab(wait < 2.5s)"


def test_ratios_divide_by_null_instead_of_zero() -> None:
    assert ratio("a", "b - c") == "CAST(a AS DOUBLE) / NULLIF(b - c, 0)"


def test_a_name_is_defined_once_and_a_variant_needs_its_primary() -> None:
    with pytest.raises(ValueError, match="already defined"):
        register_kpi(KpiDefinition("sl", "A / O", "answered", "ratio"))
    with pytest.raises(ValueError, match="register the primary definition first"):
        register_kpi(KpiDefinition("nps_top", "x", "answered", "ratio", variant_of="nps"))


def test_the_public_api_is_exactly_what_all_lists() -> None:
    public = {
        name
        for name, value in vars(kpi).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert public == set(kpi.__all__)
