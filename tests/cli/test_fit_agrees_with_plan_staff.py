"""`callboard fit` and `callboard plan staff` read handle time and patience from one fitter."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from callboard.cli.app import app
from callboard.domain import ContactRecord, Outcome
from callboard.records.schema import records_to_table
from callboard.workspace import Workspace

runner = CliRunner()


def write_records(root: Path) -> list[ContactRecord]:
    """Two weeks of one busy queue, 08:00–12:00, with unknown talk times, exits and no-ACW calls."""
    rng = np.random.default_rng(12)
    records: list[ContactRecord] = []
    for day in range(14):
        opening = datetime(2024, 1, 1, 8, tzinfo=UTC) + timedelta(days=day)
        for n, offset in enumerate(np.sort(rng.uniform(0, 4 * 3600, 600))):
            at = opening + timedelta(seconds=float(offset))
            wait = float(rng.exponential(40.0))
            kind = rng.choice(
                ["answered", "unknown_talk", "abandoned", "exited"], p=[0.7, 0.1, 0.15, 0.05]
            )
            answered = kind in ("answered", "unknown_talk")
            records.append(
                ContactRecord(
                    contact_id=f"c{day}-{n}",
                    source="test",
                    queue="help",
                    outcome=Outcome.ANSWERED if answered else Outcome(kind),
                    arrived_at=at,
                    queued_at=at,
                    answered_at=at + timedelta(seconds=wait) if answered else None,
                    queued=True,
                    wait_s=wait,
                    talk_s=float(rng.gamma(4.0, 45.0)) if kind == "answered" else None,
                    hold_s=float(rng.exponential(10.0)) if answered and n % 3 == 0 else None,
                    acw_s=float(rng.exponential(20.0)) if answered and n % 2 == 0 else None,
                )
            )
    Workspace.locate(root).ensure().records().write(records_to_table(records, "UTC"))
    return records


def test_plan_staff_uses_the_aht_and_patience_fit_reports(tmp_path: Path) -> None:
    records = write_records(tmp_path)
    fit = runner.invoke(app, ["--data", str(tmp_path), "fit", "--format", "json"])
    assert fit.exit_code == 0, fit.output
    (queue,) = json.loads(fit.stdout)
    aht, patience = queue["aht"]["mean"], queue["patience"]["mean"]
    # KPI.md: handled counts answered contacts with a known talk time.
    handled = [
        r.talk_s + (r.hold_s or 0.0) + (r.acw_s or 0.0) for r in records if r.talk_s is not None
    ]
    assert aht == pytest.approx(float(np.mean(handled)), rel=1e-12)

    plan = ["--data", str(tmp_path), "plan", "staff", "--records", "--horizon", "2d"]
    fitted = runner.invoke(app, [*plan, "--format", "json"])
    given = runner.invoke(
        app, [*plan, "--aht", repr(aht), "--patience", repr(patience), "--format", "json"]
    )
    assert fitted.exit_code == 0, fitted.output
    assert given.exit_code == 0, given.output
    assert json.loads(fitted.stdout) == json.loads(given.stdout)
