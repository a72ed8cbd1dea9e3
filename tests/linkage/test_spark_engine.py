"""Spark engine tests (slow: a local JVM). They never skip: CI must exercise the national-scale path."""

from __future__ import annotations

import pyarrow as pa

from bluestone.linkage import LinkageModel, link_records
from tests.linkage.fakeforce import fake_persons


def test_spark_gives_the_same_identities_as_duckdb_with_the_same_model(small_model: LinkageModel) -> None:
    records, _ = fake_persons(250, seed=21)
    on_duckdb = link_records(records, model=small_model, engine="duckdb")
    on_spark = link_records(records, model=small_model, engine="spark")
    assert on_spark.summary.engine == "spark"
    assert on_spark.identities.column("record_id").equals(on_duckdb.identities.column("record_id"))
    # identity_id is the smallest record id in the identity, so equal ids mean an identical partition.
    assert on_spark.identities.column("identity_id").equals(on_duckdb.identities.column("identity_id"))
    assert on_spark.summary.records_in_shared_identities > 0
    duck_pairs = set(
        zip(*(on_duckdb.predictions.column(c).to_pylist() for c in ("record_id_l", "record_id_r")), strict=True)
    )
    spark_pairs = set(
        zip(*(on_spark.predictions.column(c).to_pylist() for c in ("record_id_l", "record_id_r")), strict=True)
    )
    assert spark_pairs == duck_pairs
    assert isinstance(on_spark.predictions, pa.Table)
