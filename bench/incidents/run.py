"""Incident listing and one report, timed; targets: a month listed < 5 s, one report with
30 replications per counterfactual < 30 s.

Peer for the listing: the same per-queue, per-30-minute SL and abandonment table
with a pandas groupby over the same Parquet records (detection's own work on top
of it is merging runs). Run: PYTHONPATH=. .venv/bin/python bench/incidents/run.py
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from callboard.incidents import ReportOptions, build_report, find_incidents
from callboard.records import RecordDataset, import_files
from callboard.records import builtin as _builtin  # noqa: F401

SHARED = Path(os.environ.get("CALLBOARD_SHARED", Path(__file__).resolve().parents[3] / "shared"))
JANUARY = SHARED / "data" / "anonymous-bank" / "1999-01.txt"


def pandas_listing(dataset: RecordDataset) -> int:
    import pandas as pd

    frame = pd.concat(pd.read_parquet(f) for f in dataset.files())
    frame = frame[frame["outcome"].isin(["answered", "abandoned", "exited"])]
    frame["slot"] = frame["local_time"].dt.floor("30min")
    frame["within"] = (frame["outcome"] == "answered") & (frame["wait_s"] <= 20)
    frame["short"] = (frame["outcome"] == "abandoned") & (frame["wait_s"] < 5)
    frame["ab"] = frame["outcome"] == "abandoned"
    grouped = frame.groupby(["queue", "slot"]).agg(
        offered=("contact_id", "size"), within=("within", "sum"), short=("short", "sum"),
        ab=("ab", "sum"),
    )  # fmt: skip
    sl = grouped["within"] / (grouped["offered"] - grouped["short"])
    bad = (grouped["offered"] >= 10) & ((sl < 0.8) | (grouped["ab"] / grouped["offered"] > 0.15))
    return int(bad.sum())


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    dataset = RecordDataset(folder / "records")
    import_files(dataset, "anonymous-bank", [JANUARY], tz="Asia/Jerusalem")
    began = time.perf_counter()
    incidents = find_incidents(dataset)
    listing_s = time.perf_counter() - began
    began = time.perf_counter()
    bad_intervals = pandas_listing(dataset)
    peer_s = time.perf_counter() - began
    worst = max(incidents, key=lambda i: i.lost)
    began = time.perf_counter()
    report = build_report(dataset, worst.incident_id, ReportOptions(replications=30))
    report_s = time.perf_counter() - began
    causes = len(report.attribution.shares)
    print(f"{'':34}{'callboard':>12}{'pandas':>12}{'ratio':>8}")
    print(f"{'list January (31,599 records)':34}{listing_s:>11.2f}s{peer_s:>11.2f}s"
          f"{peer_s / listing_s:>7.2f}x")  # fmt: skip
    print(f"{'report ' + worst.incident_id:34}{report_s:>11.2f}s   ({causes} causes, "
          f"{2**causes} coalitions x 30 replications)")  # fmt: skip
    print(json.dumps({
        "incidents": len(incidents), "list_s": round(listing_s, 3),
        "pandas_bad_intervals": bad_intervals, "pandas_s": round(peer_s, 3),
        "list_ratio_vs_pandas": round(peer_s / listing_s, 2), "report_id": worst.incident_id,
        "report_s": round(report_s, 2), "report_causes": causes, "replications": 30,
        "targets": {"list_s": 5.0, "report_s": 30.0},
    }))  # fmt: skip


if __name__ == "__main__":
    main()
