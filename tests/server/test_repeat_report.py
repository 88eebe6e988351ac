"""repeat_rate and fcr over real HTTP: the reports API gives the engine's figures for any
window, names the window it used, and refuses a bad one in the one error shape."""

from __future__ import annotations

from datetime import datetime

from callboard.kpi import compute_kpis
from callboard.workspace import Workspace
from tests.server.hotline import Hotline
from tests.server.test_kb_api import as_
from tests.server.test_reports_api import _error, _get, reports, week

__all__ = ["reports", "week"]  # the fixtures, shared with the reports API tests


def test_the_window_is_an_api_option(reports: Hotline, week: Workspace) -> None:
    sue = as_(reports, "sue")
    for window in (604_800, 86_400):
        body = _get(sue, "/api/v1/reports/kpi", start="1999-01-06", repeat_window=window)
        expected = compute_kpis(
            week.records(), start=datetime(1999, 1, 6), repeat_window=float(window)
        )
        (row,) = body["rows"]
        assert row["repeat_rate"] == expected.rows[0]["repeat_rate"] is not None
        assert row["fcr"] == expected.rows[0]["fcr"] is not None
        assert f"previous {window}s" in body["definitions"]["repeat_rate"]["definition"]
    day = _get(sue, "/api/v1/reports/kpi", repeat_window=86_400)["rows"][0]
    default = _get(sue, "/api/v1/reports/kpi")["rows"][0]
    assert day["repeat_rate"] < default["repeat_rate"] and day["fcr"] > default["fcr"]
    bad = sue.get("/api/v1/reports/kpi", params={"repeat_window": -1})
    assert "query.repeat_window" in _error(bad, 422)
