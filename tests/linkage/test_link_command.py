from __future__ import annotations

from io import StringIO
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bluestone.linkage import LinkageModel
from tests.linkage.fakeforce import fake_persons


def run(*args: str) -> str:
    out = StringIO()
    call_command("link", *args, stdout=out, stderr=StringIO(), verbosity=0)
    return out.getvalue()


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory, small_model: LinkageModel) -> Path:
    path = tmp_path_factory.mktemp("model") / "model.json"
    small_model.save(path)
    return path


def records_with_problems() -> pa.Table:
    records, _ = fake_persons(150, seed=5)
    rows = records.to_pylist()
    rows[3]["date_of_birth"] = "31/02/19x9"
    rows[7]["date_of_birth"] = "yesterday"
    rows[10]["phone"] = "12345"
    return pa.Table.from_pylist(rows, schema=records.schema)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_links_a_file_and_writes_identities_and_explanations_in_its_format(
    tmp_path: Path, model_file: Path, suffix: str
) -> None:
    source, target = tmp_path / f"in{suffix}", tmp_path / f"out{suffix}"
    records = records_with_problems()
    if suffix == ".csv":
        pa_csv.write_csv(records, source)
    else:
        pq.write_table(records, source)

    report = run("--input", str(source), "--output", str(target), "--model", str(model_file))

    read = pa_csv.read_csv if suffix == ".csv" else pq.read_table
    identities = read(target)
    assert identities.column_names == ["record_id", "identity_id", "identity_size"]
    assert identities.num_rows == records.num_rows
    assert max(identities.column("identity_size").to_pylist()) > 1
    explanations = read(tmp_path / f"out.explanations{suffix}")
    assert {"record_id_l", "record_id_r", "match_probability", "mw_date_of_birth"} <= set(explanations.column_names)
    assert explanations.num_rows > 0
    assert "date_of_birth: 2 (e.g. records 4, 8" in report
    assert "phone: 1 (e.g. records 11" in report


def test_missing_record_id_stops_and_writes_nothing(tmp_path: Path, model_file: Path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("id,first_name\n1,Jo\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no 'record_id' column"):
        run("--input", str(source), "--output", str(target), "--model", str(model_file))
    assert not target.exists()
    assert not (tmp_path / "out.explanations.csv").exists()


def test_duplicate_ids_are_named_with_their_rows_and_nothing_is_written(tmp_path: Path, model_file: Path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("record_id,first_name\n007,Jo\n8,Al\n007,Jo\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"duplicate ids.*'007' on rows 1, 3"):
        run("--input", str(source), "--output", str(target), "--model", str(model_file))
    assert not target.exists()


def test_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"use a \.csv or \.parquet file"):
        run("--input", str(tmp_path / "in.xlsx"), "--output", str(tmp_path / "out.csv"))


def test_a_bad_model_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("record_id\n1\n", encoding="utf-8")
    model = tmp_path / "m.json"
    model.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="Not a Bluestone linkage model"):
        run("--input", str(source), "--output", str(tmp_path / "o.csv"), "--model", str(model))
