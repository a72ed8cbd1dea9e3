"""Pseudonymised analytic exports: what each file holds, what it never holds, and the disclosure logged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from bluestone.accounts.models import Role, User
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.audit.words import record_name
from bluestone.cases.loading import extract_load
from bluestone.cases.models import Case, CaseEvent, Outcome
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core import clock
from bluestone.core.pseudonyms import case_key, person_pseudonym
from bluestone.insights.selectors import measure_rows
from bluestone.measures import Period
from tests.anonymity import give_victims_every_kind_of_identifier, victim_secrets
from tests.factories import TeamFactory, UserFactory
from tests.insights.seed import seed_duties_and_feedback

pytestmark = pytest.mark.django_db

YEAR = {"start": "2025-01-01", "end": "2025-12-31"}
HALF = {"start": "2025-07-01", "end": "2025-12-31"}
FILES = ("cases", "involvements", "outcomes", "events", "measures")
COLUMNS = {
    "cases": [
        "case",
        "recorded_month",
        "reported_month",
        "offence_month",
        "offence_class",
        "offence_group",
        "how_reported",
        "non_recent",
        "team",
        "status",
        "suspect_identified",
    ],
    "involvements": ["case", "person", "role"],
    "outcomes": ["case", "outcome_code", "decided_month", "recorded_month", "victim_informed"],
    "events": ["case", "kind", "occurred_month"],
    "measures": ["measure", "breakdown", "numerator", "denominator", "value"],
}
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
CASE = re.compile(r"^Case [2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")
PERSON = re.compile(r"^Person [2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")


@pytest.fixture
def loaded(db: None, force_dir: Path) -> None:
    extract_load(directory=force_dir)
    seed_duties_and_feedback()


@pytest.fixture
def analyst(db: None) -> User:
    return UserFactory.create(role=Role.ANALYST, team=None)


def download(client: Client, user: User, period: dict[str, str], output: str = "csv") -> dict[str, bytes]:
    client.force_login(user)
    response = client.post(
        "/measures/exports/download/", {**period, "output": output, "recipient": "Evaluation team, agreement 7"}
    )
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def csv_tables(files: dict[str, bytes]) -> dict[str, list[dict[str, str]]]:
    assert sorted(files) == sorted(f"{name}.csv" for name in FILES)
    tables = {}
    for name in FILES:
        reader = csv.DictReader(io.StringIO(files[f"{name}.csv"].decode()))
        assert reader.fieldnames == COLUMNS[name], name
        tables[name] = list(reader)
    return tables


def test_each_csv_file_has_its_columns_pseudonyms_and_months(client: Client, loaded: None, analyst: User) -> None:
    tables = csv_tables(download(client, analyst, YEAR))
    in_year = Case.objects.filter(recorded_at__year=2025).count()  # UTC year; London's differs by an hour
    assert abs(len(tables["cases"]) - in_year) <= 2
    assert len(tables["outcomes"]) == Outcome.objects.filter(decided_on__year=2025).count() > 0
    assert len(tables["events"]) > 0
    assert len(tables["involvements"]) >= len(tables["cases"])
    for row in tables["cases"]:
        assert CASE.match(row["case"]), row
        for column in ("recorded_month", "reported_month", "offence_month"):
            assert MONTH.match(row[column]), row
        assert row["recorded_month"].startswith("2025-")
        assert row["suspect_identified"] in {"true", "false"}
    for row in tables["outcomes"]:
        assert CASE.match(row["case"])
        assert MONTH.match(row["decided_month"])
        assert MONTH.match(row["recorded_month"])
        assert row["decided_month"].startswith("2025-")
        assert 1 <= int(row["outcome_code"]) <= 22
    for row in tables["events"]:
        assert CASE.match(row["case"]), row
        assert MONTH.match(row["occurred_month"]), row
    assert {row["role"] for row in tables["involvements"]} == {"victim", "suspect"}
    assert all(PERSON.match(row["person"]) for row in tables["involvements"])
    # Cases and outcomes join on the pseudonym, and it is the case key the analysts' pages show.
    some = Outcome.objects.filter(decided_on__year=2025).select_related("case").first()
    assert some is not None
    assert case_key(some.case_id) in {row["case"] for row in tables["outcomes"]}
    # No day anywhere: no full date, no crime reference.
    text = "\n".join(files_text for files_text in (str(tables[name]) for name in FILES))
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert not any(reference in text for reference in Case.objects.values_list("crime_reference", flat=True))


def test_the_measures_file_suppresses_small_numbers_as_the_dashboard_does(
    client: Client, loaded: None, analyst: User
) -> None:
    measures = csv_tables(download(client, analyst, YEAR))["measures"]
    charged = next(r for r in measures if r["measure"] == "charge_rate_period")
    assert charged["numerator"] == "<5"
    assert charged["value"] == ""
    for row in measures:
        for column in ("numerator", "denominator"):
            assert row[column] in {"", "<5", "0"} or float(row[column]) >= 5, row
    rows = measure_rows(period=Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), as_of=clock.today())
    assert len(measures) == len(rows)


def test_the_same_case_and_person_keep_their_pseudonyms_across_exports(
    client: Client, loaded: None, analyst: User
) -> None:
    year = csv_tables(download(client, analyst, YEAR))
    half = csv_tables(download(client, analyst, HALF))
    year_cases = {row["case"]: row for row in year["cases"]}
    assert half["cases"]
    assert all(year_cases[row["case"]] == row for row in half["cases"])
    year_people = {(row["case"], row["person"], row["role"]) for row in year["involvements"]}
    assert {(row["case"], row["person"], row["role"]) for row in half["involvements"]} <= year_people
    # The pseudonym is the keyed one: a victim's person record gets `person_pseudonym` of its id.
    victim = Case.objects.filter(recorded_at__month=10, recorded_at__year=2025).first()
    assert victim is not None
    person_id = victim.involvements.filter(role=InvolvementRole.VICTIM).values_list("person_id", flat=True).first()
    assert person_id is not None
    assert (case_key(victim.pk), person_pseudonym(person_id), "victim") in year_people


def test_parquet_files_hold_the_same_rows_typed(client: Client, loaded: None, analyst: User) -> None:
    as_csv = csv_tables(download(client, analyst, YEAR))
    files = download(client, analyst, YEAR, output="parquet")
    assert sorted(files) == sorted(f"{name}.parquet" for name in FILES)
    for name in FILES:
        table = pq.read_table(io.BytesIO(files[f"{name}.parquet"]))
        assert table.num_rows == len(as_csv[name]), name
        expected = COLUMNS[name] + (["suppressed"] if name == "measures" else [])
        assert table.column_names == expected
    outcomes = pq.read_table(io.BytesIO(files["outcomes.parquet"])).to_pylist()
    assert all(isinstance(row["outcome_code"], int) and MONTH.match(row["decided_month"]) for row in outcomes)
    measures = pq.read_table(io.BytesIO(files["measures.parquet"])).to_pylist()
    charged = next(r for r in measures if r["measure"] == "charge_rate_period")
    assert charged["suppressed"] is True
    assert charged["numerator"] is None
    assert charged["value"] is None
    assert all(r["numerator"] is None or r["numerator"] == 0 or r["numerator"] >= 5 for r in measures)


@pytest.mark.parametrize("output", ["csv", "parquet"])
def test_no_victim_identifier_is_in_any_file(client: Client, loaded: None, analyst: User, output: str) -> None:
    give_victims_every_kind_of_identifier()
    secrets = victim_secrets()
    assert len(secrets.words) > 50
    files = download(client, analyst, YEAR, output=output)
    for name, content in files.items():
        if output == "csv":
            text = content.decode()
        else:
            text = "\n".join(str(row) for row in pq.read_table(io.BytesIO(content)).to_pylist())
        assert secrets.found_in(text) == [], name
    summaries = [s for s in CaseEvent.objects.exclude(summary="").values_list("summary", flat=True)[:200]]
    everything = "\n".join(content.decode(errors="replace") for content in files.values())
    if output == "csv":
        assert not any(summary in everything for summary in summaries if len(summary) > 15)


def test_an_export_is_a_disclosure_naming_its_recipient(client: Client, loaded: None, analyst: User) -> None:
    files = csv_tables(download(client, analyst, YEAR))
    event = AuditEvent.objects.get(action=AuditAction.DISCLOSURE, object_type="insights.analyticexport")
    assert event.actor == analyst
    assert event.recipient == "Evaluation team, agreement 7"
    assert event.details["from"] == "2025-01-01"
    assert event.details["to"] == "2025-12-31"
    assert event.details["format"] == "csv"
    assert event.details["rows"] == {name: len(rows) for name, rows in files.items()}
    assert record_name(event.object_type) == "Pseudonymised analytic export"
    # The auditor finds it in the access log, in words.
    auditor = UserFactory.create(role=Role.AUDITOR, team=None)
    client.force_login(auditor)
    page = client.get("/audit/", {"username": analyst.username})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pseudonymised analytic export" in html
    assert "Evaluation team, agreement 7" in html


def test_an_export_without_a_recipient_is_refused_and_not_logged(client: Client, loaded: None, analyst: User) -> None:
    client.force_login(analyst)
    response = client.post("/measures/exports/download/", {**YEAR, "output": "csv", "recipient": " "})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Enter who the export is for and why" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.DISCLOSURE).exists()


def test_the_page_offers_the_form_to_analysts_only(client: Client, db: None) -> None:
    for role, status in ((Role.ANALYST, 200), (Role.SUPERVISOR, 403), (Role.INVESTIGATOR, 403), (Role.AUDITOR, 403)):
        client.force_login(UserFactory.create(role=role, team=TeamFactory.create()))
        response = client.get("/measures/exports/")
        assert response.status_code == status, role
        if status == 200:
            html = response.content.decode()
            assert "Who is this export for, and why?" in html
            assert 'href="/measures/exports/"' in html  # in the navigation


def test_the_command_writes_the_files_and_logs_the_disclosure(loaded: None, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "export-analytics",
        "--from=2025-01-01",
        "--to=2025-12-31",
        "--format=parquet",
        "--recipient=Home Office data return",
        f"--out={tmp_path}",
        stdout=out,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{name}.parquet" for name in FILES)
    assert pq.read_table(tmp_path / "cases.parquet").num_rows > 0
    event = AuditEvent.objects.get(action=AuditAction.DISCLOSURE)
    assert event.actor is None
    assert event.recipient == "Home Office data return"
    assert event.details["via"] == "command line"
    with pytest.raises(CommandError, match="recipient"):
        call_command("export-analytics", "--from=2025-01-01", "--to=2025-12-31", "--recipient= ", f"--out={tmp_path}")


def test_a_restricted_case_is_left_out_of_every_file(client: Client, loaded: None, analyst: User) -> None:
    outcome = Outcome.objects.filter(decided_on__year=2025, case__recorded_at__year=2025).select_related("case").first()
    assert outcome is not None
    key = case_key(outcome.case_id)
    assert key in download(client, analyst, YEAR)["cases.csv"].decode()
    Case.objects.filter(pk=outcome.case_id).update(restricted=True)
    files = download(client, analyst, YEAR)
    for name, content in files.items():
        assert key not in content.decode(), name
