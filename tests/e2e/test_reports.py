"""Reports: KPI columns named by their definitions, drill-down to records, CSV downloads."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from callboard.records import import_files
from callboard.server.app import ServerConfig
from callboard.workspace import Workspace
from tests.conftest import JANUARY_TZ
from tests.e2e.conftest import Site, hotline, served_site

DAY = "990104"  # Monday 4 January 1999, as the file writes dates
REPORT = "/reports?source=records&by=queue&start=1999-01-04&end=1999-01-05"


@pytest.fixture
def records_site(tmp_path: Path, january_file: Path) -> Iterator[Site]:
    """The hotline, with one day of the real January file imported as its records."""
    lines = january_file.read_text(encoding="utf-8").splitlines(keepends=True)
    excerpt = tmp_path / "1999-01-04.txt"
    excerpt.write_text(
        lines[0] + "".join(line for line in lines[1:] if line.split("\t")[5] == DAY),
        encoding="utf-8",
    )
    workspace = Workspace(tmp_path / "workspace").ensure()
    import_files(workspace.records(), "anonymous-bank", [excerpt], tz=JANUARY_TZ)
    with served_site(tmp_path, ServerConfig(center=hotline, workspace=workspace)) as site:
        yield site


def open_report(site: Site, page: Page, path: str) -> None:
    site.sign_in(page, "sue", "reports")
    page.goto(site.url + path)


def test_columns_carry_their_definition_names_and_rows_lead_to_records(
    records_site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    open_report(records_site, page, REPORT)
    table = page.locator("#rep-table")
    expect(table.get_by_role("columnheader", name="Service level sl")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Abandon rate abandon_rate")).to_be_visible()
    definitions = page.locator("#rep-definitions")
    expect(definitions).to_contain_text("A(wait ≤ 20s) / (O − Ab_s)")
    expect(definitions).to_contain_text("Ab / O")
    expect(page.locator("#rep-chart .main-svg").first).to_be_attached()
    ps = table.get_by_role("row").filter(has=page.get_by_role("cell", name="PS", exact=True))
    offered = int(ps.get_by_role("cell").nth(1).inner_text().replace(",", ""))
    assert offered > 100
    shot(page, "by-queue")

    page.get_by_role("button", name="Records for PS").click()
    records = page.get_by_role("region", name="Records: PS")
    expect(records.get_by_role("heading")).to_be_focused()
    expect(records.get_by_role("status")).to_have_text(f"1–50 of {offered}")
    rows = records.locator("tbody tr")
    expect(rows).to_have_count(50)
    expect(rows.first.get_by_role("cell").nth(1)).to_have_text("PS")
    records.get_by_role("button", name="Next").click()
    expect(records.get_by_role("status")).to_contain_text("51–100 of")
    shot(page, "records")


def test_the_report_and_its_records_download_as_csv(
    records_site: Site, page: Page, tmp_path: Path
) -> None:
    open_report(records_site, page, REPORT.replace("by=queue", "by=day&by=queue"))
    expect(page.get_by_role("status").filter(has_text="rows")).to_be_visible()
    with page.expect_download() as report_download:
        page.get_by_role("link", name="Download CSV").click()
    report = list(csv.DictReader(report_download.value.path().open(encoding="utf-8")))
    assert {"day", "queue", "sl", "abandon_rate"} <= set(report[0])
    assert {row["day"] for row in report} == {"1999-01-04"}

    page.get_by_role("button", name="Records for 1999-01-04 · PS").click()
    with page.expect_download() as records_download:
        page.get_by_role("link", name="Download these records (CSV)").click()
    contacts = list(csv.DictReader(records_download.value.path().open(encoding="utf-8")))
    assert {row["queue"] for row in contacts} == {"PS"}
    assert {row["day"] for row in contacts} == {"1999-01-04"}
    status = page.get_by_role("region", name="Records: 1999-01-04 · PS").get_by_role("status")
    expect(status).to_contain_text(f"of {len(contacts)}")


def test_agents_may_not_open_reports(records_site: Site, page: Page) -> None:
    records_site.sign_in(page, "ann", "agent")
    response = page.goto(f"{records_site.url}/reports")
    assert response is not None and response.status == 403


def test_an_interval_row_leads_to_the_records_of_that_interval(
    records_site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    open_report(records_site, page, REPORT.replace("by=queue", "by=interval&interval=60"))
    table = page.locator("#rep-table")
    nine = table.get_by_role("row").filter(has=page.get_by_role("cell", name="1999-01-04 09:00"))
    offered = nine.get_by_role("cell").nth(1).inner_text()
    expect(page.locator("#rep-chart .main-svg").first).to_be_attached()
    shot(page, "by-interval")
    nine.get_by_role("button", name="Records for 1999-01-04 09:00").click()
    records = page.get_by_role("region", name="Records: 1999-01-04 09:00")
    expect(records.get_by_role("status")).to_contain_text(f"of {offered}")
    times = records.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert times and all(time.startswith("1999-01-04 09:") for time in times)


def test_an_agent_row_leads_to_the_calls_that_agent_answered(
    records_site: Site, page: Page
) -> None:
    open_report(records_site, page, REPORT.replace("by=queue", "by=agent"))
    table = page.locator("#rep-table")
    mike = table.get_by_role("row").filter(has=page.get_by_role("cell", name="MIKI", exact=True))
    answered = mike.get_by_role("cell").nth(2).inner_text()
    # Contacts no agent answered are a row too, with nothing to drill into by agent.
    expect(table.get_by_role("button", name="Records for not answered")).to_be_disabled()
    mike.get_by_role("button", name="Records for MIKI").click()
    records = page.get_by_role("region", name="Records: MIKI")
    expect(records.get_by_role("status")).to_contain_text(f"of {answered}")
    agents = records.locator("tbody tr td:nth-child(8)").all_inner_texts()
    assert set(agents) == {"MIKI"}


def test_a_report_totals_its_rows_in_consistent_units_and_counts_rows_in_words(
    records_site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    open_report(records_site, page, REPORT)
    table = page.locator("#rep-table")
    total = table.locator("tfoot tr")
    expect(total.get_by_role("rowheader")).to_have_text("Total")
    body_offered = [
        int(c.replace(",", "")) for c in table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    ]
    assert int(total.locator("td").first.inner_text().replace(",", "")) == sum(body_offered)
    # Rates in % with one decimal, waits in m:ss, in every row and the total alike.
    cells = total.locator("td").all_inner_texts()
    assert any(re.fullmatch(r"\d+\.\d%", cell) for cell in cells), cells
    assert any(re.fullmatch(r"\d+:\d\d", cell) for cell in cells), cells
    body = table.locator("tbody td").all_inner_texts()
    assert not any(cell.endswith(" s") for cell in body + cells), "a wait in seconds"
    shot(page, "total")

    open_report(
        records_site, page, "/reports?source=records&by=day&start=1999-01-04&end=1999-01-05"
    )
    expect(page.locator("#rep-status")).to_have_text("1 row")


def test_hour_of_day_and_weekday_profiles_and_a_one_day_chart_label_each_tick_once(
    records_site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    open_report(
        records_site, page, "/reports?source=records&by=hour&start=1999-01-04&end=1999-01-05"
    )
    hours = page.locator("#rep-table tbody tr th, #rep-table tbody tr td:first-child")
    expect(hours.first).to_have_text(re.compile(r"^\d\d:00$"))
    open_report(
        records_site, page, "/reports?source=records&by=dow&start=1999-01-04&end=1999-01-05"
    )
    expect(page.locator("#rep-table tbody tr td").first).to_have_text("Mon")

    open_report(
        records_site,
        page,
        "/reports?source=records&by=interval&interval=60&start=1999-01-04&end=1999-01-05",
    )
    ticks = page.locator("#rep-chart .xtick text")
    expect(ticks.first).to_be_attached()
    labels = ticks.all_text_contents()
    assert len(labels) == len(set(labels)), labels
    assert all(re.fullmatch(r"\d\d:\d\d", label) for label in labels), labels
    expect(page.locator("#rep-chart .g-xtitle")).to_contain_text("1999-01-04")
    shot(page, "one-day")
