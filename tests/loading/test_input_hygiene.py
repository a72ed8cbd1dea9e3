"""`bluestone load` refuses control characters, text-direction controls, values too long for their column
and unbelievable dates of birth, naming file, row and column, and writes nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from bluestone.cases.loading import ExtractError, extract_load
from bluestone.core import clock
from tests.loading.conftest import ExtractFactory
from tests.loading.test_loading import assert_nothing_written

pytestmark = pytest.mark.django_db

Rows = dict[str, list[dict[str, Any]]]


def _set(table: str, row: int, **values: Any) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        rows[table][row].update(values)

    return change


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        pytest.param(
            _set("persons", 1, first_name="Jo\x00hn"),
            "persons.parquet, row 2, column 'first_name': holds a control character (such as NUL)",
            id="nul-in-name",
        ),
        pytest.param(
            _set("persons", 0, last_name="Smith\x1b[2J"),
            "persons.parquet, row 1, column 'last_name': holds a control character",
            id="escape-in-name",
        ),
        pytest.param(
            _set("events", 0, summary="Called the victim\nno answer"),
            "events.parquet, row 1, column 'summary': holds a control character",
            id="line-break-in-one-line-text",
        ),
        pytest.param(
            _set("persons", 0, last_name="Smith\u202eevil"),
            "persons.parquet, row 1, column 'last_name': holds a text-direction control",
            id="bidi-override",
        ),
        pytest.param(
            _set("persons", 2, first_name="A" * 5000),
            "persons.parquet, row 3, column 'first_name': longer than 100 characters",
            id="5000-character-name",
        ),
        pytest.param(
            _set("cases", 0, location_postcode="LS1 1AA LS2 2BB"),
            "cases.parquet, row 1, column 'location_postcode': longer than 10 characters",
            id="long-postcode",
        ),
        pytest.param(
            _set("persons", 0, date_of_birth=dt.date(1899, 12, 31)),
            "persons.parquet, row 1, column 'date_of_birth': before 1 January 1900",
            id="born-before-1900",
        ),
        pytest.param(
            _set("persons", 0, date_of_birth=dt.date(2999, 1, 1)),
            "persons.parquet, row 1, column 'date_of_birth': in the future",
            id="born-in-the-future",
        ),
    ],
)
def test_bad_text_and_dates_are_refused_and_nothing_is_written(
    make_extract: ExtractFactory, spoil: Any, expected: str
) -> None:
    with pytest.raises(ExtractError) as error:
        extract_load(directory=make_extract(spoil))

    assert expected in str(error.value)
    assert_nothing_written()


def test_multi_line_text_keeps_its_line_breaks(make_extract: ExtractFactory) -> None:
    from bluestone.cases.models import Outcome  # noqa: PLC0415

    directory = make_extract(_set("outcomes", 0, rationale="First line.\r\nSecond line,\tindented."))
    extract_load(directory=directory)
    assert Outcome.objects.get().rationale == "First line.\r\nSecond line,\tindented."


def test_the_longest_value_a_column_holds_loads(make_extract: ExtractFactory) -> None:
    from bluestone.cases.models import PersonRecord  # noqa: PLC0415

    extract_load(directory=make_extract(_set("persons", 0, first_name="A" * 100, date_of_birth=dt.date(1900, 1, 1))))
    assert PersonRecord.objects.filter(first_name="A" * 100, date_of_birth=dt.date(1900, 1, 1)).count() == 1


def test_born_today_is_accepted(make_extract: ExtractFactory) -> None:
    extract_load(directory=make_extract(_set("persons", 0, date_of_birth=clock.today())))


def test_the_command_names_every_problem_and_writes_nothing(make_extract: ExtractFactory) -> None:
    def spoil(rows: Rows) -> None:
        rows["persons"][0]["first_name"] = "\x00"
        rows["persons"][1]["last_name"] = "B" * 101

    with pytest.raises(CommandError) as error:
        call_command("load", str(make_extract(spoil)))
    message = str(error.value)
    assert "persons.parquet, row 1, column 'first_name'" in message
    assert "persons.parquet, row 2, column 'last_name': longer than 100 characters" in message
    assert_nothing_written()
