"""Linkage benchmark: `python -m bench.linkage [--sizes 100000 1000000] [--runs 3] [--compare 50000]`.

What is measured, on person records from the test generator `tests.linkage.fakeforce` (fixed seed):

1. **The command as a user runs it**: `bluestone link --input records.parquet --output identities.parquet`
   in a child process, start to exit (Django start-up, reading, standardising, training, predicting,
   clustering, writing both files). Wall time from this process; peak resident memory of the child from
   `wait4`; accuracy from the identities file it wrote against the generator's truth. `--runs` runs per
   size, median reported with the minimum and maximum, and the load average around the runs.
2. **The same command with a saved model** (`--model`, written by the first run's `--save-model`): what a
   scheduled re-link costs when the model is not retrained.
3. **Stages** (one run of `link_records` in a worker process, timed through its progress callback).
4. **Baseline ratio**: `link_records` with the previous prediction blocking rules (first and last name
   alone among them) against this version, alternating in the same parent process so that both see the
   same machine load (`--baseline-sizes`, default 100,000 only: the baseline takes minutes at 1M).
5. Side by side with the `recordlinkage` toolkit on `--compare` records.

Prints markdown tables for BENCHMARKS.md.
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
from bluestone.linkage import evaluate, link_records, standardise


def dataset(records: int, seed: int) -> tuple[pa.Table, pa.Table, str]:
    """About `records` person records and their truth (record_id, true_person_id), and where they came from."""
    from tests.linkage.fakeforce import fake_persons  # noqa: PLC0415

    # fake_persons makes about 1.5 records per person (30% of people appear 2 to 7 times).
    people = max(1, int(records / 1.55))
    records_table, truth = fake_persons(people, seed=seed)
    return records_table, truth, "tests.linkage.fakeforce"


# The prediction blocking rules before this version, as Splink SQL strings: first and last name alone were
# rules of their own (49M of the 55M pairs scored at a million records).
PREVIOUS_BLOCKING_RULES = (
    "l.first_name_formal = r.first_name_formal AND l.last_name = r.last_name",
    "l.first_name_formal = r.first_name_formal AND substr(l.last_name, 1, 3) = substr(r.last_name, 1, 3)",
    "substr(l.first_name, 1, 3) = substr(r.first_name, 1, 3) AND l.last_name = r.last_name",
    "l.last_name = r.last_name AND l.dob = r.dob",
    "l.first_name_formal = r.first_name_formal AND l.dob = r.dob",
    "l.dob = r.dob AND l.postcode = r.postcode",
    "l.last_name = r.last_name AND l.postcode = r.postcode",
    "l.phone = r.phone",
    "l.email = r.email",
    "l.identifier = r.identifier",
    "l.first_name = r.last_name AND l.last_name = r.first_name",
)


def worker(source: Path, truth_path: Path, rules: str) -> None:
    """One `link_records` run, timed stage by stage; prints one JSON line."""
    if rules == "previous":
        from bluestone.linkage import model  # noqa: PLC0415

        model.PREDICTION_BLOCKING_RULES = PREVIOUS_BLOCKING_RULES  # type: ignore[assignment]
    records = pq.read_table(source)
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()
    result = link_records(records, progress=lambda stage: marks.append((stage, time.perf_counter())))
    finished = time.perf_counter()
    stages = {name: (marks[i + 1][1] if i + 1 < len(marks) else finished) - at for i, (name, at) in enumerate(marks)}
    scores = evaluate(result.identities, pq.read_table(truth_path))
    print(
        json.dumps(
            {
                "seconds": finished - started,
                "stages": stages,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "precision": scores.pairwise_precision,
                "recall": scores.pairwise_recall,
                "bcubed_f1": scores.bcubed_f1,
                "records": result.summary.records,
                "pairs": result.summary.pairs_kept,
            }
        )
    )


def run_worker(source: Path, truth_path: Path, rules: str = "current") -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.linkage", "--worker", str(source), str(truth_path), "--rules", rules],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def run_command(source: Path, truth: pa.Table, scratch: Path, *extra: str) -> dict[str, float]:
    """`bluestone link` in a child process: wall time, the child's peak memory, accuracy of what it wrote."""
    output = scratch / "identities.parquet"
    command = [sys.executable, "-m", "bluestone.cli", "link", "--input", str(source), "--output", str(output), *extra]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {child.returncode}")
    scores = evaluate(pq.read_table(output), truth)
    return {
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss / 1024,
        # CPU seconds of the child (all threads): what the run costs whatever else shares the machine.
        "cpu": usage.ru_utime + usage.ru_stime,
        "precision": scores.pairwise_precision,
        "recall": scores.pairwise_recall,
        "bcubed_f1": scores.bcubed_f1,
        "records": scores.records,
        "pairs": pq.ParquetFile(scratch / "identities.explanations.parquet").metadata.num_rows,
        "load": (load_before + os.getloadavg()[0]) / 2,
    }


def _spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.1f} s (1 run)"
    return f"{statistics.median(values):.1f} s ({min(values):.1f}-{max(values):.1f}, {len(values)} runs)"


