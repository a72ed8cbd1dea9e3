"""Person records of the same true person differ as real records do, and every compared field varies."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from importlib import resources
from itertools import combinations
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

COMPARED = (
    "first_name",
    "middle_names",
    "last_name",
    "date_of_birth",
    "gender",
    "address",
    "postcode",
    "phone",
    "email",
    "pnc_id",
)


@pytest.fixture(scope="module")
def pairs(calibration_force: dict[str, pa.Table]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every pair of records of the same named true person (within a cap, for speed)."""
    persons = {p["person_record_id"]: p for p in calibration_force["persons"].to_pylist()}
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in calibration_force["ground_truth"].to_pylist():
        person = persons[row["person_record_id"]]
        if person["first_name"] or person["last_name"]:
            groups[row["true_person_id"]].append(person)
    return [pair for group in groups.values() if len(group) > 1 for pair in list(combinations(group, 2))[:6]]


def test_every_compared_field_varies_with_some_values_missing(small_force: dict[str, pa.Table]) -> None:
    persons = small_force["persons"]
    for column in COMPARED:
        values = persons.column(column)
        assert pc.count_distinct(values.drop_null()).as_py() > 1, column
        assert values.null_count > 0, column


def test_there_are_many_repeat_pairs(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    assert len(pairs) > 2_000


def _count(pairs: list[tuple[dict[str, Any], dict[str, Any]]], differs: Any) -> int:
    return sum(1 for a, b in pairs if differs(a, b))


def test_names_are_swapped_mistyped_and_nicknamed_on_some_pairs(
    pairs: list[tuple[dict[str, Any], dict[str, Any]]],
) -> None:
    swapped = _count(
        pairs, lambda a, b: a["first_name"] and a["first_name"] == b["last_name"] and a["last_name"] == b["first_name"]
    )
    assert swapped > 0
    nicknames = _nickname_pairs()
    nicknamed = _count(pairs, lambda a, b: (a["first_name"], b["first_name"]) in nicknames)
    assert nicknamed > 0
    # One keying error: same length give or take one, same first letter, different spelling.
    typo = _count(
        pairs,
        lambda a, b: (
            a["last_name"]
            and b["last_name"]
            and a["last_name"] != b["last_name"]
            and a["last_name"][0] == b["last_name"][0]
            and abs(len(a["last_name"]) - len(b["last_name"])) <= 1
        ),
    )
    assert typo > 0
    middle = _count(pairs, lambda a, b: bool(a["middle_names"]) != bool(b["middle_names"]))
    assert middle > 0


def _nickname_pairs() -> set[tuple[str, str]]:
    text = (resources.files("bluestone.synth") / "data" / "nicknames.csv").read_text(encoding="utf-8")
    found = set()
    for row in csv.DictReader(text.splitlines()):
        for nickname in row["nicknames"].split(";"):
            found |= {(row["formal_name"], nickname), (nickname, row["formal_name"])}
    return found


def test_dates_of_birth_are_transposed_or_missing_on_some_pairs(
    pairs: list[tuple[dict[str, Any], dict[str, Any]]],
) -> None:
    def transposed(a: dict[str, Any], b: dict[str, Any]) -> bool:
        x, y = a["date_of_birth"], b["date_of_birth"]
        return bool(x and y and x != y and x.year == y.year and x.day == y.month and x.month == y.day)

    assert _count(pairs, transposed) > 0
    assert _count(pairs, lambda a, b: (a["date_of_birth"] is None) != (b["date_of_birth"] is None)) > 0


def test_addresses_phones_and_emails_change_between_records(
    pairs: list[tuple[dict[str, Any], dict[str, Any]]],
) -> None:
    def digits(phone: str) -> str:
        return re.sub(r"\D", "", phone).removeprefix("44").removeprefix("0")

    both = [(a, b) for a, b in pairs if a["postcode"] and b["postcode"]]
    moved = _count(both, lambda a, b: a["postcode"].replace(" ", "").upper() != b["postcode"].replace(" ", "").upper())
    assert 0.1 < moved / len(both) < 0.6
    phones = [(a, b) for a, b in pairs if a["phone"] and b["phone"]]
    reformatted = _count(phones, lambda a, b: a["phone"] != b["phone"] and digits(a["phone"]) == digits(b["phone"]))
    changed = _count(phones, lambda a, b: digits(a["phone"]) != digits(b["phone"]))
    assert reformatted > 0
    assert changed > 0
    emails = [(a, b) for a, b in pairs if a["email"] and b["email"]]
    assert _count(emails, lambda a, b: a["email"].lower() != b["email"].lower()) > 0


def test_pnc_ids_and_aliases_appear_on_suspects(small_force: dict[str, pa.Table]) -> None:
    pnc = small_force["persons"].column("pnc_id").drop_null().to_pylist()
    assert pnc
    assert all(re.fullmatch(r"(\d{4}/\d{7}|\d{2}/\d{1,7})[A-Z]", value) for value in pnc)
    assert any(re.fullmatch(r"\d{4}/\d{7}[A-Z]", value) for value in pnc)
    assert small_force["persons"].column("aliases").drop_null().to_pylist()


def test_contact_details_are_synthetic(small_force: dict[str, pa.Table]) -> None:
    persons = small_force["persons"]
    for email in persons.column("email").drop_null().to_pylist():
        assert email.lower().rsplit("@", 1)[1] in {"example.com", "example.org", "example.net"}
    for postcode in persons.column("postcode").drop_null().to_pylist():
        assert re.fullmatch(r"QX\d{1,2} ?\d[A-Z]{2}", postcode.upper())
    for phone in persons.column("phone").drop_null().to_pylist():
        assert re.sub(r"\D", "", phone).removeprefix("44").removeprefix("0").startswith("7700")
