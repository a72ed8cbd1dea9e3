"""PostgreSQL: the load copies each table into a staging table and upserts from it, with the same result."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext

from bluestone.accounts.models import Officer, Team
from bluestone.cases import loading
from bluestone.cases.loading import ExtractError, extract_load
from bluestone.cases.models import (
    Case,
    CaseEvent,
    Involvement,
    Outcome,
    PersonAddress,
    PersonEmail,
    PersonIdentifier,
    PersonPhone,
    PersonRecord,
)
from bluestone.evidence.models import DigitalRequest, Exhibit
from bluestone.investigation.models import Bail, InvestigationPlan, LineOfEnquiry
from bluestone.victims.models import Feedback, Obligation, VictimContact, VictimProfile
from tests.loading.conftest import ExtractFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LOADED: tuple[type[models.Model], ...] = (
    Team,
    Officer,
    Case,
    PersonRecord,
    PersonAddress,
    PersonPhone,
    PersonEmail,
    PersonIdentifier,
    Involvement,
    Outcome,
    CaseEvent,
    VictimProfile,
    VictimContact,
    Obligation,
    InvestigationPlan,
    LineOfEnquiry,
    Exhibit,
    Feedback,
    Bail,
    DigitalRequest,
)


SERIAL = (Team, Officer, PersonAddress, PersonPhone, PersonEmail, PersonIdentifier, Involvement, Outcome, CaseEvent)


def every_row() -> dict[str, list[dict[str, Any]]]:
    """Every column of every loaded row; serial ids (which a rolled-back load still uses up) by the parent's key."""
    teams = dict(Team.objects.values_list("id", "code"))
    officers = dict(Officer.objects.values_list("id", "collar_number"))
    involvements = dict(Involvement.objects.values_list("id", "source_id"))
    rows: dict[str, list[dict[str, Any]]] = {}
    for model in LOADED:
        values = list(model._default_manager.values())
        for row in values:
            if model in SERIAL:
                row.pop("id")
            if "team_id" in row:
                row["team_id"] = teams[row["team_id"]]
            if "officer_id" in row:
                row["officer_id"] = officers.get(row["officer_id"])
            for column in ("involvement_id", "suspect_id"):
                if column in row:
                    row[column] = involvements.get(row[column])
        rows[model.__name__] = sorted(values, key=repr)
    return rows


def test_copy_gives_the_same_rows_as_batched_inserts(make_extract: ExtractFactory) -> None:
    directory = make_extract()
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        with transaction.atomic():
            extract_load(directory=directory, method="insert")
            inserted = every_row()
            transaction.set_rollback(True)
        assert Case.objects.count() == 0

        extract_load(directory=directory, method="copy")

    copied = every_row()
    assert copied == inserted
    assert len(copied["Case"]) == 3
    assert (len(copied["VictimProfile"]), len(copied["VictimContact"]), len(copied["Obligation"])) == (2, 2, 3)
    assert (len(copied["InvestigationPlan"]), len(copied["LineOfEnquiry"]), len(copied["Exhibit"])) == (1, 3, 1)
    assert (len(copied["Feedback"]), len(copied["Bail"]), len(copied["DigitalRequest"])) == (1, 1, 1)
    assert sorted(len(row["aliases"]) for row in copied["PersonRecord"]) == [0, 0, 0, 2]
    # The foreign keys resolve to the same parents either way.
    involvement = Involvement.objects.get(source_id="I2")
    assert (involvement.case.crime_reference, involvement.person.source_id) == ("BS/25/000001", "P2")
    assert Officer.objects.get(collar_number="1001").team.code == "T1"


def test_the_default_on_postgresql_is_copy_through_staging_tables(make_extract: ExtractFactory) -> None:
    with CaptureQueriesContext(connection) as queries:
        extract_load(directory=make_extract())

    statements = [q["sql"] for q in queries.captured_queries]
    for model in (Team, Officer, Case, PersonRecord, Involvement, Outcome, CaseEvent):
        table = model._meta.db_table
        assert any(s.startswith(f'CREATE TEMPORARY TABLE "load_{table}"') for s in statements), table
        assert any(s.startswith(f'INSERT INTO "{table}"') and f'FROM "load_{table}"' in s for s in statements), table
        # No row reaches the real table through a VALUES list.
        assert not any(s.startswith(f'INSERT INTO "{table}"') and "VALUES" in s for s in statements), table
    # The staging tables are gone once the load has committed.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'load\\_%%' AND relpersistence = 't'")
        assert cursor.fetchone() == (0,)
    assert Case.objects.count() == 3


def test_a_reload_by_copy_updates_rows_in_place(make_extract: ExtractFactory) -> None:
    extract_load(directory=make_extract())
    ids = sorted(Case.objects.values_list("id", flat=True))

    def change(rows: dict) -> None:
        rows["cases"][2]["status"] = "with_cps"
        rows["persons"][0]["first_name"] = "Joanna"

    extract_load(directory=make_extract(change, name="second"))

    assert sorted(Case.objects.values_list("id", flat=True)) == ids
    assert Case.objects.get(crime_reference="BS/25/000003").status == "with_cps"
    assert PersonRecord.objects.get(source_id="P1").first_name == "Joanna"
    assert PersonRecord.objects.count() == 4


def test_a_bad_value_in_the_last_table_names_file_row_and_column_and_copies_nothing(
    make_extract: ExtractFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied: list[str] = []
    real_write = loading.postgres.write

    def spy(*args: Any, **kwargs: Any) -> int:
        copied.append(kwargs["label"])
        return real_write(*args, **kwargs)

    monkeypatch.setattr(loading.postgres, "write", spy)

    def spoil(rows: dict) -> None:
        rows["events"][2]["kind"] = "teleported"

    with pytest.raises(ExtractError) as error:
        extract_load(directory=make_extract(spoil))

    assert "events.parquet, row 3, column 'kind': not an event kind" in str(error.value)
    assert copied == []
    assert all(model._default_manager.count() == 0 for model in LOADED)

    extract_load(directory=make_extract(name="good"))
    assert copied[:3] == ["teams", "officers", "cases"]
    assert CaseEvent.objects.count() == 3
