"""Splink's Spark backend for Bluestone: the session, DuckDB's Jaro-Winkler as a UDF, Parquet in and out.

Where the session comes from, first that applies:

1. a session handed to `use_spark_session` (a Spark job or notebook that made its own);
2. the active session of this thread (`SparkSession.getActiveSession()`), as under `spark-submit` or
   on Databricks once the job has a session;
3. one started here, spark-submit style, from the environment:
   - `BLUESTONE_SPARK_MASTER`: the master URL (`local[4]`, `spark://host:7077`, `yarn`,
     `k8s://...`); by default `local[N]`, N the machine's cores. Inside `spark-submit` (which hands
     Python its JVM), the master and configuration `spark-submit` was given are used instead.
   - `BLUESTONE_SPARK_CONF`: Spark properties, `key=value` separated by `;` or new lines (as
     `spark-submit --conf`); they override everything below.
   - `BLUESTONE_SPARK_DRIVER_MEMORY`: the driver's heap (default 4g). In local mode the driver is
     also the executor, so this is the memory Spark works in.
   - `SPARK_CONF_DIR/spark-defaults.conf` and `PYSPARK_SUBMIT_ARGS` are read by Spark itself as usual.
   A local master gets `LOCAL_DEFAULTS` (sized for a laptop, tests and CI); any other master gets only
   what Bluestone needs (Arrow transfer, UTC).

Every run works in its own folder under `BLUESTONE_SPARK_WORK_DIR` (default: a temporary folder for a
local master; on a cluster it must be set to storage that the driver and every executor reach, such as
`hdfs:///tmp/bluestone` or `s3a://bucket/bluestone`), removed afterwards. The standardised records
go there as Parquet, written by pyarrow (or, where pyarrow has no filesystem for the URL, sent over
Arrow and written by Spark); Splink writes each intermediate table there (`break_lineage_method=
"parquet"`: no long lineage, nothing cached in the JVM); the scored pairs are written there by Spark
and read back by pyarrow (or Spark's `toArrow`). Nothing goes through pandas.

Executors need only Python with pyarrow and numpy (what PySpark's Arrow UDFs need anyway): the
Jaro-Winkler function is sent to them by value (`bluestone.linkage.similarity` imports nothing else),
so neither Bluestone nor Splink's jar has to be installed there.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from bluestone.linkage import similarity

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

ENV_MASTER = "BLUESTONE_SPARK_MASTER"
ENV_CONF = "BLUESTONE_SPARK_CONF"
ENV_DRIVER_MEMORY = "BLUESTONE_SPARK_DRIVER_MEMORY"
ENV_WORK_DIR = "BLUESTONE_SPARK_WORK_DIR"
DEFAULT_DRIVER_MEMORY = "4g"

# Sized for a 2-core machine: Spark's default of 200 shuffle partitions costs more in task overhead
# than a laptop-sized dataset takes to process (`spark.sql.shuffle.partitions` becomes the cores).
LOCAL_DEFAULTS: dict[str, str] = {
    # Adaptive execution re-plans every query; on laptop-sized data the planning costs more than it saves.
    "spark.sql.adaptive.enabled": "false",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    # Never resolve packages from a repository: everything Bluestone needs is in the Python wheel.
    "spark.jars.packages": "",
}
REQUIRED_CONF: dict[str, str] = {
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
}

JARO_WINKLER = "jaro_winkler"
"""The SQL name Splink's Spark dialect calls for Jaro-Winkler similarity; Bluestone's UDF takes it over."""


class SparkSetupError(ValueError):
    """The Spark settings in the environment cannot be used (said in plain words, with what to set)."""


@dataclass(frozen=True)
class SparkSettings:
    """How Bluestone starts Spark when no session exists (from the environment: `from_environment`)."""

    master: str | None = None
    """None: `local[N]`, or the master spark-submit was given."""
    conf: dict[str, str] = field(default_factory=dict)
    driver_memory: str = DEFAULT_DRIVER_MEMORY
    work_dir: str | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> SparkSettings:
        env = os.environ if environ is None else environ
        return cls(
            master=env.get(ENV_MASTER) or None,
            conf=parse_conf(env.get(ENV_CONF, "")),
            driver_memory=env.get(ENV_DRIVER_MEMORY) or DEFAULT_DRIVER_MEMORY,
            work_dir=env.get(ENV_WORK_DIR) or None,
        )


def parse_conf(text: str) -> dict[str, str]:
    """Spark properties from `key=value` entries separated by `;` or new lines (blank entries ignored).

    Example:
        >>> parse_conf("spark.executor.memory=8g; spark.sql.shuffle.partitions=400")
        {'spark.executor.memory': '8g', 'spark.sql.shuffle.partitions': '400'}
    """
    conf: dict[str, str] = {}
    for raw in text.replace("\n", ";").split(";"):
        entry = raw.strip()
        if not entry:
            continue
        key, equals, value = entry.partition("=")
        if not equals or not key.strip().startswith("spark."):
            raise SparkSetupError(
                f"{ENV_CONF}: {entry!r} is not a Spark property; write key=value pairs separated by ';', "
                "e.g. spark.executor.memory=8g;spark.sql.shuffle.partitions=400."
            )
        conf[key.strip()] = value.strip()
    return conf


def _local_cores() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def is_local(master: str) -> bool:
    return master.startswith("local")


def launch_conf(settings: SparkSettings, *, under_spark_submit: bool) -> tuple[str | None, dict[str, str]]:
    """The master (None: spark-submit's) and the properties Bluestone starts a session with."""
    if under_spark_submit and settings.master is None:
        return None, {**REQUIRED_CONF, **settings.conf}
    master = settings.conf.get("spark.master") or settings.master or f"local[{_local_cores()}]"
    conf: dict[str, str] = {}
    if is_local(master):
        cores = _local_cores()
        conf.update(LOCAL_DEFAULTS)
        conf["spark.sql.shuffle.partitions"] = str(cores)
        conf["spark.default.parallelism"] = str(cores)
    conf["spark.driver.memory"] = settings.driver_memory
    conf.update(REQUIRED_CONF)
    conf.update(settings.conf)
    conf.pop("spark.master", None)
    return master, conf


_session: SparkSession | None = None
_local_work_dir: str | None = None


def use_spark_session(session: SparkSession | None) -> None:
    """Run Bluestone's Spark work on `session` (None: go back to finding or starting one)."""
    global _session  # noqa: PLW0603 (one session per process, as Spark has)
    _session = session


def spark_session() -> SparkSession:
    """The Spark session linkage runs on: the one given, the active one, or one started here (module doc)."""
    global _session  # noqa: PLW0603 (one JVM per process: starting Spark takes seconds)
    from pyspark.sql import SparkSession  # noqa: PLC0415 (Spark is optional at run time)

    session = _session if _session is not None and _alive(_session) else SparkSession.getActiveSession()
    if session is None:
        session = _start(SparkSettings.from_environment())
    _session = session
    return session


def _alive(session: SparkSession) -> bool:
    context = session.sparkContext
    return context._jsc is not None  # PySpark's own test of a stopped context


def _start(settings: SparkSettings) -> SparkSession:
    from pyspark.sql import SparkSession  # noqa: PLC0415

    # spark-submit starts the JVM and hands Python its address: its master and --conf then apply.
    under_spark_submit = "PYSPARK_GATEWAY_PORT" in os.environ
    master, conf = launch_conf(settings, under_spark_submit=under_spark_submit)
    if master is not None and is_local(master):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("bluestone-linkage")
    if master is not None:
        builder = builder.master(master)
    for key, value in conf.items():
        if value:
            builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def jaro_winkler_udf() -> Any:
    """DuckDB's Jaro-Winkler (`similarity.jaro_winkler`) as a Spark Arrow UDF (a pandas UDF before Spark 4.1)."""
    from pyspark import cloudpickle  # noqa: PLC0415
    from pyspark.sql import functions  # noqa: PLC0415
    from pyspark.sql.types import DoubleType  # noqa: PLC0415

    # Sent to executors by value: they need not have Bluestone installed.
    cloudpickle.register_pickle_by_value(similarity)
    vectorised = similarity.jaro_winkler_arrow

    if hasattr(functions, "arrow_udf"):

        def arrow_jaro_winkler(left: pa.Array, right: pa.Array) -> pa.Array:
            return vectorised(left, right)

        return functions.arrow_udf(arrow_jaro_winkler, DoubleType())  # type: ignore[call-overload]

    def pandas_jaro_winkler(left: Any, right: Any) -> Any:
        # Spark before 4.1 has no Arrow UDFs: pandas in and out, Arrow between.
        return vectorised(pa.array(left, type=pa.string()), pa.array(right, type=pa.string())).to_pandas()

    return functions.pandas_udf(pandas_jaro_winkler, DoubleType())  # type: ignore[call-overload]


def _work_root(session: SparkSession) -> str:
    global _local_work_dir  # noqa: PLW0603
    configured = SparkSettings.from_environment().work_dir
    if configured:
        return configured.rstrip("/")
    master = session.sparkContext.master or ""
    if not is_local(master):
        raise SparkSetupError(
            f"Spark runs on {master}: set {ENV_WORK_DIR} to a folder the driver and every executor can reach "
            "(for example hdfs:///tmp/bluestone or s3a://bucket/bluestone) for the run's Parquet files."
        )
    if _local_work_dir is None:
        _local_work_dir = tempfile.mkdtemp(prefix="bluestone-spark-")
        atexit.register(shutil.rmtree, _local_work_dir, ignore_errors=True)
    return _local_work_dir


@dataclass
class SparkRun:
    """One linkage run's folder on Spark: the input written as Parquet, results read back, all removed after."""

    session: SparkSession
    folder: str

    def register_input(self, table: pa.Table, name: str) -> DataFrame:
        """The standardised records as a Spark DataFrame read from Parquet (all columns text)."""
        schema = pa.schema([pa.field(name, pa.string()) for name in table.column_names])
        table = table.cast(schema)
        path = f"{self.folder}/{name}.parquet"
        filesystem, local = _pyarrow_fs(path)
        if filesystem is not None:
            filesystem.create_dir(local.rsplit("/", 1)[0], recursive=True)
            pq.write_table(table, local, filesystem=filesystem)
        else:
            self.session.createDataFrame(table).write.mode("overwrite").parquet(path)
        return self.session.read.parquet(path)

    def to_arrow(self, frame: DataFrame, name: str) -> pa.Table:
        """`frame` written as Parquet by Spark, then read back as Arrow without collecting through the JVM."""
        path = f"{self.folder}/{name}.parquet"
        frame.write.mode("overwrite").parquet(path)
        filesystem, local = _pyarrow_fs(path)
        if filesystem is not None:
            return pq.read_table(local, filesystem=filesystem)
        return self.session.read.parquet(path).toArrow()

    def remove(self) -> None:
        jvm = self.session.sparkContext._jvm  # Hadoop's FileSystem reaches every store Spark can
        if jvm is None:
            return
        path = jvm.org.apache.hadoop.fs.Path(self.folder)
        path.getFileSystem(self.session.sparkContext._jsc.hadoopConfiguration()).delete(path, True)


def _pyarrow_fs(path: str) -> tuple[pafs.FileSystem | None, str]:
    """A pyarrow filesystem for `path` and the path within it, or None where pyarrow has none (s3a:// ...)."""
    if urlparse(path).scheme in ("", "file"):
        return pafs.LocalFileSystem(), urlparse(path).path if path.startswith("file:") else path
    try:
        return pafs.FileSystem.from_uri(path)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError):
        return None, path


@contextmanager
def spark_run() -> Iterator[SparkRun]:
    """A run on the session: the Jaro-Winkler UDF registered, a folder on the session's storage with the
    checkpoint folder Splink writes its lineage breaks to (the session's own is put back afterwards)."""
    session = spark_session()
    # Registered for every run (it costs nothing): the name is Bluestone's whatever was registered before.
    session.udf.register(JARO_WINKLER, jaro_winkler_udf())
    folder = f"{_work_root(session)}/run-{uuid.uuid4().hex}"
    previous = session.sparkContext.getCheckpointDir()
    session.sparkContext.setCheckpointDir(f"{folder}/checkpoints")
    run = SparkRun(session=session, folder=folder)
    try:
        yield run
    finally:
        if previous:
            session.sparkContext.setCheckpointDir(previous)
        session.catalog.clearCache()
        for table in session.catalog.listTables():
            if table.isTemporary:
                session.catalog.dropTempView(table.name)
        run.remove()