def recordlinkage_link(records: pa.Table, truth: pa.Table) -> tuple[float, pa.Table]:
    """The recordlinkage toolkit's best effort: block on the same keys, compare, supervised logistic regression.

    The classifier is trained on the true labels of the candidate pairs of a random half of the people and
    applied to all pairs (ECM, its unsupervised option, scored lower in our trials); matched pairs are then
    clustered by connected components like ours. Standardisation (ours) is included in its time.
    """
    import numpy as np  # noqa: PLC0415
    import recordlinkage  # noqa: PLC0415

    started = time.perf_counter()
    table, _ = standardise(records)
    frame = table.to_pandas().set_index("unique_id")
    frame["first3"] = frame["first_name"].str[:3]
    frame["last3"] = frame["last_name"].str[:3]
    indexer = recordlinkage.Index()
    # Our blocking keys (recordlinkage blocks on columns, so the three-letter prefixes are columns here),
    # except the swapped-name rule, which it cannot express on one table.
    for keys in (
        ["first_name_formal", "last3", "dob_year"],
        ["first3", "last_name", "dob_year"],
        ["first_name_formal", "last3", "postcode_outward"],
        ["first3", "last_name", "postcode_outward"],
        ["first_name_formal", "last_name", "middle_names"],
        ["last_name", "dob"],
        ["first_name_formal", "dob"],
        ["dob", "postcode"],
        ["last_name", "postcode"],
        ["phone"],
        ["email"],
        ["identifier"],
    ):
        indexer.block(left_on=keys)
    pairs = indexer.index(frame)
    compare = recordlinkage.Compare(n_jobs=2)
    compare.string("first_name", "first_name", method="jarowinkler", label="first_name")
    compare.exact("first_name_formal", "first_name_formal", label="formal")
    compare.string("last_name", "last_name", method="jarowinkler", label="last_name")
    compare.string("middle_names", "middle_names", method="jarowinkler", label="middle_names")
    compare.exact("dob", "dob", label="dob")
    compare.exact("dob_year_month", "dob_year_month", label="dob_ym")
    compare.exact("postcode", "postcode", label="postcode")
    compare.string("address", "address", method="jarowinkler", label="address")
    compare.exact("phone", "phone", label="phone")
    compare.exact("email", "email", label="email")
    compare.exact("identifier", "identifier", label="identifier")
    features = compare.compute(pairs, frame)
    truth_of = dict(zip(truth.column("record_id").to_pylist(), truth.column("true_person_id").to_pylist(), strict=True))
    left = features.index.get_level_values(0)
    right = features.index.get_level_values(1)
    labels = np.array([truth_of[a] == truth_of[b] for a, b in zip(left, right, strict=True)])
    people = sorted(set(truth_of.values()))
    rng = np.random.default_rng(0)
    training_people = set(rng.choice(people, size=len(people) // 2, replace=False).tolist())
    in_training = np.array([truth_of[a] in training_people for a in left])
    classifier = recordlinkage.LogisticRegressionClassifier()
    classifier.fit(features[in_training], features.index[in_training & labels])
    matches = classifier.predict(features)
    identities = _connected_components(list(frame.index), list(matches))
    seconds = time.perf_counter() - started
    return seconds, identities


def _connected_components(ids: list[str], edges: list[tuple[str, str]]) -> pa.Table:
    parent = {record: record for record in ids}

    def root(record: str) -> str:
        while parent[record] != record:
            parent[record] = parent[parent[record]]
            record = parent[record]
        return record

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return pa.table({"record_id": ids, "identity_id": [root(r) for r in ids]})


def end_to_end(sizes: list[int], runs: int, baseline_sizes: set[int], scratch: Path) -> None:
    command_rows, saved_rows, stage_rows, baseline_rows = [], [], [], []
    origin = ""
    for size in sizes:
        records, truth, origin = dataset(size, seed=2026)
        source, truth_path = scratch / f"records-{size}.parquet", scratch / f"truth-{size}.parquet"
        pq.write_table(records, source)
        pq.write_table(truth, truth_path)
        del records
        model_path = scratch / f"model-{size}.json"
        trained = [run_command(source, truth, scratch, "--save-model", str(model_path))]
        trained += [run_command(source, truth, scratch) for _ in range(runs - 1)]
        saved = [run_command(source, truth, scratch, "--model", str(model_path)) for _ in range(runs)]
        first = trained[0]
        command_rows.append(
            f"| {first['records']:,.0f} | {_spread([r['seconds'] for r in trained])} "
            f"| {statistics.median(r['cpu'] for r in trained):.1f} s "
            f"| {max(r['peak_mb'] for r in trained) / 1024:.2f} GB | {first['precision']:.4f} | {first['recall']:.4f} "
            f"| {first['bcubed_f1']:.4f} | {first['pairs']:,.0f} "
            f"| {min(r['load'] for r in trained):.1f}-{max(r['load'] for r in trained):.1f} |"
        )
        saved_rows.append(
            f"| {first['records']:,.0f} | {_spread([r['seconds'] for r in saved])} "
            f"| {statistics.median(r['cpu'] for r in saved):.1f} s "
            f"| {max(r['peak_mb'] for r in saved) / 1024:.2f} GB | {saved[0]['precision']:.4f} "
            f"| {saved[0]['recall']:.4f} | {min(r['load'] for r in saved):.1f}-{max(r['load'] for r in saved):.1f} |"
        )
        profile = run_worker(source, truth_path)
        stages: dict[str, float] = profile["stages"]  # type: ignore[assignment]
        stage_rows.append(
            f"| {first['records']:,.0f} | "
            + " | ".join(f"{stages.get(name, 0.0):.1f} s" for name in ("standardising", "training", "predicting"))
            + f" | {stages.get('clustering', 0.0):.1f} s | {profile['seconds']:.1f} s "
            f"| {float(profile['peak_mb']) / 1024:.2f} GB | {os.getloadavg()[0]:.1f} |"  # type: ignore[arg-type]
        )
        if size in baseline_sizes:
            pairs: list[tuple[dict[str, object], dict[str, object]]] = []
            for _ in range(runs if size < 1_000_000 else 1):
                pairs.append((run_worker(source, truth_path, "previous"), run_worker(source, truth_path)))
            before = statistics.median(float(b["seconds"]) for b, _ in pairs)  # type: ignore[arg-type]
            after = statistics.median(float(a["seconds"]) for _, a in pairs)  # type: ignore[arg-type]
            old, new = pairs[0]
            baseline_rows.append(
                f"| {first['records']:,.0f} | {before:.1f} s | {after:.1f} s | {before / after:.1f} "
                f"| {float(old['recall']):.4f} / {float(new['recall']):.4f} "  # type: ignore[arg-type]
                f"| {float(old['precision']):.4f} / {float(new['precision']):.4f} | {len(pairs)} |"  # type: ignore[arg-type]
            )

    print(f"## `bluestone link` end to end on DuckDB (data: {origin}, trained on the input)\n")
    print(
        "| records | wall time, median (min-max) | CPU time (median) | peak memory | pairwise precision "
        "| pairwise recall | B-cubed F1 | pairs kept | load average |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(command_rows))
    print("\n## The same command with a saved model (`--model`, no training)\n")
    print(
        "| records | wall time, median (min-max) | CPU time (median) | peak memory | pairwise precision "
        "| pairwise recall | load average |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(saved_rows))
    print("\n## Stages of one `link_records` run (library call, no process start-up or file writing)\n")
    print("| records | standardise | train | predict | cluster and explain | total | peak memory | load average |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(stage_rows))
    if baseline_rows:
        print("\n## Against the previous blocking rules (name-only rules), alternating in one process\n")
        print(
            "| records | previous (median) | this version (median) | ratio | recall before / after "
            "| precision before / after | runs each |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|")
        print("\n".join(baseline_rows))


def compare(size: int, runs: int) -> None:
    records, truth, origin = dataset(size, seed=99)
    ours, theirs = [], []
    for _ in range(runs):
        started = time.perf_counter()
        result = link_records(records)
        ours.append((time.perf_counter() - started, evaluate(result.identities, truth)))
        seconds, identities = recordlinkage_link(records, truth)
        theirs.append((seconds, evaluate(identities, truth)))
    our_time = statistics.median(t for t, _ in ours)
    their_time = statistics.median(t for t, _ in theirs)
    print(f"\n## Bluestone (Splink) vs recordlinkage on the same {records.num_rows:,} records ({origin})\n")
    print("| pipeline | wall time (median) | pairwise precision | pairwise recall | B-cubed F1 |")
    print("|---|---|---|---|---|")
    for name, seconds, scores in (
        ("Bluestone linkage (Splink 5, DuckDB, unsupervised EM)", our_time, ours[0][1]),
        ("recordlinkage 0.16 (same blocking keys, logistic regression on half the truth)", their_time, theirs[0][1]),
    ):
        print(
            f"| {name} | {seconds:.1f} s | {scores.pairwise_precision:.4f} | {scores.pairwise_recall:.4f} "
            f"| {scores.bcubed_f1:.4f} |"
        )
    print(f"\nTime ratio (Bluestone / recordlinkage): {our_time / their_time:.2f}; {runs} runs each.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement per size")
    parser.add_argument("--baseline-sizes", type=int, nargs="*", default=[100_000])
    parser.add_argument("--compare", type=int, default=50_000, help="records for the recordlinkage comparison")
    parser.add_argument("--compare-runs", type=int, default=3)
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rules", choices=("current", "previous"), default="current", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        worker(options.worker[0], options.worker[1], options.rules)
        return

    print(f"Machine: {machine()}\n")
    with tempfile.TemporaryDirectory(prefix="bench-linkage-") as scratch:
        if options.sizes:
            end_to_end(options.sizes, max(1, options.runs), set(options.baseline_sizes), Path(scratch))
    if options.compare:
        compare(options.compare, options.compare_runs)


if __name__ == "__main__":
    main()
