"""Benchmark: import synthetic contact records, then KPIs by 15-minute interval and queue.

    .venv/bin/python bench/kpi/run.py [--records 10000000] [--days 14] [--queues 20]

Steps, all in one run on the same files:

1. generate the records day by day with NumPy and import them through
   `RecordDataset.write` (the path every importer uses): import rate in records/s;
2. `callboard.kpi.compute_kpis(by=["interval", "queue"], interval="15m")` (DuckDB);
3. the same report with pandas groupby, reading the same Parquet files;
4. check that both agree on several KPIs, print a side-by-side table, and end
   with one JSON line of figures.

Times are the best of `--repeat` runs of each query, so that neither side is
charged for a cold file cache the other did not see.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas_kpis
import synthetic

from callboard.kpi import KpiReport, compute_kpis
from callboard.records import RecordDataset

CHECKED = ("offered", "answered", "abandoned", "sl", "sl_answered", "asa", "asa_p90", "aht")
TZ = "Europe/Berlin"
T = TypeVar("T")
console = Console(stderr=True)


def main() -> None:
    args = _arguments()
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory(prefix="callboard-bench-kpi-") as folder:
        dataset = RecordDataset(Path(folder) / "records")
        generate_s, import_s = _import(dataset, rng, args.records, args.days, args.queues)
        report, duckdb_s = _best(args.repeat, lambda: _duckdb(dataset))
        frame, pandas_s = _best(args.repeat, lambda: _pandas(dataset))
        mismatches = _compare(report, frame)
    figures = {
        "bench": "kpi",
        "records": args.records,
        "days": args.days,
        "queues": args.queues,
        "groups": len(report.rows),
        "generate_s": round(generate_s, 3),
        "import_s": round(import_s, 3),
        "import_records_per_s": round(args.records / import_s),
        "kpi_duckdb_s": round(duckdb_s, 3),
        "kpi_pandas_s": round(pandas_s, 3),
        "pandas_over_duckdb": round(pandas_s / duckdb_s, 2),
        "checked_kpis": list(CHECKED),
        "agree": not mismatches,
    }
    _print_table(figures)
    for mismatch in mismatches[:10]:
        console.print(f"[red]mismatch:[/red] {mismatch}")
    print(json.dumps(figures))
    if mismatches:
        raise SystemExit(1)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000_000, help="contacts to generate")
    parser.add_argument("--days", type=int, default=14, help="days the contacts spread over")
    parser.add_argument("--queues", type=int, default=20, help="number of queues")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each query; best counts")
    parser.add_argument("--seed", type=int, default=1999)
    args = parser.parse_args()
    if args.records < args.days or args.days < 1 or args.queues < 1 or args.repeat < 1:
        parser.error("need --records ≥ --days ≥ 1, --queues ≥ 1 and --repeat ≥ 1")
    return args


def _import(
    dataset: RecordDataset, rng: np.random.Generator, records: int, days: int, queues: int
) -> tuple[float, float]:
    """Generate and write one day at a time; returns (generation s, import s)."""
    generate_s = import_s = 0.0
    per_day = np.full(days, records // days)
    per_day[: records % days] += 1
    first_id = 0
    for day, count in zip(synthetic.days_from(date(2024, 3, 4), days), per_day, strict=True):
        started = time.perf_counter()
        table = synthetic.day_of_records(
            rng, day, int(count), first_id=first_id, queues=queues, tz=TZ
        )
        generate_s += time.perf_counter() - started
        started = time.perf_counter()
        result = dataset.write(table)
        import_s += time.perf_counter() - started
        if result.written != count:
            raise SystemExit(f"{day}: wrote {result.written} of {count} records")
        first_id += int(count)
        console.print(f"{day}: {count:,} records imported", highlight=False)
    return generate_s, import_s


def _duckdb(dataset: RecordDataset) -> KpiReport:
    return compute_kpis(dataset, by=["interval", "queue"], interval="15m")


def _pandas(dataset: RecordDataset) -> pd.DataFrame:
    frame = pandas_kpis.read(dataset.files())
    return pandas_kpis.kpis_by_interval_and_queue(
        frame, minutes=15, sl_threshold=20.0, short_abandon=5.0
    )


def _best(repeat: int, run: Callable[[], T]) -> tuple[T, float]:
    best = math.inf
    result: T | None = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    assert result is not None
    return result, best


def _compare(report: KpiReport, frame: pd.DataFrame) -> list[str]:
    """Differences between the engines on CHECKED, per group; empty when they agree."""
    if len(report.rows) != len(frame):
        return [f"{len(report.rows)} groups from DuckDB, {len(frame)} from pandas"]
    mismatches = []
    for row, (_, other) in zip(report.rows, frame.iterrows(), strict=True):
        keys = (row["interval"], row["queue"])
        if keys != (other["interval"].to_pydatetime(), other["queue"]):
            return [f"group {keys} from DuckDB, {tuple(other[['interval', 'queue']])} from pandas"]
        for name in CHECKED:
            if not _same(row[name], other[name]):
                mismatches.append(f"{keys} {name}: DuckDB {row[name]!r}, pandas {other[name]!r}")
    return mismatches


def _same(ours: Any, theirs: Any) -> bool:
    if ours is None or theirs is None or pd.isna(theirs):
        return (ours is None) == (theirs is None or bool(pd.isna(theirs)))
    return math.isclose(float(ours), float(theirs), rel_tol=1e-9, abs_tol=1e-9)


def _print_table(figures: dict[str, Any]) -> None:
    table = Table(
        title=f"KPI benchmark: {figures['records']:,} records, {figures['groups']:,} groups"
    )
    for column in ("step", "callboard (DuckDB)", "pandas groupby", "pandas / callboard"):
        table.add_column(column, justify="left" if column == "step" else "right")
    table.add_row("import (write)", f"{figures['import_records_per_s']:,} rec/s", "", "")
    table.add_row(
        "KPIs, 15m × queue",
        f"{figures['kpi_duckdb_s']:.3f} s",
        f"{figures['kpi_pandas_s']:.3f} s",
        f"{figures['pandas_over_duckdb']:.2f}×",
    )
    agree = "agree" if figures["agree"] else "DISAGREE"
    table.caption = f"Both engines {agree} on {', '.join(CHECKED)} in every group."
    console.print(table)


if __name__ == "__main__":
    main()
