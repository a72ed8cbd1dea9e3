"""The SQL engines Splink runs on: DuckDB in-process (default) and Spark (local here, a cluster at scale)."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa
from splink.internals.database_api import DatabaseAPI
from splink.internals.splink_dataframe import SplinkDataFrame

from bluestone.linkage.model import ENGINES, Engine

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# Sized for a 2-core, 24 GB machine: Spark's default of 200 shuffle partitions costs more in task
# overhead than a laptop-sized dataset takes to process.
SPARK_LOCAL_CONF: dict[str, str] = {
    "spark.driver.memory": "6g",
    "spark.sql.shuffle.partitions": "2",
    # Adaptive execution re-plans every query; on laptop-sized data the planning costs more than it saves.
    "spark.sql.adaptive.enabled": "false",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
    # Never resolve packages from a repository: the only jar is Splink's bundled similarity functions.
    "spark.jars.packages": "",
}

_spark_session: SparkSession | None = None


def check_engine(engine: str) -> Engine:
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)} (got {engine!r}).")
    return engine  # type: ignore[return-value]  # narrowed by the membership test above


def spark_session() -> SparkSession:
    """The process's local Spark session (`local[2]`), started once with Splink's similarity jar.

    Spark at national scale runs on a cluster that provides its own session; this one is for a laptop,
    tests and CI. Nothing is downloaded: the jar ships inside Splink's wheel.
    """
    global _spark_session  # noqa: PLW0603 (one JVM per process: starting Spark takes seconds)
    if _spark_session is None:
        from pyspark.sql import SparkSession  # noqa: PLC0415 (Spark is optional at run time)
        from splink.backends.spark import similarity_jar_location  # noqa: PLC0415

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        builder = SparkSession.builder.master("local[2]").appName("bluestone-linkage")
        for key, value in SPARK_LOCAL_CONF.items():
            if value:
                builder = builder.config(key, value)
        builder = builder.config("spark.jars", similarity_jar_location())
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        checkpoints = tempfile.mkdtemp(prefix="bluestone-spark-")
        session.sparkContext.setCheckpointDir(checkpoints)
        _spark_session = session
    return _spark_session


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

        session = spark_session()
        api = SparkAPI(spark_session=session, break_lineage_method="persist", num_partitions_on_repartition=2)
        try:
            yield api
        finally:
            session.catalog.clearCache()
            for table in session.catalog.listTables():
                if table.isTemporary:
                    session.catalog.dropTempView(table.name)


def _memory_limit(text: str) -> str:
    value = text.strip().upper().replace(" ", "")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)", value):
        raise ValueError(f"The DuckDB memory limit {text!r} is not a size such as 4GB or 512MB.")
    return value


def register(api: DatabaseAPI[Any], table: pa.Table, name: str) -> SplinkDataFrame:
    """Register an Arrow table with the engine as a Splink input."""
    if api.sql_dialect.sql_dialect_str == "spark":
        from pyspark.sql.types import StringType, StructField, StructType  # noqa: PLC0415

        # Every linkage column is text; an explicit schema keeps all-null columns typed.
        schema = StructType([StructField(column, StringType(), nullable=True) for column in table.column_names])
        frame = spark_session().createDataFrame(table.to_pandas(), schema=schema)
        return api.register(frame, dataset_display_name=name)
    return api.register(table, dataset_display_name=name)


def to_arrow(frame: SplinkDataFrame) -> pa.Table:
    """A Splink result table as Arrow, whichever engine holds it."""
    if frame.db_api.sql_dialect.sql_dialect_str == "duckdb":
        return frame.as_duckdbpyrelation().to_arrow_table()
    spark_frame = frame.as_spark_dataframe()
    return pa.Table.from_pandas(spark_frame.toPandas(), preserve_index=False)
