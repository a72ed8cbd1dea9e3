"""Fixtures shared by the linkage tests: one small force and one model trained on it (training takes seconds)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pyarrow as pa
import pytest

from bluestone.linkage import LinkageModel, LinkageResult, TrainingConfig, link_records
from tests.linkage.fakeforce import fake_persons

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SMALL_TRAINING = TrainingConfig(u_max_pairs=1e6, em_max_pairs=5e5, seed=11)


@pytest.fixture(scope="session")
def small_force() -> tuple[pa.Table, pa.Table]:
    return fake_persons(1_200, seed=3)


@pytest.fixture(scope="session")
def small_linked(small_force: tuple[pa.Table, pa.Table]) -> LinkageResult:
    records, _ = small_force
    return link_records(records, config=SMALL_TRAINING)


@pytest.fixture(scope="session")
def small_model(small_linked: LinkageResult) -> LinkageModel:
    return small_linked.model


# The Spark tests' JVM: one per test process, started on first use, small and quick to start (the
# client compiler only, a serial collector); the settings a user gives in the environment win.
SPARK_TEST_ENVIRONMENT = {
    "BLUESTONE_SPARK_MASTER": "local[2]",
    "BLUESTONE_SPARK_DRIVER_MEMORY": "1g",
    "BLUESTONE_SPARK_CONF": "spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """Local Spark for the tests. Never skipped: without Java the Spark tests fail and say what to install."""
    if shutil.which("java") is None:
        pytest.fail(
            "The Spark tests need Java 17 or later on PATH (Debian: apt-get install openjdk-17-jre-headless; "
            ".ci/run installs it).",
            pytrace=False,
        )
    from bluestone.linkage.spark import spark_session  # noqa: PLC0415

    for key, value in SPARK_TEST_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    session = spark_session()
    yield session
    # Stopped here, not at interpreter exit, when py4j's farewell log would find pytest's streams closed.
    session.stop()
