from __future__ import annotations

import json
import os
import subprocess
import sys
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


def refused(*args: str) -> str:
    """The one-line message of a refused run, checking it exits with code 2."""
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "\n" not in message
    return message


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

    report = run("--input", str(source), "--output", str(target), "--model", str(model_file), "--skip-bad-dates")

    read = pa_csv.read_csv if suffix == ".csv" else pq.read_table
    identities = read(target)
    assert identities.column_names[:3] == ["record_id", "identity_id", "identity_size"]
    assert {"weakest_link", "review"} <= set(identities.column_names)
    assert identities.num_rows == records.num_rows
    assert max(identities.column("identity_size").to_pylist()) > 1
    explanations = read(tmp_path / f"out.explanations{suffix}")
    assert {"record_id_l", "record_id_r", "match_probability", "mw_date_of_birth", "level_date_of_birth"} <= set(
        explanations.column_names
    )
    assert {"first_name_l", "first_name_r", "match_rule", "held_reason"} <= set(explanations.column_names)
    assert explanations.num_rows > 0
    assert "date_of_birth: 1 not a date in a format Bluestone reads (e.g. records 4, 8" not in report
    assert "date_of_birth: 2 not a date in a format Bluestone reads (e.g. records 4, 8" in report
    assert "phone: 1 could not be parsed (e.g. records 11" in report
    assert f"Model: {model_file} (reused)" in report


def test_a_model_file_is_trained_once_and_reused_until_the_columns_change(tmp_path: Path) -> None:
    records, _ = fake_persons(250, seed=8)
    source, target, model = tmp_path / "in.parquet", tmp_path / "out.parquet", tmp_path / "model.json"
    pq.write_table(records, source)

    first = run("--input", str(source), "--output", str(target), "--model", str(model))
    assert "trained on this file" in first
    written = model.read_text(encoding="utf-8")

    second = run("--input", str(source), "--output", str(target), "--model", str(model))
    assert f"Model: {model} (reused)" in second
    assert model.read_text(encoding="utf-8") == written

    pq.write_table(records.drop(["email", "phone"]), source)
    third = run("--input", str(source), "--output", str(target), "--model", str(model))
    assert "was trained on other columns, so a new one was trained" in third
    assert "email" not in json.loads(model.read_text(encoding="utf-8"))["columns"]

    fourth = run("--input", str(source), "--output", str(target), "--model", str(model), "--retrain")
    assert "trained on this file" in fourth


def test_missing_record_id_stops_naming_the_header_and_writes_nothing(tmp_path: Path, model_file: Path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("id,first_name\n1,Jo\n", encoding="utf-8")
    message = refused("--input", str(source), "--output", str(target), "--model", str(model_file))
    assert message.startswith(f"--input {source}, line 1 (the header), column record_id: there is no such column")
    assert not target.exists()
    assert not (tmp_path / "out.explanations.csv").exists()


def test_duplicate_ids_are_named_with_their_rows_and_nothing_is_written(tmp_path: Path, model_file: Path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("record_id,first_name\n007,Jo\n8,Al\n007,Jo\n", encoding="utf-8")
    message = refused("--input", str(source), "--output", str(target), "--model", str(model_file))
    assert "duplicate ids" in message
    assert "'007' on rows 1, 3" in message
    assert not target.exists()


def test_a_header_only_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("record_id,first_name,last_name\n", encoding="utf-8")
    message = refused("--input", str(source), "--output", str(tmp_path / "out.csv"))
    assert message == f"--input {source}: the file has a header (line 1) but no records; there is nothing to link."


def test_bytes_that_are_not_utf8_are_named_by_line_and_column(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(b"record_id,first_name,last_name\n1,Jo,Smith\n2,J\xe9r\xf4me,Dupont\n")
    message = refused("--input", str(source), "--output", str(tmp_path / "out.csv"))
    assert message.startswith(f"--input {source}, line 3, column first_name: byte 0xE9 is not UTF-8 text.")


def test_an_impossible_date_of_birth_is_named_by_line_and_column(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "record_id,first_name,last_name,date_of_birth\n1,Jo,Smith,1980-01-02\n2,Al,Jones,31/02/2026\n",
        encoding="utf-8",
    )
    message = refused("--input", str(source), "--output", str(tmp_path / "out.csv"))
    assert message.startswith(
        f"--input {source}, line 3 (record 2), column date_of_birth: '31/02/2026' is not a real date."
    )
    assert "--skip-bad-dates" in message


def test_a_month_first_date_is_refused_not_guessed(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"record_id": ["a", "b"], "date_of_birth": ["1980-01-02", "04/25/1980"]}), source)
    message = refused("--input", str(source), "--output", str(tmp_path / "out.csv"))
    assert "row 2, column date_of_birth: '04/25/1980' is written month first (US style)" in message


def test_a_file_without_last_names_links_on_the_columns_it_has(tmp_path: Path) -> None:
    records, _ = fake_persons(300, seed=9)
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    pa_csv.write_csv(records.drop(["last_name"]), source)
    report = run("--input", str(source), "--output", str(target))
    identities = pa_csv.read_csv(target)
    assert identities.num_rows == records.num_rows
    assert max(identities.column("identity_size").to_pylist()) > 1
    assert "Linked" in report


def test_too_many_comparisons_stop_naming_the_rule_and_the_values(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    rows = ["record_id,first_name,last_name,date_of_birth,postcode"]
    rows += [f"{i},Unknown,Unknown,1900-01-01,ZZ99 9ZZ" for i in range(300)]
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    message = refused("--input", str(source), "--output", str(tmp_path / "out.csv"), "--max-comparisons", "10000")
    assert "over the limit of 10,000" in message
    assert "shared by 300 records" in message
    assert "unknown" in message


def test_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    message = refused("--input", str(tmp_path / "in.xlsx"), "--output", str(tmp_path / "out.csv"))
    assert "use a .csv or .parquet file" in message


def test_a_bad_model_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("record_id\n1\n", encoding="utf-8")
    model = tmp_path / "m.json"
    model.write_text("{}", encoding="utf-8")
    message = refused("--input", str(source), "--output", str(tmp_path / "o.csv"), "--model", str(model))
    assert "Not a Bluestone linkage model" in message
    assert "--retrain" in message


def test_the_command_line_prints_one_line_and_exits_2_never_a_traceback(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(b"record_id,first_name\n1,Jo\n2,\xff\n")
    completed = subprocess.run(
        [sys.executable, "-m", "bluestone.cli", "link", "--input", str(source), "--output", str(tmp_path / "o.csv")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bluestone.settings.test"},
        timeout=120,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    errors = [line for line in completed.stderr.splitlines() if line.startswith("CommandError:")]
    assert errors == [
        f"CommandError: --input {source}, line 3, column first_name: byte 0xFF is not UTF-8 text. "
        "Save the file as UTF-8 (CSV UTF-8 in a spreadsheet) and try again."
    ]
