"""Benchmark: how long `callboard` takes to start, next to another Typer CLI.

    PYTHONPATH=. .venv/bin/python bench/cli/run.py [--runs 15]

Each round starts, as fresh processes and in turn so that load on the machine
falls on all of them alike:

- `python -c pass`: the interpreter alone, the floor;
- `typer --help`: Typer's own command, another Typer + Rich CLI (the peer);
- `callboard --help`: the listing of every command (target: <= 0.5 s);
- `callboard staff --calls 100 --interval 30m --aht 180 --target 80/20`: a
  whole command, from start to its printed table (target: <= 1 s).

Prints the median and best wall time of each, the ratio of `callboard --help`
to the peer, and ends with one JSON line of figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

BIN = Path(sys.executable).parent
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "typer --help (peer)": [str(BIN / "typer"), "--help"],
    "callboard --help": [str(BIN / "callboard"), "--help"],
    "callboard staff": [
        str(BIN / "callboard"), "staff", "--calls", "100", "--interval", "30m", "--aht", "180",
        "--target", "80/20",
    ],
}  # fmt: skip
TARGETS = {"callboard --help": 0.5, "callboard staff": 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            times[name].append(_wall(command))
    median = {name: statistics.median(values) for name, values in times.items()}
    best = {name: min(values) for name, values in times.items()}
    _print_table(median, best)
    peer = median["typer --help (peer)"]
    print(
        json.dumps(
            {
                "bench": "cli",
                "runs": args.runs,
                "median_s": {k: round(v, 3) for k, v in median.items()},
                "best_s": {k: round(v, 3) for k, v in best.items()},
                "help_over_peer": round(median["callboard --help"] / peer, 2),
                "staff_over_peer": round(median["callboard staff"] / peer, 2),
                "meets_targets": all(median[k] <= limit for k, limit in TARGETS.items()),
            }
        )
    )


def _wall(command: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def _print_table(median: dict[str, float], best: dict[str, float]) -> None:
    peer = median["typer --help (peer)"]
    table = Table(title="Start-up, wall seconds (fresh process each run)")
    for column in ("command", "median", "best", "vs peer", "target"):
        table.add_column(column, justify="left" if column == "command" else "right")
    for name in median:
        target = TARGETS.get(name)
        table.add_row(
            name, f"{median[name]:.3f}", f"{best[name]:.3f}", f"{median[name] / peer:.2f}x",
            "" if target is None else f"<= {target:g}",
        )  # fmt: skip
    Console(stderr=True).print(table)


if __name__ == "__main__":
    main()
