"""Spark beside DuckDB with the same stored model: `python -m bench.spark [--sizes 100000 1000000] [--runs 3]`.

For each size: UK-style records (`tests.linkage.ukpeople`, as in `bench.linkage`), one model trained on
DuckDB and saved, then each engine links the records with that model in its own child process,
alternating, `--runs` times (`--runs-large` for sizes over 500,000). Reported per engine: the median
wall time of `link_records` (the scoring run, the JVM's start excluded) and of the whole child (start
to exit, the JVM's start included), the peak resident memory of the child's whole process tree (the
Spark JVM included, sampled every 0.2 s from /proc), and whether the two partitions are identical.

Spark runs locally with the driver memory of `--driver-memory` (default 4g: `BLUESTONE_SPARK_DRIVER_MEMORY`)
and `local[N]` on the machine's cores; the load average is recorded beside each row.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq

from bench.common import machine

PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and every process below it (read from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields[21]) * PAGE
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def _run_child(command: list[str], env: dict[str, str]) -> tuple[dict[str, float], float, float, float]:
    """Run `command`; its last stdout line (JSON), wall seconds, peak tree memory (GB), load average."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(child.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed with exit code {child.returncode}")
    result = dict(json.loads(output.strip().splitlines()[-1]))
    return result, seconds, peak / 1024**3, (load + os.getloadavg()[0]) / 2


def worker(engine: str, source: Path, model_path: Path, output: Path) -> None:
    """One linkage run with the stored model (child process); prints one JSON line."""
    from bluestone.linkage import LinkageModel, link_records  # noqa: PLC0415

    records = pq.read_table(source)
    model = LinkageModel.load(model_path)
    if engine == "spark":
        from bluestone.linkage.spark import spark_session  # noqa: PLC0415

        spark_session()  # the JVM's start, timed apart from the run
    started = time.perf_counter()
    result = link_records(records, model=model, engine=engine)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    pq.write_table(result.identities.select(["record_id", "identity_id"]), output)
    print(json.dumps({"seconds": seconds, "pairs": result.summary.pairs_kept}))


def _same_partition(first: Path, second: Path) -> bool:
    a = pq.read_table(first).sort_by("record_id")
    b = pq.read_table(second).sort_by("record_id")
    return a.column("record_id").equals(b.column("record_id")) and a.column("identity_id").equals(
        b.column("identity_id")
    )


def _train(source: Path, model_path: Path) -> None:
    from bluestone.linkage import train_model  # noqa: PLC0415

    train_model(pq.read_table(source)).save(model_path)


def compare(size: int, runs: int, scratch: Path, driver_memory: str) -> str:
    from bench.linkage import uk_dataset  # noqa: PLC0415

    records, _ = uk_dataset(size)
    source, model_path = scratch / f"uk-{size}.parquet", scratch / f"model-{size}.json"
    pq.write_table(records, source)
    count = records.num_rows
    del records
    subprocess.run([sys.executable, "-m", "bench.spark", "--train", str(source), str(model_path)], check=True)
    env = {**os.environ, "BLUESTONE_SPARK_DRIVER_MEMORY": driver_memory}
    measured: dict[str, list[tuple[float, float, float, float]]] = {"duckdb": [], "spark": []}
    identical = True
    for run in range(runs):
        outputs = {}
        for engine in ("duckdb", "spark"):
            outputs[engine] = scratch / f"{engine}-{size}-{run}.parquet"
            command = [
                sys.executable,
                "-m",
                "bench.spark",
                "--worker",
                engine,
                str(source),
                str(model_path),
                str(outputs[engine]),
            ]
            result, wall, peak, load = _run_child(command, env)
            measured[engine].append((result["seconds"], wall, peak, load))
            print(
                f"{count:,} records, {engine}, run {run + 1}: link {result['seconds']:.1f} s, process {wall:.1f} s, "
                f"peak {peak:.2f} GB, load {load:.1f}, pairs {result['pairs']:,}",
                flush=True,
            )
        identical &= _same_partition(outputs["duckdb"], outputs["spark"])
    cells = []
    for engine in ("duckdb", "spark"):
        rows = measured[engine]
        cells.append(
            f"{statistics.median(r[0] for r in rows):.1f} s / {statistics.median(r[1] for r in rows):.1f} s "
            f"| {max(r[2] for r in rows):.2f} GB"
        )
    loads = [r[3] for rows in measured.values() for r in rows]
    return (
        f"| {count:,} | {cells[0]} | {cells[1]} | {'**identical**' if identical else 'DIFFERENT'} | {runs} "
        f"| {min(loads):.1f}-{max(loads):.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each engine per size up to 500,000 records")
    parser.add_argument("--runs-large", type=int, default=1, help="runs of each engine per size above 500,000")
    parser.add_argument("--driver-memory", default="4g", help="the Spark driver's memory (local mode: all of Spark's)")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--train", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        worker(options.worker[0], Path(options.worker[1]), Path(options.worker[2]), Path(options.worker[3]))
        return
    if options.train:
        _train(Path(options.train[0]), Path(options.train[1]))
        return
    print(f"Machine: {machine()}; load average at start {os.getloadavg()[0]:.1f}\n", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-spark-") as scratch:
        for size in options.sizes:
            runs = options.runs if size <= 500_000 else options.runs_large
            rows.append(compare(size, max(1, runs), Path(scratch), options.driver_memory))
    print(f"\n## Spark beside DuckDB, the same stored model (driver memory {options.driver_memory})\n")
    print(
        "| records | DuckDB: link / whole process (median) | peak memory | Spark: link / whole process (median) "
        "| peak memory | partitions | runs each | load average |"
    )
    print("|---:|---:|---:|---:|---:|---|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
