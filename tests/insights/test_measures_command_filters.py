"""`bluestone measures --relationship/--age-band` gives the Measures page's figures for the same filters."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from bluestone.accounts.models import Role
from bluestone.cases.loading import extract_load
from bluestone.measures.disclosure import SMALL, SUPPRESSED
from tests.factories import UserFactory
from tests.insights.test_measures_command import run_measures

START, END = "2025-01-01", "2025-12-31"


@pytest.fixture
def loaded(db: None, force_dir: Path) -> Path:
    extract_load(directory=force_dir)
    return force_dir


def _busiest_relationship(force_dir: Path) -> str:
    involvements = pq.read_table(force_dir / "involvements.parquet")
    suspects = involvements.filter(pc.equal(involvements.column("role"), "suspect"))
    values = [v for v in suspects.column("relationship_to_victim").to_pylist() if v]
    return max(sorted(set(values)), key=values.count)


def _page_download(client: Client, **filters: str) -> list[list[str]]:
    client.force_login(UserFactory.create(role=Role.ANALYST, team=None))
    response = client.post(
        "/measures/download/", {"start": START, "end": END, **filters, "recipient": "Performance board"}
    )
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def _assert_page_shows_the_command_figures(page: list[list[str]], command: list[list[str]]) -> None:
    """Row for row, the page's download is the command's output with counts of 1 to 4 hidden (and
    the value of their row)."""
    assert [row[:2] for row in page] == [row[:2] for row in command]
    for shown, full in zip(page[1:], command[1:], strict=True):
        small = [cell for cell in full[2:4] if cell and 0 < float(cell) < SMALL]
        for shown_count, count in zip(shown[2:4], full[2:4], strict=True):
            assert shown_count == (SUPPRESSED if count and 0 < float(count) < SMALL else count), full
        assert shown[4] == ("" if small else full[4]), full
    assert any(row[4] for row in page[1:])  # figures large enough to show are compared too


def _recorded(rows: list[list[str]]) -> int:
    return int(next(row[2] for row in rows if row[:2] == ["recorded", ""]))


def _everyone() -> list[list[str]]:
    return list(csv.reader(io.StringIO(run_measures("--from", START, "--to", END))))


def test_the_relationship_filter_gives_the_pages_figures(client: Client, loaded: Path) -> None:
    relationship = _busiest_relationship(loaded)
    command = list(csv.reader(io.StringIO(run_measures("--from", START, "--to", END, "--relationship", relationship))))
    assert 0 < _recorded(command) < _recorded(_everyone())  # a real narrowing
    _assert_page_shows_the_command_figures(_page_download(client, relationship=relationship), command)


@pytest.mark.parametrize("band", ["25_34", "not_known"])
def test_the_age_band_filter_with_a_relationship_gives_the_pages_figures(
    client: Client, loaded: Path, band: str
) -> None:
    relationship = _busiest_relationship(loaded)
    args = ("--from", START, "--to", END, "--age-band", band)
    alone = list(csv.reader(io.StringIO(run_measures(*args))))
    assert 0 < _recorded(alone) < _recorded(_everyone())
    _assert_page_shows_the_command_figures(_page_download(client, victim_age_band=band), alone)
    both = list(csv.reader(io.StringIO(run_measures(*args, "--relationship", relationship))))
    assert _recorded(both) < _recorded(alone)
    page = _page_download(client, victim_age_band=band, relationship=relationship)
    _assert_page_shows_the_command_figures(page, both)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--relationship", "cousin"),
            "--relationship must be one of partner, ex_partner, family, acquaintance, online_contact, "
            "position_of_trust, stranger, not_known, but got 'cousin'.",
        ),
        (
            ("--age-band", "12_99"),
            "--age-band must be one of under_13, 13_15, 16_17, 18_24, 25_34, 35_44, 45_54, 55_64, 65_and_over, "
            "not_known, but got '12_99'.",
        ),
    ],
)
def test_a_filter_not_on_the_page_is_refused_with_the_allowed_values(
    db: None, args: tuple[str, ...], message: str
) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("measures", "--from", START, "--to", END, *args, stdout=out)
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)
    assert out.getvalue() == ""
