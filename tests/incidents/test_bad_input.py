"""Bad input: an unknown id, an empty stretch, and what records without agent states mean;
and region and category kept from a mapped CSV through to `kpi --by`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from callboard.cli.app import app
from callboard.errors import BadInput
from callboard.incidents import DetectionSettings, build_report, list_incidents, parse_incident_id
from callboard.kpi import compute_kpis
from callboard.records import RecordDataset, import_files


def test_a_malformed_id_says_what_ids_look_like() -> None:
    with pytest.raises(BadInput, match="QUEUE@YYYY-MM-DDTHH:MM"):
        parse_incident_id("yesterday")


def test_an_unknown_id_lists_that_days_incidents(january_dataset: RecordDataset) -> None:
    with pytest.raises(BadInput, match=r"no incident 'PS@1999-01-10T03:00'.*PS@1999-01-10T07:30"):
        build_report(january_dataset, "PS@1999-01-10T03:00")


def test_a_stretch_without_records_says_so(january_dataset: RecordDataset) -> None:
    with pytest.raises(BadInput, match="no offered contacts from 1999-01-11"):
        list_incidents(january_dataset, DetectionSettings(), start="1999-01-11", end="1999-01-12")
    with pytest.raises(BadInput, match="not after --from"):
        list_incidents(january_dataset, DetectionSettings(), start="1999-01-12", end="1999-01-11")


def test_the_cli_turns_bad_input_into_one_line_and_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--data", str(tmp_path), "incident", "report", "nope"])
    assert result.exit_code == 2
    assert "is not an incident id" in result.output
    result = CliRunner().invoke(app, ["--data", str(tmp_path), "incident", "list"])
    assert result.exit_code == 2 and "nothing to analyse" in result.output


def test_region_and_category_reach_the_kpi_groups(tmp_path: Path) -> None:
    csv = tmp_path / "calls.csv"
    csv.write_text(
        "id,queue,at,outcome,region,kind\n"
        "1,help,2024-03-04T09:00:00,answered,north,billing\n"
        "2,help,2024-03-04T09:01:00,abandoned,north,outage\n"
        "3,help,2024-03-04T09:02:00,answered,south,outage\n"
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[columns]\ncontact_id = "id"\nqueue = "queue"\nqueued_at = "at"\noutcome = "outcome"\n'
        'region = "region"\ncategory = "kind"\n'
        '[outcomes]\nanswered = "answered"\nabandoned = "abandoned"\n'
    )
    dataset = RecordDataset(tmp_path / "records")
    (report,) = import_files(dataset, "csv", [csv], options={"mapping": str(mapping)})
    assert report.written == 3
    by_region = {r["region"]: r["offered"] for r in compute_kpis(dataset, by=["region"]).rows}
    assert by_region == {"north": 2, "south": 1}
    by_kind = {r["category"]: r["offered"] for r in compute_kpis(dataset, by=["category"]).rows}
    assert by_kind == {"billing": 1, "outage": 2}
