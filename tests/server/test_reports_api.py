"""The reports API over HTTP on SQLite and PostgreSQL: a real week of January 1999 checked
against the KPI engine and the CLI, hand-computed cases, live traffic, and bad input."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.encoders import jsonable_encoder

from callboard.kpi import KPIS, compute_kpis
from callboard.records import RecordDataset, import_files
from callboard.server import build_app
from callboard.server.app import ServerConfig
from callboard.workspace import Workspace
from tests.conftest import JANUARY_TZ
from tests.fixtures.live_server import serving
from tests.kpi import test_cli as kpi_cli_test
from tests.server.hotline import Hotline, call, hotline
from tests.server.test_kb_api import as_

WEEK = ("990104", "990110")  # Monday 4 to Sunday 10 January 1999, as the file writes dates


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory, january_file: Path) -> Workspace:
    """One week of the real January file imported into a workspace, shared by the module."""
    root = tmp_path_factory.mktemp("week")
    lines = january_file.read_text(encoding="utf-8").splitlines(keepends=True)
    chosen = [line for line in lines[1:] if WEEK[0] <= line.split("\t")[5] <= WEEK[1]]
    excerpt = root / "1999-01-04-week.txt"
    excerpt.write_text(lines[0] + "".join(chosen), encoding="utf-8")
    workspace = Workspace(root).ensure()
    (report,) = import_files(workspace.records(), "anonymous-bank", [excerpt], tz=JANUARY_TZ)
    assert report.written > 8_000
    return workspace


@pytest.fixture
def small(tmp_path: Path) -> Workspace:
    """The hand-computed workspace of the KPI CLI tests: figures known by heart."""
    return kpi_cli_test.small_workspace(tmp_path / "small")


def _serve(db: Hotline, workspace: Workspace | None) -> Any:
    config = ServerConfig(clock=db.time, center=hotline, workspace=workspace)
    return serving(build_app(db.engine, config))


@pytest.fixture
def reports(hotline_db: Hotline, week: Workspace) -> Iterator[Hotline]:
    with _serve(hotline_db, week) as url:
        hotline_db.url = url
        yield hotline_db


def _get(client: httpx.Client, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status
    return str(body["error"])


def test_day_and_queue_rows_are_the_kpi_engines_and_the_clis(
    reports: Hotline, week: Workspace
) -> None:
    sue = as_(reports, "sue")
    body = _get(sue, "/api/v1/reports/kpi", source="records", by=["day", "queue"],
                start="1999-01-04", end="1999-01-08")  # fmt: skip
    expected = compute_kpis(week.records(), by=["day", "queue"], start=datetime(1999, 1, 4),
                            end=datetime(1999, 1, 8))  # fmt: skip
    assert body["rows"] == jsonable_encoder(expected.rows)
    assert body["columns"] == expected.columns == ["day", "queue", *KPIS]
    assert {row["day"] for row in body["rows"]} == {f"1999-01-0{d}" for d in (4, 5, 6, 7)}
    cli = ("kpi", "--by", "day", "--by", "queue", "--from", "1999-01-04", "--to", "1999-01-08")
    code, out, _ = kpi_cli_test.run(week, *cli, "--format", "json")
    assert code == 0 and json.loads(out)["rows"] == body["rows"]
    assert body["source"] == "records" and body["by"] == ["day", "queue"]
    for name in KPIS:
        described = body["definitions"][name]
        assert described["label"] == name
        assert described["definition"] == KPIS[name].formula_text(20, 5)
    assert body["definitions"]["sl"]["definition"] == "A(wait ≤ 20s) / (O − Ab_s)"
    assert "occupancy" in body["unavailable"]


def test_intervals_add_up_to_their_day_and_export_as_csv(reports: Hotline) -> None:
    sue = as_(reports, "sue")
    day = dict(start="1999-01-05", end="1999-01-06", queue="PS")
    hours = _get(sue, "/api/v1/reports/kpi", by="interval", interval=60, **day)
    (total,) = _get(sue, "/api/v1/reports/kpi", **day)["rows"]
    assert sum(row["offered"] for row in hours["rows"]) == total["offered"] > 500
    assert hours["rows"][0]["interval"].startswith("1999-01-05T")
    assert hours["rows"][0]["interval"].endswith(":00:00")
    assert hours["interval"] == "60m"
    as_csv = {"by": "interval", "interval": 60, "format": "csv", **day}
    exported = sue.get("/api/v1/reports/kpi", params=as_csv)
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == hours["columns"] and len(rows) == len(hours["rows"]) + 1
    assert [int(r[rows[0].index("offered")]) for r in rows[1:]] == [
        r["offered"] for r in hours["rows"]
    ]
    stricter = _get(sue, "/api/v1/reports/kpi", sl_threshold=30, **day)
    assert stricter["definitions"]["sl"]["definition"] == "A(wait ≤ 30s) / (O − Ab_s)"
    assert stricter["rows"][0]["sl"] >= total["sl"]


def test_every_figure_drills_down_to_its_records(reports: Hotline) -> None:
    sue = as_(reports, "sue")
    day = dict(start="1999-01-05", end="1999-01-06")
    hours = _get(sue, "/api/v1/reports/kpi", by=["interval", "queue"], interval=30, **day)
    busiest = max(hours["rows"], key=lambda row: row["offered"])
    behind = _get(sue, "/api/v1/reports/records", interval_start=busiest["interval"],
                  interval_minutes=30, queue=busiest["queue"], outcome="offered")  # fmt: skip
    assert behind["total"] == busiest["offered"]
    assert len(behind["records"]) == min(100, busiest["offered"])
    assert all(r["queue"] == busiest["queue"] for r in behind["records"])
    agents = _get(sue, "/api/v1/reports/kpi", by="agent", **day)["rows"]
    named = next(row for row in agents if row["agent"])
    answered = _get(sue, "/api/v1/reports/records", agent=named["agent"], outcome="answered",
                    limit=1000, **day)  # fmt: skip
    assert answered["total"] == named["answered"]
    nobody = next(row for row in agents if row["agent"] is None)
    unanswered = _get(sue, "/api/v1/reports/records", agent="", outcome="offered", **day)
    assert unanswered["total"] == nobody["offered"] > 0
    page = _get(sue, "/api/v1/reports/records", agent=named["agent"], outcome="answered",
                limit=5, offset=5, **day)  # fmt: skip
    assert page["records"] == answered["records"][5:10]
    exported = sue.get("/api/v1/reports/records",
                       params={"agent": named["agent"], "outcome": "answered", "format": "csv",
                               **day})  # fmt: skip
    lines = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(lines) == answered["total"]
    assert lines[0]["contact_id"] == answered["records"][0]["contact_id"]


def test_hand_computed_figures(hotline_db: Hotline, small: Workspace) -> None:
    with _serve(hotline_db, small) as url:
        hotline_db.url = url
        body = _get(as_(hotline_db, "sue"), "/api/v1/reports/kpi", by="queue")
    sales, support = body["rows"]
    assert (sales["queue"], sales["offered"], sales["answered"]) == ("sales", 2, 2)
    assert (sales["sl"], sales["asa"], sales["aht"]) == (0.5, 22, 90)
    # Support: two abandons, one short (3 s < S = 5 s); the phantom is left out.
    assert (support["offered"], support["abandoned"], support["abandoned_short"]) == (2, 2, 1)
    assert (support["abandon_rate"], support["sl"]) == (1.0, 0.0)
    assert support["asa"] is None and support["avg_abandon_time"] == 16.5


def test_live_traffic_is_counted_by_the_same_kpi_code(api: Hotline) -> None:
    ann, pbx, sue = as_(api, "ann"), as_(api, "pbx"), as_(api, "sue")
    ann.post("/api/v1/agents/ann/login", json={})
    first = call(api, "heating")["contact_id"]
    assert ann.post(f"/api/v1/agents/ann/offers/{first}/accept").status_code == 200
    api.time.now += timedelta(seconds=60)
    second = call(api, "heating")["contact_id"]
    api.time.now += timedelta(seconds=30)
    third = call(api, "heating")["contact_id"]
    api.time.now += timedelta(seconds=30)  # ann ends the first call after 2 minutes
    ann.post(f"/api/v1/agents/ann/contacts/{first}/complete", json={"acw_s": 0})
    assert ann.post(f"/api/v1/agents/ann/offers/{second}/accept").status_code == 200
    api.time.now += timedelta(seconds=30)
    pbx.post(f"/api/v1/contacts/{third}/cancel")  # waited 60 s
    fourth = call(api, "billing")["contact_id"]  # nobody serves billing
    api.time.now += timedelta(seconds=3)
    pbx.post(f"/api/v1/contacts/{fourth}/cancel")  # a short abandon
    waiting = call(api, "billing")["contact_id"]  # no outcome yet, so not counted
    body = _get(sue, "/api/v1/reports/kpi", source="live", by="queue")
    assert body["selection"]["from"] == "2026-11-23T00:00:00"
    billing, heating = body["rows"]
    assert (heating["offered"], heating["answered"], heating["abandoned"]) == (3, 2, 1)
    assert heating["sl"] == pytest.approx(1 / 3) and heating["asa"] == 30
    # The second call is still being talked: answered, but its handle time is not known yet.
    assert (heating["handled"], heating["aht"]) == (1, 120)
    assert (billing["offered"], billing["abandoned_short"], billing["sl"]) == (1, 1, None)
    answered = _get(sue, "/api/v1/reports/records", source="live", queue="heating",
                    outcome="answered")  # fmt: skip
    assert [r["contact_id"] for r in answered["records"]] == [first, second]
    assert [r["wait_s"] for r in answered["records"]] == [0, 60]
    assert {r["agent"] for r in answered["records"]} == {"ann"}
    api.time.now += timedelta(seconds=40)
    pbx.post(f"/api/v1/contacts/{waiting}/cancel")  # a later report folds only what is new
    ann.post(f"/api/v1/agents/ann/contacts/{second}/complete", json={"acw_s": 0})
    rows = _get(sue, "/api/v1/reports/kpi", source="live", by="queue")["rows"]
    later = {row["queue"]: row for row in rows}
    assert (later["billing"]["offered"], later["billing"]["abandoned_short"]) == (2, 1)
    assert later["heating"]["handled"] == 2 and later["heating"]["aht"] == (120 + 73) / 2
    tomorrow = _get(sue, "/api/v1/reports/kpi", source="live", start="2026-11-24")
    assert tomorrow["rows"][0]["offered"] == 0


def test_roles_sources_and_bad_parameters(reports: Hotline, hotline_db: Hotline) -> None:
    sue = as_(reports, "sue")
    _error(as_(reports, None).get("/api/v1/reports/kpi"), 401)
    _error(as_(reports, "ann").get("/api/v1/reports/kpi"), 403)
    _error(as_(reports, "pbx").get("/api/v1/reports/records"), 403)
    for params, named in (
        ({"by": "weather"}, "by: 'weather' is not one of"),
        ({"interval": 45, "by": "interval"}, "interval: 45 is not one of 15, 30, 60"),
        ({"interval": "half"}, "query.interval"),
        ({"start": "yesterday"}, "start: 'yesterday' is not a date"),
        ({"start": "1999-01-05", "end": "1999-01-05"}, "end: the period is empty"),
        ({"source": "crystal-ball"}, "source: 'crystal-ball' is not one of records, live"),
        ({"format": "xml"}, "format: 'xml' is not one of json, csv"),
        ({"sl_threshold": -1}, "query.sl_threshold"),
    ):
        assert named in _error(sue.get("/api/v1/reports/kpi", params=params), 422), params
    for params, named in (
        ({"interval_start": "1999-01-05T10:00", "start": "1999-01-05"}, "interval_start: give"),
        ({"outcome": "lost"}, "outcome: 'lost' is not one of"),
        ({"limit": 0}, "query.limit"),
        ({"offset": -1}, "query.offset"),
    ):
        assert named in _error(sue.get("/api/v1/reports/records", params=params), 422), params
    with _serve(hotline_db, None) as url:
        hotline_db.url = url
        no_records = as_(hotline_db, "sue").get("/api/v1/reports/kpi")
        assert "no workspace" in _error(no_records, 409)
    no_center = build_app(hotline_db.engine, ServerConfig(clock=hotline_db.time, workspace=None))
    with serving(no_center) as url:
        hotline_db.url = url
        live = as_(hotline_db, "sue").get("/api/v1/reports/kpi", params={"source": "live"})
        assert "runs no live center" in _error(live, 409)


def test_an_empty_dataset_still_has_a_total_row(hotline_db: Hotline, tmp_path: Path) -> None:
    empty = Workspace(tmp_path / "empty").ensure()
    assert RecordDataset(empty.records_dir).is_empty()
    with _serve(hotline_db, empty) as url:
        hotline_db.url = url
        (row,) = _get(as_(hotline_db, "sue"), "/api/v1/reports/kpi")["rows"]
    assert row["offered"] == 0 and row["sl"] is None
