"""The SQL engines Splink runs on: DuckDB in-process (default) and Spark (`spark.py`: local or a cluster)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa
from splink.internals.database_api import DatabaseAPI
from splink.internals.splink_dataframe import SplinkDataFrame

from bluestone.linkage.constants import ENGINES, Engine


def check_engine(engine: str) -> Engine:
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)} (got {engine!r}).")
    return engine  # type: ignore[return-value]  # narrowed by the membership test above


@contextmanager
def database_api(engine: Engine, *, memory_limit: str | None = None) -> Iterator[DatabaseAPI[Any]]:
    """A fresh Splink database API on `engine`, cleaned up afterwards (`memory_limit`: DuckDB's, e.g. "4GB")."""
    if engine == "duckdb":
        from splink.backends.duckdb import DuckDBAPI  # noqa: PLC0415

        spill = tempfile.mkdtemp(prefix="bluestone-duckdb-")
        con = duckdb.connect(":memory:")
        # Spill to disk rather than fail when a force's predictions outgrow memory.
        con.execute(f"SET temp_directory = '{spill}'")
        con.execute("SET preserve_insertion_order = false")
        # One thread per core of the reference machine; more only contend for it.
        con.execute(f"SET threads = {min(2, os.cpu_count() or 1)}")
        if memory_limit:
            con.execute(f"SET memory_limit = '{_memory_limit(memory_limit)}'")
        try:
            yield DuckDBAPI(connection=con)
        finally:
            con.close()
            shutil.rmtree(spill, ignore_errors=True)
    else:
        from splink.backends.spark import SparkAPI  # noqa: PLC0415

        from bluestone.linkage.spark import spark_run  # noqa: PLC0415 (Spark is optional at run time)

        with spark_run() as run:
            partitions = int(run.session.conf.get("spark.sql.shuffle.partitions") or "200")
            # Lineage broken by writing each intermediate table as Parquet to the run's folder: nothing
            # piles up in the JVM's memory. Splink's jar is not registered: its Jaro-Winkler is not
            # DuckDB's, and Bluestone's UDF (spark.py) takes the name.
            api = SparkAPI(
                spark_session=run.session,
                break_lineage_method="parquet",
                num_partitions_on_repartition=partitions,
                register_udfs_automatically=False,
            )
            api.bluestone_run = run  # type: ignore[attr-defined]  # read back by register and to_arrow
            yield api


def _memory_limit(text: str) -> str:
    value = text.strip().upper().replace(" ", "")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)", value):
        raise ValueError(f"The DuckDB memory limit {text!r} is not a size such as 4GB or 512MB.")
    return value


def register(api: DatabaseAPI[Any], table: pa.Table, name: str) -> SplinkDataFrame:
    """Register an Arrow table with the engine as a Splink input."""
    if api.sql_dialect.sql_dialect_str == "spark":
        frame = api.bluestone_run.register_input(table, name)  # type: ignore[attr-defined]
        return api.register(frame, dataset_display_name=name)
    return api.register(table, dataset_display_name=name)


def to_arrow(frame: SplinkDataFrame) -> pa.Table:
    """A Splink result table as Arrow, whichever engine holds it."""
    if frame.db_api.sql_dialect.sql_dialect_str == "duckdb":
        return frame.as_duckdbpyrelation().to_arrow_table()
    run = frame.db_api.bluestone_run  # type: ignore[attr-defined]
    return run.to_arrow(frame.as_spark_dataframe(), frame.physical_name)
