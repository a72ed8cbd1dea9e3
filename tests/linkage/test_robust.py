"""Training and linking work on whatever columns a file has, and stop cleanly when the work would explode."""

from __future__ import annotations

import logging

import pyarrow as pa
import pytest

from bluestone.linkage import Limits, TooManyComparisons, link_records, train_model
from bluestone.linkage.engines import database_api
from tests.linkage.conftest import SMALL_TRAINING
from tests.linkage.fakeforce import fake_persons


@pytest.mark.parametrize(
    "columns",
    [
        ("first_name", "last_name"),
        ("first_name", "date_of_birth"),
        ("last_name", "postcode", "phone"),
        ("identifier",),
    ],
)
def test_a_model_trains_and_links_on_any_columns(columns: tuple[str, ...]) -> None:
    records, _ = fake_persons(400, seed=12)
    subset = records.select(["record_id", *columns])
    result = link_records(subset, config=SMALL_TRAINING)
    assert result.model.columns == tuple(c for c in result.model.columns if c in columns)
    assert set(result.model.columns) == set(columns)
    assert result.identities.num_rows == subset.num_rows
    assert result.summary.records_in_shared_identities > 0


def test_a_training_session_with_no_pairs_is_skipped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    # Every postcode differs: the postcode session finds no pairs. Splink would raise; this warns and goes on.
    records, _ = fake_persons(300, seed=13)
    unique = pa.array([f"AB{i} 1CD" for i in range(records.num_rows)])
    records = records.set_column(records.column_names.index("postcode"), "postcode", unique)
    with caplog.at_level(logging.WARNING, logger="bluestone.linkage"):
        model = train_model(records, config=SMALL_TRAINING)
    message = "Training on pairs with the same postcode was skipped: no two records have it."
    assert message in model.trained_on["warnings"]
    assert message in caplog.text


def test_too_few_records_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="linkage needs at least two"):
        link_records(pa.table({"record_id": ["1"], "first_name": ["Jo"]}))


def test_a_placeholder_value_shared_by_many_records_stops_before_any_work() -> None:
    n = 2_000
    letters = "abcdefghijklmnopqrstuvwxyz"

    def name(i: int) -> str:
        return "".join(letters[(i // 26**k) % 26] for k in range(4))

    records = pa.table(
        {
            "record_id": [str(i) for i in range(n)],
            "first_name": [f"F{name(i)}" for i in range(n)],
            "last_name": [f"L{name(i)}" for i in range(n)],
            "date_of_birth": ["1900-01-01"] * n,
            "postcode": ["ZZ99 9ZZ"] * n,
        }
    )
    with pytest.raises(TooManyComparisons) as caught:
        link_records(records, limits=Limits(max_comparisons=1_000_000))
    message = str(caught.value)
    assert "over the limit of 1,000,000" in message
    assert "'same date of birth and postcode' (dob and postcode)" in message
    assert "'1900-01-01 / ZZ999ZZ' shared by 2,000 records" in message


def test_duckdb_takes_its_memory_limit_from_the_limits() -> None:
    with database_api("duckdb", memory_limit="1GB") as api:
        limit = api._con.execute(  # type: ignore[attr-defined]
            "SELECT current_setting('memory_limit')"
        ).fetchone()[0]
    assert limit in {"1.0 GiB", "953.6 MiB", "1000.0 MiB"}
    with pytest.raises(ValueError, match="not a size such as 4GB"), database_api("duckdb", memory_limit="lots"):
        pass
