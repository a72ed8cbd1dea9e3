"""`bluestone synth`: arguments, atomic writing, refusal to overwrite, and a round trip through `bluestone load`."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from bluestone.synth import DEFAULT_END_DATE, TABLE_NAMES, generate_force


@pytest.mark.parametrize(
    ("cases", "message"),
    [
        ("0", "between 1 and 5,000,000, but got 0"),
        ("-3", "between 1 and 5,000,000, but got -3"),
        ("abc", "whole number, but got 'abc'"),
        ("10000000", "between 1 and 5,000,000, but got 10,000,000"),
        (0, "between 1 and 5,000,000"),
    ],
)
def test_bad_case_counts_are_refused_and_nothing_is_written(tmp_path: Path, cases: object, message: str) -> None:
    out = tmp_path / "force"
    with pytest.raises(CommandError, match=message) as error:
        call_command("synth", cases=cases, seed="1", out=str(out), verbosity=0)
    assert "--cases" in str(error.value)
    assert "Try for example" in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_a_bad_seed_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--seed must be a whole number"):
        call_command("synth", cases="10", seed="x", out=str(tmp_path / "f"), verbosity=0)
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_the_same_force_as_the_api(tmp_path: Path) -> None:
    out = tmp_path / "force"
    stdout = StringIO()
    call_command("synth", cases="120", seed="4", out=str(out), stdout=stdout)
    expected = generate_force(cases=120, seed=4)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.parquet" for name in TABLE_NAMES)
    for name in TABLE_NAMES:
        assert pq.read_table(out / f"{name}.parquet").equals(expected[name]), name
    assert "120 cases" in stdout.getvalue()
    # No staging folder is left behind.
    assert [p.name for p in tmp_path.iterdir()] == ["force"]


@pytest.mark.parametrize("end_date", ["30/09/2026", "2026-02-30", "yesterday"])
def test_a_bad_end_date_is_refused(tmp_path: Path, end_date: str) -> None:
    with pytest.raises(CommandError, match=r"--end-date must be a day written YYYY-MM-DD, but got") as error:
        call_command("synth", cases="10", seed="1", end_date=end_date, out=str(tmp_path / "f"), verbosity=0)
    assert repr(end_date) in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_the_end_date_moves_the_window_and_nothing_happens_after_it(tmp_path: Path) -> None:
    end = dt.date(2026, 12, 1)
    out = tmp_path / "force"
    call_command("synth", cases="80", seed="4", end_date=end.isoformat(), out=str(out), verbosity=0)
    expected = generate_force(cases=80, seed=4, end_date=end)
    for name in TABLE_NAMES:
        assert pq.read_table(out / f"{name}.parquet").equals(expected[name]), name
    london = ZoneInfo("Europe/London")
    recorded = [moment.astimezone(london).date() for moment in expected["cases"].column("recorded_at").to_pylist()]
    assert max(recorded) <= end
    # The window ends on the day given, not on the default day.
    assert max(recorded) > DEFAULT_END_DATE
    assert not pq.read_table(out / "cases.parquet").equals(generate_force(cases=80, seed=4)["cases"])


def test_a_folder_with_files_is_kept_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "force"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(CommandError, match="--force"):
        call_command("synth", cases="10", seed="1", out=str(out), verbosity=0)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    call_command("synth", cases="10", seed="1", out=str(out), force=True, verbosity=0)
    assert not (out / "notes.txt").exists()
    assert (out / "cases.parquet").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["force"]


def test_a_failed_run_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bluestone.orchestration.management.commands import synth  # noqa: PLC0415

    def broken_write(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(synth, "write_force", broken_write)
    with pytest.raises(OSError, match="disk full"):
        call_command("synth", cases="10", seed="1", out=str(tmp_path / "force"), verbosity=0)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_the_synthetic_force_loads(tmp_path: Path) -> None:
    from bluestone.cases.models import Case, Outcome, PersonRecord  # noqa: PLC0415

    out = tmp_path / "force"
    call_command("synth", cases="60", seed="8", out=str(out), verbosity=0)
    call_command("load", str(out), verbosity=0)
    assert Case.objects.count() == 60
    assert PersonRecord.objects.count() == pq.read_table(out / "persons.parquet").num_rows
    assert Outcome.objects.count() == pq.read_table(out / "outcomes.parquet").num_rows
