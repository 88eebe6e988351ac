"""Schemathesis against a live `callboard serve`, on SQLite and on PostgreSQL.

Every operation of the OpenAPI is fuzzed with a bounded number of examples,
signed in as an admin (the coverage phase also leaves the token out): no answer
may be a 500, every status must be one the operation declares, and every
declared body must match its schema. The run's counts are printed (`-s`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from callboard.store import open_store
from callboard.store.users import UserStore
from tests.fixtures.serve_process import serving

# Examples per operation and phase: about a minute per store on two shared cores.
EXAMPLES = 50
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"


def _admin_token(url: str) -> str:
    engine = open_store(url)
    users = UserStore(engine)
    users.add("fuzzer", "admin")
    token = users.issue_token("fuzzer")
    engine.dispose()
    return token


def _fuzz(base: str, token: str, reports: Path) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{base}/openapi.json",
        "--checks", CHECKS, "--max-examples", str(EXAMPLES), "--workers", "2",
        "--header", f"Authorization: Bearer {token}",
        # Endless by design (tested in test_live_api); a request would never finish.
        "--exclude-path-regex", "/stream/",
        "--continue-on-failure", "--generation-database", "none", "--no-color",
        "--report", "json,ndjson", "--report-dir", str(reports),
    ]  # fmt: skip
    return subprocess.run(command, cwd=reports.parent, capture_output=True, text=True, timeout=600)


def _statuses(reports: Path) -> Counter[int | None]:
    """The status of every request the fuzzer made (None: no response)."""
    found: Counter[int | None] = Counter()
    (events,) = reports.glob("ndjson-*.ndjson")
    for line in events.read_text().splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if finished is None:
            continue
        for interaction in finished["recorder"].get("interactions", {}).values():
            response = interaction.get("response")
            found[response["status_code"] if response else None] += 1
    return found


def test_the_fuzzer_gets_no_500_and_only_declared_answers(store_url: str, tmp_path: Path) -> None:
    token = _admin_token(store_url)
    reports = tmp_path / "reports"
    with serving(store_url, tmp_path / "data") as served:
        run = _fuzz(served.base, token, reports)
        log = served.output()
    (report_file,) = reports.glob("json-*.json")
    report: dict[str, Any] = json.loads(report_file.read_text())
    statuses = _statuses(reports)
    store = store_url.split(":", 1)[0].split("+")[0]
    print(
        f"\nfuzzer on {store}: {sum(statuses.values())} requests, "
        f"{report['operations']['tested']} operations, "
        f"{sum(f['count'] for f in report['failures'])} failures, seed {report['seed']}, "
        f"statuses {dict(sorted(statuses.items(), key=str))}"
    )
    assert report["complete"] and report["errors"] == [], run.stdout[-5000:]
    assert report["operations"]["tested"] >= 50, report["operations"]
    assert statuses[500] == 0 and statuses[None] == 0, run.stdout[-20000:]
    assert report["failures"] == [], run.stdout[-20000:]
    assert "Traceback" not in log, log[-5000:]
