"""Loading a synthetic force with `extract_load`: COPY against batched INSERTs on PostgreSQL, and SQLite.

Run: `python -m bench.load [--cases 100000] [--postgres] [--runs 3] [--no-insert] [--extract DIR]`.
Without --postgres the database is SQLite in a temporary folder, in WAL mode as `bluestone.settings.local`
sets it. With --postgres it is a throwaway PostgreSQL server (tests/pgcluster.py: fsync, synchronous
commit and full-page writes are off there). Every first load starts from an empty, migrated database;
on PostgreSQL the two ways of writing take turns, so a change in the machine's load affects both.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.common import Timing, machine, measure, peak_memory_mb


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="load into a throwaway PostgreSQL server")
    parser.add_argument("--no-insert", action="store_true", help="PostgreSQL: skip the batched-INSERT comparison")
    parser.add_argument("--no-reload", action="store_true", help="skip timing a re-load of the same extract")
    parser.add_argument("--extract", type=Path, help="an extract written by `bluestone synth` (default: make one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bluestone-bench-") as scratch, _database(args.postgres) as url:
        os.environ["BLUESTONE_VAR_DIR"] = str(Path(scratch) / "var")
        os.environ["DJANGO_SETTINGS_MODULE"] = "bluestone.settings.local"
        os.environ["BLUESTONE_ALLOWED_HOSTS"] = "testserver"
        if url:
            os.environ["DATABASE_URL"] = url
        else:
            os.environ.pop("DATABASE_URL", None)
        import django  # noqa: PLC0415 (the settings must be chosen first)

        django.setup()
        extract = args.extract
        if extract is None:
            from bluestone.synth import generate_force, write_force  # noqa: PLC0415

            extract = Path(scratch) / "extract"
            write_force(generate_force(cases=args.cases, seed=args.seed), extract)
        _run(Path(scratch), extract, runs=args.runs, insert=not args.no_insert, reload=not args.no_reload)


@contextlib.contextmanager
def _database(postgres: bool) -> Iterator[str | None]:
    if not postgres:
        yield None
        return
    from tests.pgcluster import throwaway_cluster  # noqa: PLC0415

    with throwaway_cluster() as url:
        yield url


def _run(scratch: Path, directory: Path, *, runs: int, insert: bool, reload: bool) -> None:
    import pyarrow.parquet as pq  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from bluestone import extract  # noqa: PLC0415
    from bluestone.cases.loading import extract_load  # noqa: PLC0415
    from bluestone.cases.models import Case  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    empty = _emptier(scratch)
    files = {spec.filename: pq.read_metadata(directory / spec.filename).num_rows for spec in extract.TABLES}
    rows = sum(files.values())
    cases = files[extract.CASES.filename]
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"## Loading {cases:,} cases into {vendor} ({machine()})\n")
    print(f"Load average before: {_load()}\n")

    def read_all() -> None:
        for spec in extract.TABLES:
            pq.read_table(directory / spec.filename)

    def first_load(method: str) -> Callable[[], object]:
        def run() -> None:
            empty()
            # SQLite has one way, so the call is the same as before `method` existed (to time an older loader).
            options: dict[str, Any] = {} if vendor == "SQLite" else {"method": method}
            timings[method].append(measure(lambda: extract_load(directory=directory, **options), runs=1).median)

        return run

    read = measure(read_all, runs=3)
    methods = ["insert"] if vendor == "SQLite" else (["insert", "copy"] if insert else ["copy"])
    timings: dict[str, list[float]] = {m: [] for m in methods}
    for _ in range(runs):
        for method in methods:
            first_load(method)()
    again = measure(lambda: extract_load(directory=directory), runs=runs) if reload else None
    print("| step | rows | time | ratio |")
    print("|---|---|---|---|")
    print(f"| read the extract with pyarrow (baseline) | {rows:,} | {read} | 1.0 |")
    first = {m: _timing(t) for m, t in timings.items()}
    names = {"insert": "batched INSERT ... ON CONFLICT", "copy": "COPY into staging, one upsert per table"}
    for method, timing in first.items():
        print(f"| first load, {names[method]} | {rows:,} | {timing} | {timing.median / read.median:.0f} |")
    if again is not None:
        print(f"| re-load of the same extract | {rows:,} | {again} | {again.median / read.median:.0f} |")
    if "insert" in first and "copy" in first:
        ratio = first["insert"].median / first["copy"].median
        print(f"\nCOPY against batched INSERT, first load: {ratio:.1f} times as fast.")
    print(f"\nRows per second, first load: {rows / min(t.median for t in first.values()):,.0f}.")
    print(f"Peak memory: {peak_memory_mb():,.0f} MB. Cases in the database: {Case.objects.count():,}.")
    print(f"Load average after: {_load()}\n")


def _timing(times: list[float]) -> Timing:
    import statistics  # noqa: PLC0415

    return Timing(statistics.median(times), min(times), max(times), len(times))


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f}, {five:.1f}, {fifteen:.1f} (1, 5, 15 minutes; {os.cpu_count()} cores)"


def _emptier(scratch: Path) -> Callable[[], None]:
    """A function that puts the database back to freshly migrated, without the loaded rows."""
    from django.db import connection  # noqa: PLC0415

    if connection.vendor == "postgresql":
        import psycopg  # noqa: PLC0415

        settings = connection.settings_dict
        name = settings["NAME"]
        server = {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"], "dbname": "postgres"}
        connection.close()
        with psycopg.connect(**server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}_migrated" TEMPLATE "{name}"')

        def recreate() -> None:
            connection.close()
            with psycopg.connect(**server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE "{name}"')
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{name}_migrated"')

        return recreate
    database = Path(connection.settings_dict["NAME"])
    connection.close()
    template = scratch / "migrated.sqlite3"
    shutil.copyfile(database, template)

    def restore() -> None:
        connection.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, database)

    return restore


if __name__ == "__main__":
    main()
