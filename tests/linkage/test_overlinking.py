"""No over-linking: the cases that put an innocent person into another's identity.

Each test adds a handful of crafted people to an independent background population (`ukpeople`, which
the model trains on) and checks how their records come out.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from bluestone.linkage import LinkageResult, link_records
from bluestone.linkage.pipeline import HELD_GENERATION, HELD_HOUSEHOLD
from tests.linkage.conftest import SMALL_TRAINING
from tests.linkage.ukpeople import uk_people

FIELDS = ("first_name", "middle_names", "last_name", "date_of_birth", "gender", "address", "postcode", "phone")


def person(  # noqa: PLR0917 (a record reads best written out in order)
    record_id: str, first: str, last: str, dob: str | None, address: str, postcode: str, **more: str
) -> dict:
    row = dict.fromkeys(("middle_names", "phone", "email", "identifier"))
    row.update(
        record_id=record_id,
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        gender="M",
        address=address,
        postcode=postcode,
    )
    row.update(more)
    return row


def crafted() -> tuple[list[dict], dict[str, str]]:
    """The crafted records and who each truly is."""
    rows: list[dict] = []
    truth: dict[str, str] = {}

    def add(who: str, row: dict) -> None:
        rows.append(row)
        truth[row["record_id"]] = who

    # Twenty different men called Mohammed Khan, two records each; one of the first's is keyed surname first.
    for n in range(20):
        dob = f"19{60 + n}-0{1 + n % 9}-1{n % 10}"
        home = (f"{n + 1} Mill Lane", f"B{n + 1} 4QT")
        add(f"khan{n}", person(f"K{n}a", "Mohammed", "Khan", dob, *home))
        add(f"khan{n}", person(f"K{n}b", "Mohammed", "Khan", dob, *home))
    add("khan0", person("K0swap", "KHAN", "mohammed", "1960-01-10", "1 Mill Lane", "B1 4QT"))
    # Twins: same date of birth, address and surname, different first names; three records each.
    for name in ("Aaron", "Ryan"):
        for copy in range(3):
            add(f"twin-{name}", person(f"T{name}{copy}", name, "Okonkwo", "1994-07-21", "12 Ash Road", "LS6 2AB"))
    # Father and son: same name and address, a generation apart, "Snr" and "Jr" on some records.
    add("father", person("F1", "Derek", "Holt", "1961-03-05", "7 Park View", "NE3 1XY"))
    add("father", person("F2", "Derek", "Holt Snr", "1961-03-05", "7 Park View", "NE3 1XY"))
    add("son", person("S1", "Derek", "Holt", "1989-11-30", "7 Park View", "NE3 1XY"))
    add("son", person("S2", "Derek", "Holt Jr", "1989-11-30", "7 Park View", "NE3 1XY"))
    # A record of the father without a date of birth: it matches father and son alike.
    add("father", person("F3", "Derek", "Holt", None, "7 Park View", "NE3 1XY"))
    return rows, truth


@pytest.fixture(scope="module")
def linked() -> tuple[LinkageResult, dict[str, str]]:
    background, background_truth = uk_people(1_500, seed=31)
    rows, truth = crafted()
    records = pa.concat_tables([background, pa.Table.from_pylist(rows, schema=background.schema)])
    truth.update(
        zip(
            background_truth.column("record_id").to_pylist(),
            background_truth.column("true_person_id").to_pylist(),
            strict=True,
        )
    )
    return link_records(records, config=SMALL_TRAINING), truth


def identity_of(result: LinkageResult) -> dict[str, str]:
    ids = result.identities
    return dict(zip(ids.column("record_id").to_pylist(), ids.column("identity_id").to_pylist(), strict=True))


def test_no_identity_mixes_different_people(linked: tuple[LinkageResult, dict[str, str]]) -> None:
    result, truth = linked
    people_in: dict[str, set[str]] = {}
    for record, identity in identity_of(result).items():
        people_in.setdefault(identity, set()).add(truth[record])
    crafted_people = {"khan", "twin", "father", "son"}
    mixed = {i: p for i, p in people_in.items() if len(p) > 1 and any(x.startswith(tuple(crafted_people)) for x in p)}
    assert mixed == {}


def test_a_swapped_name_joins_its_own_person_and_no_other_of_the_same_name(
    linked: tuple[LinkageResult, dict[str, str]],
) -> None:
    result, _ = linked
    identity = identity_of(result)
    assert identity["K0swap"] == identity["K0a"] == identity["K0b"]
    khans = {identity[f"K{n}a"] for n in range(20)}
    assert len(khans) == 20


def test_a_swap_counts_no_more_than_both_names_agreeing(linked: tuple[LinkageResult, dict[str, str]]) -> None:
    result, _ = linked
    rows = result.predictions.to_pylist()
    swap = next(r for r in rows if {r["record_id_l"], r["record_id_r"]} == {"K0swap", "K0a"})
    exact = next(r for r in rows if {r["record_id_l"], r["record_id_r"]} == {"K0a", "K0b"})
    assert swap["level_first_name"] == "First and last names swapped"
    assert swap["mw_last_name"] == 0  # counted once, under the first name
    assert swap["mw_first_name"] <= exact["mw_first_name"] + exact["mw_last_name"] + 1e-9


def test_twins_are_two_people_and_their_pairs_are_held_with_the_reason(
    linked: tuple[LinkageResult, dict[str, str]],
) -> None:
    result, _ = linked
    identity = identity_of(result)
    assert identity["TAaron0"] == identity["TAaron1"] == identity["TAaron2"]
    assert identity["TRyan0"] == identity["TRyan1"] == identity["TRyan2"]
    assert identity["TAaron0"] != identity["TRyan0"]
    held = [r for r in result.predictions.to_pylist() if {r["record_id_l"], r["record_id_r"]} == {"TAaron0", "TRyan0"}]
    assert held
    assert held[0]["held_reason"] == HELD_HOUSEHOLD


def test_father_and_son_are_two_people_and_the_undated_record_is_held_for_review(
    linked: tuple[LinkageResult, dict[str, str]],
) -> None:
    result, _ = linked
    identity = identity_of(result)
    assert identity["F1"] == identity["F2"]
    assert identity["S1"] == identity["S2"]
    assert identity["F1"] != identity["S1"]
    reasons = {
        r["record_id"]: r["review"] for r in result.identities.to_pylist() if r["record_id"] in {"F1", "S1", "F3"}
    }
    assert reasons["F3"] is not None
    assert "father and son" in reasons["F3"]
    assert identity["F3"] == "F3"  # linked to neither
    pairs = {frozenset((r["record_id_l"], r["record_id_r"])): r["held_reason"] for r in result.predictions.to_pylist()}
    assert pairs[frozenset(("F1", "S1"))] == HELD_GENERATION
    assert pairs[frozenset(("F2", "S2"))] == HELD_GENERATION  # Snr and Jr
