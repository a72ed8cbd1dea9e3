"""The Spark engine: the same identities as DuckDB with the same stored model, at FEBRL4's 10,000 records.

These tests start a local JVM once per test process (the `spark` fixture). They never skip: CI must
exercise the national-scale path (.ci/run installs Java).
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyspark.sql import DataFrame, SparkSession

from bluestone.linkage import LinkageModel, link_records, train_model
from bluestone.linkage.similarity import jaro_winkler, jaro_winkler_arrow
from bluestone.linkage.spark import (
    LOCAL_DEFAULTS,
    SparkSettings,
    SparkSetupError,
    launch_conf,
    parse_conf,
    spark_session,
    use_spark_session,
)
from bluestone.linkage.standardising import standardise
from tests.linkage.conftest import SMALL_TRAINING
from tests.linkage.febrl import febrl


def _duckdb_jaro_winkler(left: list[str | None], right: list[str | None]) -> list[float | None]:
    con = duckdb.connect()
    try:
        con.register("pairs", pa.table({"a": pa.array(left, pa.string()), "b": pa.array(right, pa.string())}))
        return con.sql("SELECT jaro_winkler_similarity(a, b) AS s FROM pairs").to_arrow_table()["s"].to_pylist()
    finally:
        con.close()


def _febrl_pairs() -> tuple[list[str | None], list[str | None]]:
    """Names and addresses of FEBRL4 as standardised, paired at random and with their own typos."""
    records, _ = febrl("febrl4")
    table, _ = standardise(records.slice(0, 1_500))
    words = [v for c in ("first_name", "last_name", "address") for v in table.column(c).to_pylist() if v]
    chance = random.Random(5)
    left: list[str | None] = []
    right: list[str | None] = []
    for word in words:
        other = list(word)
        for _ in range(chance.randint(0, 3)):
            if len(other) < 2:  # a typo needs two characters to work on
                break
            i = chance.randrange(len(other))
            other[i : i + 2] = chance.choice([other[i + 1 : i + 2] + other[i : i + 1], ["e"], []])
        left += [word, word]
        right += ["".join(other), chance.choice(words)]
    return [*left, None, "ann", "", "a"], [*right, "ann", None, "", "a"]


def test_jaro_winkler_is_duckdbs_to_the_last_bit_on_names_and_addresses() -> None:
    left, right = _febrl_pairs()
    expected = _duckdb_jaro_winkler(left, right)
    vectorised = jaro_winkler_arrow(pa.array(left, pa.string()), pa.array(right, pa.string())).to_pylist()
    assert vectorised == expected  # exact float equality, nulls in the same places
    assert [jaro_winkler(a, b) for a, b in zip(left, right, strict=True) if a is not None and b is not None] == [
        e for a, b, e in zip(left, right, expected, strict=True) if a is not None and b is not None
    ]
    # The pairs reach every branch: the Winkler boost, no match at all, exact matches.
    assert {0.0, 1.0} <= set(expected)
    assert any(0.9 < e < 1 for e in expected if e is not None)


# No deadline: DuckDB's first query in a process takes longer than hypothesis allows.
@settings(deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12)), min_size=1, max_size=40))
def test_jaro_winkler_is_duckdbs_on_any_text(pairs: list[tuple[str, str]]) -> None:
    left = [a.replace("\x00", "") for a, _ in pairs]
    right = [b.replace("\x00", "") for _, b in pairs]
    expected = _duckdb_jaro_winkler(list(left), list(right))
    assert jaro_winkler_arrow(pa.array(left), pa.array(right)).to_pylist() == expected
    assert [jaro_winkler(a, b) for a, b in zip(left, right, strict=True)] == expected


def test_spark_settings_come_from_the_environment_spark_submit_style() -> None:
    settings = SparkSettings.from_environment(
        {
            "BLUESTONE_SPARK_MASTER": "spark://head:7077",
            "BLUESTONE_SPARK_CONF": "spark.executor.memory=8g;\nspark.sql.shuffle.partitions = 400",
            "BLUESTONE_SPARK_DRIVER_MEMORY": "6g",
            "BLUESTONE_SPARK_WORK_DIR": "hdfs:///tmp/bluestone",
        }
    )
    master, conf = launch_conf(settings, under_spark_submit=False)
    assert master == "spark://head:7077"
    assert conf["spark.executor.memory"] == "8g"
    assert conf["spark.sql.shuffle.partitions"] == "400"
    assert conf["spark.driver.memory"] == "6g"
    assert "spark.driver.bindAddress" not in conf  # the laptop defaults are for a local master only
    assert settings.work_dir == "hdfs:///tmp/bluestone"

    master, conf = launch_conf(SparkSettings.from_environment({}), under_spark_submit=False)
    assert master is not None
    assert master.startswith("local[")
    assert conf["spark.driver.memory"] == "4g"
    assert LOCAL_DEFAULTS.items() <= conf.items()

    # Inside spark-submit, its master and configuration stand; only Bluestone's own settings are added.
    master, conf = launch_conf(SparkSettings.from_environment({}), under_spark_submit=True)
    assert master is None
    assert "spark.driver.memory" not in conf


def test_a_spark_property_that_is_not_key_value_is_refused() -> None:
    with pytest.raises(SparkSetupError, match=r"BLUESTONE_SPARK_CONF: 'executor\.memory 8g' is not a Spark property"):
        parse_conf("spark.executor.cores=2; executor.memory 8g")


def test_an_existing_session_is_used_not_replaced(spark: SparkSession) -> None:
    assert SparkSession.getActiveSession() is spark
    assert spark_session() is spark
    use_spark_session(spark)
    try:
        assert spark_session() is spark
    finally:
        use_spark_session(None)


def test_spark_links_febrl4_exactly_as_duckdb_does_with_the_same_stored_model(
    spark: SparkSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, _ = febrl("febrl4")
    stored = tmp_path / "model.json"
    train_model(records, config=SMALL_TRAINING).save(stored)
    model = LinkageModel.load(stored)
    on_duckdb = link_records(records, model=model, engine="duckdb")

    def through_the_driver(*args: object, **kwargs: object) -> None:
        raise AssertionError("records go to Spark and pairs come back as Parquet files, not through pandas or the JVM")

    for method in ("toPandas", "toArrow"):
        monkeypatch.setattr(DataFrame, method, through_the_driver)
    monkeypatch.setattr(SparkSession, "createDataFrame", through_the_driver)
    on_spark = link_records(records, model=model, engine="spark")

    assert on_spark.summary.engine == "spark"
    assert on_spark.identities.num_rows == 10_000
    # identity_id is the smallest record id in the identity, so equal columns mean an identical partition.
    assert on_spark.identities.column("record_id").equals(on_duckdb.identities.column("record_id"))
    assert on_spark.identities.column("identity_id").equals(on_duckdb.identities.column("identity_id"))
    assert on_spark.identities.column("review").equals(on_duckdb.identities.column("review"))
    assert on_spark.summary.records_in_shared_identities >= 9_900
    keys = ["record_id_l", "record_id_r"]
    spark_pairs = on_spark.predictions.sort_by([(k, "ascending") for k in keys])
    duck_pairs = on_duckdb.predictions.sort_by([(k, "ascending") for k in keys])
    assert spark_pairs.select(keys).equals(duck_pairs.select(keys))
    levels = [c for c in duck_pairs.column_names if c.startswith("level_")]
    assert spark_pairs.select(levels).equals(duck_pairs.select(levels))  # every comparison at the same level
    difference = pc.max(pc.abs(pc.subtract(spark_pairs["match_weight"], duck_pairs["match_weight"]))).as_py()
    assert difference < 1e-9
    # The run's folder (its Parquet files and Splink's lineage breaks) is gone, and so are its views.
    assert not [t.name for t in spark.catalog.listTables() if t.isTemporary]
