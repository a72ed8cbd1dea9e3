"""Linkage benchmark: `python -m bench.linkage [--sizes 100000 1000000] [--runs 3] [--compare 50000]`.

Each measured link runs in its own worker process, which reports its wall time and its own peak resident
memory (so one run's peak does not colour the next). Data: `bluestone.synth.generate_force` when it is
available (suspects and all other person records), otherwise the test generator `tests.linkage.fakeforce`.
Prints markdown tables.
"""

from __future__ import annotations

import argparse
import json
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


def worker(source: Path, truth_path: Path, engine: str) -> None:
    records = pq.read_table(source)
    started = time.perf_counter()
    result = link_records(records, engine=engine)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    scores = evaluate(result.identities, pq.read_table(truth_path))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_mb,
                "precision": scores.pairwise_precision,
                "recall": scores.pairwise_recall,
                "bcubed_f1": scores.bcubed_f1,
                "records": result.summary.records,
                "pairs": result.summary.pairs_kept,
            }
        )
    )


def run_worker(source: Path, truth_path: Path) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.linkage", "--worker", str(source), str(truth_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


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
    indexer = recordlinkage.Index()
    for keys in (
        ["first_name_formal", "last_name"],
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per size below 1,000,000 (1M runs once)")
    parser.add_argument("--compare", type=int, default=50_000, help="records for the recordlinkage comparison")
    parser.add_argument("--compare-runs", type=int, default=3)
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        worker(options.worker[0], options.worker[1], "duckdb")
        return

    print(f"Machine: {machine()}\n")
    with tempfile.TemporaryDirectory(prefix="bench-linkage-") as scratch:
        rows = []
        for size in options.sizes:
            records, truth, origin = dataset(size, seed=2026)
            source, truth_path = Path(scratch) / f"records-{size}.parquet", Path(scratch) / f"truth-{size}.parquet"
            pq.write_table(records, source)
            pq.write_table(truth, truth_path)
            runs = 1 if size >= 1_000_000 else options.runs
            results = [run_worker(source, truth_path) for _ in range(runs)]
            best = results[0]
            rows.append(
                f"| {best['records']:,.0f} | {statistics.median(r['seconds'] for r in results):.1f} s "
                f"({runs} run{'s' if runs > 1 else ''}) | {max(r['peak_mb'] for r in results) / 1024:.2f} GB "
                f"| {best['precision']:.4f} | {best['recall']:.4f} | {best['bcubed_f1']:.4f} | {best['pairs']:,.0f} |"
            )
        print(f"## End-to-end linkage on DuckDB (data: {origin})\n")
        print(
            "| records | wall time (median) | peak memory | pairwise precision | pairwise recall | B-cubed F1 "
            "| pairs kept |"
        )
        print("|---|---|---|---|---|---|---|")
        print("\n".join(rows))

        if options.compare:
            records, truth, origin = dataset(options.compare, seed=99)
            ours, theirs = [], []
            for _ in range(options.compare_runs):
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
                ("recordlinkage 0.16 (same blocking, logistic regression on half the truth)", their_time, theirs[0][1]),
            ):
                print(
                    f"| {name} | {seconds:.1f} s | {scores.pairwise_precision:.4f} | {scores.pairwise_recall:.4f} "
                    f"| {scores.bcubed_f1:.4f} |"
                )
            print(
                f"\nTime ratio (Bluestone / recordlinkage): {our_time / their_time:.2f}; "
                f"{options.compare_runs} runs each."
            )


if __name__ == "__main__":
    main()
