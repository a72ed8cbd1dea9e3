from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from bluestone.accounts.models import Officer, Team
from bluestone.cases import loading
from bluestone.cases.loading import ExtractError, extract_load
from bluestone.cases.models import (
    Case,
    CaseEvent,
    Involvement,
    Outcome,
    PersonIdentifier,
    PersonPhone,
    PersonRecord,
    SearchEntry,
)
from tests.loading.conftest import ExtractFactory

pytestmark = pytest.mark.django_db

LOADED_MODELS = (Team, Officer, Case, PersonRecord, Involvement, Outcome, CaseEvent, PersonPhone, PersonIdentifier)


def counts() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in LOADED_MODELS}


def assert_nothing_written() -> None:
    assert all(n == 0 for n in counts().values()), counts()


def test_a_valid_extract_loads_every_table(make_extract: ExtractFactory) -> None:
    summary = extract_load(directory=make_extract())

    assert summary.rows["cases"] == 3
    assert counts() == {
        "Team": 2,
        "Officer": 2,
        "Case": 3,
        "PersonRecord": 4,
        "Involvement": 4,
        "Outcome": 1,
        "CaseEvent": 3,
        "PersonPhone": 2,
        "PersonIdentifier": 1,
    }
    case = Case.objects.get(crime_reference="BS/25/000001")
    assert case.officer is not None
    assert case.officer.collar_number == "1001"
    assert case.team.code == "T1"
    assert case.reported_at == dt.datetime(2025, 3, 5, 10, 30, tzinfo=dt.UTC)
    assert case.outcome.outcome_type_id == 16
    assert case.outcome.victim_informed_on == dt.date(2025, 6, 1)
    victim = case.involvements.get(role="victim").person
    assert victim.full_name == "Jo Bloggs"
    assert victim.aliases == ["Joanne", "JB"]
    assert victim.addresses.get().postcode == "QX1 2AB"
    assert Case.objects.get(crime_reference="BS/25/000003").officer is None


def test_reloading_the_same_extract_changes_nothing(make_extract: ExtractFactory) -> None:
    directory = make_extract()
    extract_load(directory=directory)
    first = counts()
    ids = sorted(Case.objects.values_list("id", flat=True))
    person_ids = sorted(PersonRecord.objects.values_list("id", flat=True))

    extract_load(directory=directory)

    assert counts() == first
    assert sorted(Case.objects.values_list("id", flat=True)) == ids
    assert sorted(PersonRecord.objects.values_list("id", flat=True)) == person_ids


def test_a_reload_updates_changed_rows_in_place_and_keeps_work_done_in_the_app(make_extract: ExtractFactory) -> None:
    extract_load(directory=make_extract())
    Case.objects.filter(crime_reference="BS/25/000002").update(summary="Written by the officer.")

    def promote(rows: dict) -> None:
        rows["cases"][1]["status"] = "with_cps"

    extract_load(directory=make_extract(promote, name="second"))

    case = Case.objects.get(crime_reference="BS/25/000002")
    assert case.status == "with_cps"
    assert case.summary == "Written by the officer."
    assert Case.objects.count() == 3


def test_a_missing_column_names_file_and_column(make_extract: ExtractFactory) -> None:
    directory = make_extract()
    table = pq.read_table(directory / "cases.parquet").drop_columns(["offence_code"])
    pq.write_table(table, directory / "cases.parquet")

    with pytest.raises(ExtractError) as error:
        extract_load(directory=directory)

    assert "cases.parquet, column 'offence_code': required column is missing." in str(error.value)
    assert_nothing_written()


