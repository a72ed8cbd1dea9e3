"""Benchmark `bluestone.synth`: generate and write a force of 10,000 and of 100,000 cases.

Run with `python -m bench.synth`. Prints a markdown table: median, min and max wall time over
several runs, the rows written, and the process's peak memory after each size.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import machine, measure, peak_memory_mb
from bluestone.synth import generate_force, write_force

SIZES = (10_000, 100_000)
RUNS = 3
SEED = 2026


def _generate_and_write(cases: int, folder: Path, rows: list[int]) -> None:
    tables = generate_force(cases=cases, seed=SEED)
    write_force(tables, folder)
    rows[:] = [sum(table.num_rows for table in tables.values())]


def main() -> None:
    # A tiny warm-up, so that one-off imports (pyarrow loads pandas on first use) are not timed.
    generate_force(cases=10, seed=SEED)
    print(f"## bluestone.synth: generate and write ({machine()})\n")
    print("| cases | median s | min s | max s | runs | rows written | peak memory MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for cases in SIZES:
        rows: list[int] = [0]
        with tempfile.TemporaryDirectory() as folder:
            timing = measure(lambda c=cases, f=Path(folder), r=rows: _generate_and_write(c, f, r), runs=RUNS)
        print(
            f"| {cases:,} | {timing.median:.2f} | {timing.low:.2f} | {timing.high:.2f} | {timing.runs} "
            f"| {rows[0]:,} | {peak_memory_mb():,.0f} |"
        )


if __name__ == "__main__":
    main()
