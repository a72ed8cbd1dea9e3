"""The Spark tests' session: one local JVM per test process (each xdist worker), started on first use.

A pytest plugin, loaded by tests/conftest.py. Small and quick to start: two cores, a 1 GB driver, the
JIT's client compiler only and a serial collector (a test's data is small; the server compiler's
warm-up would cost more than it saves). Settings given in the environment win. Never skipped: without
Java the tests that use it fail and say what to install (.ci/run installs it).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SPARK_TEST_ENVIRONMENT = {
    "BLUESTONE_SPARK_MASTER": "local[2]",
    "BLUESTONE_SPARK_DRIVER_MEMORY": "1g",
    "BLUESTONE_SPARK_CONF": "spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    if shutil.which("java") is None:
        pytest.fail(
            "The Spark tests need Java 17 or later on PATH (Debian: apt-get install openjdk-17-jre-headless; "
            ".ci/run installs it).",
            pytrace=False,
        )
    from bluestone.linkage.spark import spark_session  # noqa: PLC0415 (the JVM starts only when a test asks)

    for key, value in SPARK_TEST_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    # py4j says goodbye at INFO from a destructor, after pytest has closed the streams logging writes to.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    session = spark_session()
    yield session
    session.stop()
