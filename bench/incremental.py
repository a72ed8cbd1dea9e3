"""Incremental linkage against a large store: `python -m bench.incremental [--stored 1000000] [--old 20000]`.

Time to score one new suspect record (`suspects.services.linkage_score_people`, start to finish: the
store brought up to date for it, its blocking candidates fetched, the pairs scored with the stored model,
its identity written and audited) with `--stored` records in the linkage store, median of `--runs` runs,
each with a different new record. Then, at `--old` stored records, the same beside the earlier path
(every known record read and standardised, then `score_new_records`), in the same process, for a ratio.

Data: the UK-style evaluation set (`tests.linkage.ukpeople`, apart from `bluestone.synth`). The stored
records are written straight into the store in bulk (`store_write`, the full run's writer), each with a
bare person record (names only) as a suspect on one case; at the `--old` size each person record also has
its address, phone, email and identifier rows, so the earlier path reads what it would read in service.
The model is trained on 50,000 records of the same set. SQLite, in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa

from bench.common import machine

TRAINING_RECORDS = 50_000
_CHUNK = 50_000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--old", type=int, default=20_000, help="store size for the comparison with the old path")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    for size, compare in ((args.old, True), (args.stored, False)):
        if not size:
            continue
        with tempfile.TemporaryDirectory(prefix="bluestone-bench-") as scratch:
            _in_child(scratch, size=size, compare=compare, runs=args.runs)


def _in_child(scratch: str, *, size: int, compare: bool, runs: int) -> None:
    # Each size in its own process: Django is set up once per process, on its own database.
    pid = os.fork()
    if pid == 0:
        try:
            os.environ["BLUESTONE_VAR_DIR"] = str(Path(scratch) / "var")
            os.environ["DJANGO_SETTINGS_MODULE"] = "bluestone.settings.local"
            os.environ.pop("DATABASE_URL", None)
            import django  # noqa: PLC0415 (the settings must be chosen first)

            django.setup()
            _run(size=size, compare=compare, runs=runs)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _run(*, size: int, compare: bool, runs: int) -> None:
    from django.core.management import call_command  # noqa: PLC0415

    from bench.linkage import uk_dataset  # noqa: PLC0415
    from bluestone.cases.models import PersonRecord  # noqa: PLC0415
    from bluestone.linkage import score_new_records, train_model  # noqa: PLC0415
    from bluestone.suspects.models import LinkageRun, RunKind, RunStatus  # noqa: PLC0415
    from bluestone.suspects.records import records_table  # noqa: PLC0415
    from bluestone.suspects.services import linkage_score_people  # noqa: PLC0415
    from bluestone.suspects.services.store import store_write  # noqa: PLC0415
    from tests.factories import CaseFactory  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    records, _ = uk_dataset(size + 2 * runs, seed=11)
    records = records.sort_by("record_id")
    model = train_model(records.slice(0, min(TRAINING_RECORDS, records.num_rows)))
    case = CaseFactory.create()
    # The new records: random rows of the set (their other records, if any, are stored).
    picks = set(range(0, records.num_rows, max(1, records.num_rows // (2 * runs)))[: 2 * runs])
    stored_rows = [i for i in range(records.num_rows) if i not in picks]
    new_rows = sorted(picks)
    started = time.perf_counter()
    for start in range(0, len(stored_rows), _CHUNK):
        chunk = records.take(stored_rows[start : start + _CHUNK])
        if compare:  # person records with every detail, and the full run's writer
            ids = _people(chunk, case=case, details=True)
            chunk = chunk.set_column(chunk.column_names.index("record_id"), "record_id", pa.array(ids))
            store_write(records=chunk, model=model, replace_all=start == 0)
        else:
            _bulk_fill(chunk, case=case, model=model, first_id=start + 1)
    filled = time.perf_counter() - started
    new_ids = [uuid.UUID(i) for i in _people(records.take(new_rows), case=case, details=True)]
    LinkageRun.objects.create(
        kind=RunKind.FULL,
        requested_at=case.reported_at,
        status=RunStatus.FINISHED,
        finished_at=case.reported_at,
        threshold=model.threshold,
        model=model.to_dict(),
        model_version="bench",
    )
    stored = len(stored_rows)
    times = []
    for person_id in new_ids[:runs]:
        begun = time.perf_counter()
        linkage_score_people(person_ids=[person_id])
        times.append(time.perf_counter() - begun)
    new_median = statistics.median(times)
    print(f"\n## Incremental linkage: {stored:,} stored suspect records ({machine()}, load {_load()})\n")
    print(f"Store written in {filled:,.0f} s (standardised rows and blocking keys, `store_write`).\n")
    print("| path | stored records | median | min | max | runs |")
    print("|---|---|---|---|---|---|")
    print(f"| store and candidates | {stored:,} | {new_median:.2f} s | {min(times):.2f} | {max(times):.2f} | {runs} |")
    if compare:
        existing = [
            uuid.UUID(str(v)) for v in PersonRecord.objects.exclude(pk__in=new_ids).values_list("pk", flat=True)
        ]
        old_times = []
        for person_id in new_ids[runs:]:
            begun = time.perf_counter()
            identities = pa.table({"record_id": [str(p) for p in existing], "identity_id": [str(p) for p in existing]})
            score_new_records(records_table([person_id]), records_table(existing), identities, model)
            old_times.append(time.perf_counter() - begun)
        old_median = statistics.median(old_times)
        print(
            f"| every record read and standardised (earlier path, scoring only) | {stored:,} | {old_median:.2f} s | "
            f"{min(old_times):.2f} | {max(old_times):.2f} | {len(old_times)} |"
        )
        print(f"\nEarlier path / store path: {old_median / new_median:.1f}x\n")
    print(f"Load average after: {_load()}\n")


def _bulk_fill(chunk: pa.Table, *, case: Any, model: Any, first_id: int) -> None:
    """Stored records straight into SQLite: a bare person record each (names only), a suspect on `case`,
    its standardised row and its keys, computed as the store computes them (`standardise`, `blocking_keys`)."""
    import json  # noqa: PLC0415

    from django.db import connection, transaction  # noqa: PLC0415

    from bluestone.linkage import blocking_keys, standardise, store_version  # noqa: PLC0415

    ids = [uuid.uuid4() for _ in range(chunk.num_rows)]
    chunk = chunk.set_column(chunk.column_names.index("record_id"), "record_id", pa.array([str(i) for i in ids]))
    table, _ = standardise(chunk)
    keys = blocking_keys(table, model)
    number = {str(person): first_id + n for n, person in enumerate(ids)}
    version = store_version(model)
    now = "2026-01-01 00:00:00"
    rows = table.to_pylist()
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        raw.executemany(
            "INSERT INTO cases_personrecord (created_at, updated_at, id, first_name, middle_names, last_name, aliases,"
            " gender, ethnicity) VALUES (?, ?, ?, ?, '', ?, '[]', 'unknown', '')",
            (
                (now, now, person.hex, r["first_name"] or "", r["last_name"] or "")
                for person, r in zip(ids, rows, strict=True)
            ),
        )
        raw.executemany(
            "INSERT INTO cases_involvement (created_at, updated_at, case_id, person_id, role, relationship_to_victim)"
            " VALUES (?, ?, ?, ?, 'suspect', '')",
            ((now, now, case.pk.hex, person.hex) for person in ids),
        )
        raw.executemany(
            "INSERT INTO suspects_storedrecord (id, person_id, version, first_name, last_name, name_key, standardised)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    number[r["unique_id"]],
                    uuid.UUID(r["unique_id"]).hex,
                    version,
                    r["first_name"],
                    r["last_name"],
                    r["name_key"],
                    json.dumps(r),
                )
                for r in rows
            ),
        )
        raw.executemany(
            "INSERT INTO suspects_blockingkey (record_id, key) VALUES (?, ?)",
            zip((number[u] for u in keys.column("unique_id").to_pylist()), keys.column("key").to_pylist(), strict=True),
        )


def _load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def _people(chunk: pa.Table, *, case: Any, details: bool) -> list[str]:
    """Person records for these rows, each a suspect on `case`; with their contact rows when `details`."""
    import datetime as dt  # noqa: PLC0415

    from bluestone.cases.models import (  # noqa: PLC0415
        Involvement,
        PersonAddress,
        PersonEmail,
        PersonIdentifier,
        PersonPhone,
        PersonRecord,
        Role,
    )

    rows = chunk.to_pylist()
    people = []
    for row in rows:
        born = row.get("date_of_birth")
        try:
            parsed = dt.date.fromisoformat(born) if born else None
        except ValueError:
            parsed = None
        people.append(
            PersonRecord(
                first_name=(row.get("first_name") or "")[:100],
                middle_names=(row.get("middle_names") or "")[:200],
                last_name=(row.get("last_name") or "")[:100],
                date_of_birth=parsed,
                gender={"M": "male", "F": "female"}.get(row.get("gender") or "", "unknown"),
            )
        )
    PersonRecord.objects.bulk_create(people, batch_size=5000)
    Involvement.objects.bulk_create(
        [Involvement(case=case, person=p, role=Role.SUSPECT) for p in people], batch_size=5000
    )
    if details:
        PersonAddress.objects.bulk_create(
            [
                PersonAddress(person=p, address=(r.get("address") or "")[:300], postcode=(r.get("postcode") or "")[:10])
                for p, r in zip(people, rows, strict=True)
                if r.get("address") or r.get("postcode")
            ],
            batch_size=5000,
        )
        PersonPhone.objects.bulk_create(
            [PersonPhone(person=p, number=r["phone"]) for p, r in zip(people, rows, strict=True) if r.get("phone")],
            batch_size=5000,
        )
        PersonEmail.objects.bulk_create(
            [PersonEmail(person=p, address=r["email"]) for p, r in zip(people, rows, strict=True) if r.get("email")],
            batch_size=5000,
        )
        PersonIdentifier.objects.bulk_create(
            [
                PersonIdentifier(person=p, kind="pnc_id", value=r["identifier"][:64])
                for p, r in zip(people, rows, strict=True)
                if r.get("identifier")
            ],
            batch_size=5000,
        )
    return [str(p.pk) for p in people]


if __name__ == "__main__":
    main()