def test_a_corrupted_parquet_file_is_named(make_extract: ExtractFactory) -> None:
    directory = make_extract()
    data = (directory / "persons.parquet").read_bytes()
    (directory / "persons.parquet").write_bytes(data[: len(data) // 2])

    with pytest.raises(ExtractError) as error:
        extract_load(directory=directory)

    assert str(error.value).startswith("persons.parquet: not a readable Parquet file")
    assert_nothing_written()


def test_a_value_of_the_wrong_type_names_the_row(make_extract: ExtractFactory) -> None:
    directory = make_extract()
    table = pq.read_table(directory / "cases.parquet")
    dates = pa.array(["2025-03-01", "not a date", "2025-03-01"])
    table = table.set_column(table.schema.get_field_index("offence_from"), "offence_from", dates)
    pq.write_table(table, directory / "cases.parquet")

    with pytest.raises(ExtractError) as error:
        extract_load(directory=directory)

    assert "cases.parquet, row 2, column 'offence_from': value cannot be read as a date" in str(error.value)
    assert_nothing_written()


def test_a_missing_required_value_names_the_row(make_extract: ExtractFactory) -> None:
    def spoil(rows: dict) -> None:
        rows["involvements"][2]["role"] = None

    directory = make_extract(spoil)
    with pytest.raises(ExtractError) as error:
        extract_load(directory=directory)

    assert "involvements.parquet, row 3, column 'role': value is missing" in str(error.value)
    assert_nothing_written()


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (
            lambda rows: rows["cases"][0].update(offence_code="99Z"),
            "cases.parquet, row 1, column 'offence_code': not a Home Office offence class code",
        ),
        (
            lambda rows: rows["involvements"][0].update(case_id="BS/25/999999"),
            "involvements.parquet, row 1, column 'case_id': refers to a case_id that is not in cases.parquet.",
        ),
        (
            lambda rows: rows["persons"][1].update(person_record_id="P1"),
            "persons.parquet, row 2, column 'person_record_id': 'P1' appears more than once.",
        ),
        (
            lambda rows: rows["cases"][2].update(offence_to=dt.date(2025, 2, 1)),
            "cases.parquet, row 3, column 'offence_to': the offence ends before it starts",
        ),
        (
            lambda rows: rows["outcomes"][0].update(outcome_code=77),
            "outcomes.parquet, row 1, column 'outcome_code': not a Home Office outcome type",
        ),
    ],
    ids=["unknown offence", "dangling reference", "duplicate key", "dates reversed", "unknown outcome"],
)
def test_bad_values_are_refused_with_file_row_and_column(make_extract: ExtractFactory, spoil, expected: str) -> None:
    with pytest.raises(ExtractError) as error:
        extract_load(directory=make_extract(spoil))

    assert expected in str(error.value)
    assert_nothing_written()


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        # Outcome 16 needs the victim's withdrawal on record.
        (lambda rows: rows["events"].pop(1), "needs the victim's withdrawal of support on record"),
        # 15, 16 and 21 need a named suspect.
        (
            lambda rows: rows["outcomes"][0].update(case_id="BS/25/000002", outcome_code=15),
            "Outcome 15 needs a named suspect",
        ),
        # 18 needs no named suspect.
        (lambda rows: rows["outcomes"][0].update(outcome_code=18), "Outcome 18 is only for cases with no suspect"),
        # 21 needs a rationale and a record that the victim was told.
        (
            lambda rows: rows["outcomes"][0].update(outcome_code=21, rationale="", victim_informed=False),
            "Outcome 21 needs a rationale",
        ),
    ],
    ids=["16 without withdrawal", "15 without named suspect", "18 with named suspect", "21 without rationale"],
)
def test_an_outcome_that_breaks_a_rule_is_refused(make_extract: ExtractFactory, spoil, expected: str) -> None:
    with pytest.raises(ExtractError) as error:
        extract_load(directory=make_extract(spoil))

    assert "outcomes.parquet, row 1, column 'outcome_code'" in str(error.value)
    assert expected in str(error.value)
    assert_nothing_written()


def test_a_failure_while_writing_rolls_everything_back(
    make_extract: ExtractFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    extract_load(directory=make_extract())
    before = counts()

    def change(rows: dict) -> None:
        rows["officers"].append(
            {"officer_id": "3003", "first_name": "New", "last_name": "Officer", "rank": "DC", "team_id": "T1"}
        )
        rows["persons"][0]["first_name"] = "Changed"

    def fail_late(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    # The last table's write fails after every other table was written in the same transaction.
    monkeypatch.setattr(loading, "write_events", fail_late)
    with pytest.raises(OSError, match="disk full"):
        extract_load(directory=make_extract(change, name="second"))

    assert counts() == before
    assert not Officer.objects.filter(collar_number="3003").exists()
    assert PersonRecord.objects.get(source_id="P1").first_name == "Jo"


def test_the_load_command_reports_problems_and_exits_non_zero(make_extract: ExtractFactory, tmp_path: Path) -> None:
    def spoil(rows: dict) -> None:
        rows["cases"][0]["offence_code"] = "99Z"

    with pytest.raises(CommandError) as error:
        call_command("load", str(make_extract(spoil)), verbosity=0)

    assert "Nothing was loaded" in str(error.value)
    assert "cases.parquet, row 1, column 'offence_code'" in str(error.value)
    assert_nothing_written()


def test_the_load_command_loads(make_extract: ExtractFactory, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load", str(make_extract()), verbosity=1)

    assert "Loaded 2 teams, 2 officers, 3 cases" in capsys.readouterr().out
    assert Case.objects.count() == 3


def test_progress_is_reported_for_every_table_up_to_its_total(make_extract: ExtractFactory) -> None:
    seen: dict[str, list[tuple[int, int]]] = {}

    summary = extract_load(
        directory=make_extract(), progress=lambda label, done, total: seen.setdefault(label, []).append((done, total))
    )

    assert list(seen) == list(summary.rows)
    for label, updates in seen.items():
        assert updates[0] == (0, summary.rows[label]), label
        assert updates[-1] == (summary.rows[label], summary.rows[label]), label
    assert seen["cases"][-1] == (3, 3)


def test_the_load_command_is_silent_with_quiet(
    make_extract: ExtractFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("load", str(make_extract()), "--quiet")

    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    assert Case.objects.count() == 3


def test_a_load_fills_the_search_index_and_a_reload_replaces_it(make_extract: ExtractFactory) -> None:
    directory = make_extract()
    extract_load(directory=directory)
    extract_load(directory=directory)

    assert SearchEntry.objects.count() == Involvement.objects.count() == 4
    victim = Case.objects.get(crime_reference="BS/25/000001").involvements.get(role="victim")
    tokens = set(SearchEntry.objects.get(involvement=victim).tokens.split())
    # The name, an alias, and the postcode without its space, as the linkage standardises them.
    assert {"jo", "bloggs", "joanne", "pcqx12ab"} <= tokens
