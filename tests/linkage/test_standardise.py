from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from importlib import resources

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bluestone.linkage import standardise


def one(column: str, values: Sequence[object]) -> list[object]:
    table, _ = standardise(pa.table({"record_id": [str(i) for i in range(len(values))], column: values}))
    return table.column(
        {"date_of_birth": "dob", "first_name": "first_name", "postcode": "postcode", "phone": "phone"}.get(
            column, column
        )
    ).to_pylist()


def test_names_are_lowered_stripped_of_accents_and_punctuation() -> None:
    assert one("first_name", ["  José ", "O'Neil", "Smith-Jones", "ANNE  MARIE", "..."]) == [
        "jose",
        "oneil",
        "smith jones",
        "anne marie",
        None,
    ]


def test_nicknames_map_to_formal_names_but_the_written_name_is_kept() -> None:
    table, _ = standardise(
        pa.table({"record_id": ["1", "2", "3", "4"], "first_name": ["Bob", "Robert", "Xyzzy", "Gaz"]})
    )
    assert table.column("first_name").to_pylist() == ["bob", "robert", "xyzzy", "gaz"]
    # "gaz" is one of this package's own additions to the nicknames package's list.
    assert table.column("first_name_formal").to_pylist() == ["robert", "robert", "xyzzy", "gary"]
    related = table.column("first_name_related").to_pylist()
    assert "|robert|" in related[0]
    assert related[2] == "|xyzzy|"


def test_nicknames_come_from_the_nicknames_package() -> None:
    # "nico" for Nicholas is in the nicknames package's list and not in this package's additions.
    additions = (resources.files("bluestone.linkage") / "data" / "nicknames.csv").read_text(encoding="utf-8")
    assert ",nico\n" not in additions
    table, _ = standardise(pa.table({"record_id": ["1"], "first_name": ["Nico"]}))
    assert "|nicholas|" in table.column("first_name_related").to_pylist()[0]


def test_dates_of_birth_parse_iso_and_day_first_with_a_transposed_variant() -> None:
    table, issues = standardise(
        pa.table(
            {
                "record_id": ["1", "2", "3", "4"],
                "date_of_birth": ["1980-03-04", "04/03/1980", "31/02/19x9", "1980-07-07"],
            }
        )
    )
    assert table.column("dob").to_pylist() == ["1980-03-04", "1980-03-04", None, "1980-07-07"]
    assert table.column("dob_transposed").to_pylist() == ["1980-04-03", "1980-04-03", None, None]
    assert table.column("dob_year_month").to_pylist()[0] == "1980-03"
    assert [(c.column, c.count, c.example_rows, c.problem) for c in issues.columns] == [
        ("date_of_birth", 1, (3,), "not a date in a format Bluestone reads")
    ]


def test_native_date_columns_are_accepted() -> None:
    table, issues = standardise(pa.table({"record_id": ["1"], "date_of_birth": pa.array([date(1990, 12, 1)])}))
    assert table.column("dob").to_pylist() == ["1990-12-01"]
    assert not issues


def test_postcodes_lose_spaces_and_keep_their_outward_code() -> None:
    table, issues = standardise(pa.table({"record_id": ["1", "2", "3"], "postcode": ["sw1a 1aa", " M1 1AE", " "]}))
    assert table.column("postcode").to_pylist() == ["SW1A1AA", "M11AE", None]
    assert table.column("postcode_outward").to_pylist() == ["SW1A", "M1", None]
    assert not issues


def test_postcodes_that_are_not_uk_ones_are_kept_as_normalised_tokens() -> None:
    # An Australian, a French and an Irish (Eircode) postcode: kept whole, each its own outward code.
    table, issues = standardise(pa.table({"record_id": ["1", "2", "3"], "postcode": ["4223", "75 001", "d02 x285"]}))
    assert table.column("postcode").to_pylist() == ["4223", "75001", "D02X285"]
    assert table.column("postcode_outward").to_pylist() == ["4223", "75001", "D02X285"]
    assert not issues


@pytest.mark.parametrize(
    "written",
    [
        "1985-04-05",
        "05/04/1985",
        "5/4/1985",
        "05-04-1985",
        "05.04.1985",
        "19850405",
        "05-Apr-1985",
        "05-APR-1985",
        "5 Apr 1985",
        "5 April 1985",
        "5th April, 1985",
        "April 5 1985",
        "05/04/85",
        "1985-04-05 00:00:00",
    ],
)
def test_common_date_formats_parse_day_first(written: str) -> None:
    table, issues = standardise(pa.table({"record_id": ["1"], "date_of_birth": [written]}))
    assert table.column("dob").to_pylist() == ["1985-04-05"]
    assert not issues


def test_two_digit_years_pivot() -> None:
    table, _ = standardise(pa.table({"record_id": ["1", "2"], "date_of_birth": ["05/04/25", "05/04/26"]}))
    assert table.column("dob").to_pylist() == ["2025-04-05", "1926-04-05"]


def test_a_month_first_date_is_reported_and_the_ambiguous_ones_beside_it_are_not_guessed() -> None:
    table, issues = standardise(
        pa.table({"record_id": ["1", "2", "3"], "date_of_birth": ["04/25/1980", "05/04/1985", "25/04/1980"]})
    )
    # 04/25/1980 can only be month first; with it in the column, 05/04/1985 could be either: neither is used.
    assert table.column("dob").to_pylist() == [None, None, "1980-04-25"]
    problems = {c.problem: (c.example_rows, c.example_values) for c in issues.columns}
    assert problems["written month first (US style), which Bluestone does not guess"] == ((1,), ("04/25/1980",))
    assert any("could be day first or month first" in p for p in problems)


def test_impossible_and_out_of_range_dates_are_reported_with_their_values() -> None:
    _, issues = standardise(
        pa.table({"record_id": ["1", "2", "3"], "date_of_birth": ["31/02/2026", "1899-12-31", "yesterday"]})
    )
    found = {(c.problem, c.example_rows, c.example_values) for c in issues.columns}
    assert ("not a real date", (1,), ("31/02/2026",)) in found
    assert ("a year before 1900 or after 2100", (2,), ("1899-12-31",)) in found
    assert ("not a date in a format Bluestone reads", (3,), ("yesterday",)) in found


def test_generation_suffixes_leave_the_name_and_are_kept_apart() -> None:
    table, _ = standardise(
        pa.table({"record_id": ["1", "2", "3", "4"], "last_name": ["Smith Jr", "SMITH SNR", "Smith", "Junior"]})
    )
    assert table.column("last_name").to_pylist() == ["smith", "smith", "smith", "junior"]
    assert table.column("name_suffix").to_pylist() == ["jr", "sr", None, None]


def test_initials_are_marked_as_initials() -> None:
    table, _ = standardise(pa.table({"record_id": ["1", "2", "3"], "first_name": ["J.", "J R", "Jo"]}))
    assert table.column("first_is_initial").to_pylist() == ["y", "y", None]
    assert table.column("first_initial").to_pylist() == ["j", "j", "j"]


def test_phones_become_e164() -> None:
    assert one(
        "phone", ["07700 900123", "+44 7700-900123", "0044 7700 900123", "447700900123", "+33 1 23 45 67 89", "12"]
    ) == [
        "+447700900123",
        "+447700900123",
        "+447700900123",
        "+447700900123",
        "+33123456789",
        None,
    ]


def test_emails_are_lowered_and_identifiers_normalised() -> None:
    table, _ = standardise(
        pa.table(
            {"record_id": ["1", "2"], "email": [" Jo.Bloggs@Example.COM ", "nope"], "identifier": ["19/ 123456x", None]}
        )
    )
    assert table.column("email").to_pylist() == ["jo.bloggs@example.com", None]
    assert table.column("identifier").to_pylist() == ["2019/0123456X", None]


def test_pandas_input_and_integer_ids_are_accepted() -> None:
    table, _ = standardise(pd.DataFrame({"record_id": [1, 2], "last_name": ["Smith", None]}))
    assert table.column("unique_id").to_pylist() == ["1", "2"]


def test_missing_record_id_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no 'record_id' column"):
        standardise(pa.table({"id": ["1"]}))


def test_duplicate_ids_name_the_ids_and_rows() -> None:
    with pytest.raises(ValueError, match=r"'a' on rows 1, 3"):
        standardise(pa.table({"record_id": ["a", "b", "a"]}))


def test_not_a_table_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"pyarrow\.Table or a pandas\.DataFrame"):
        standardise([{"record_id": "1"}])


# Hypothesis draws a batch per example: each standardise() call is one DuckDB query over the batch.
uk_mobile = st.text(alphabet="0123456789", min_size=9, max_size=9).map(lambda digits: "7" + digits)
phone_style = st.sampled_from(["0{}", "+44{}", "0044{}", "+44 {} ", "0{}-", "(0{})", "44{}"])


def spaced(text: str, where: int) -> str:
    return text[:where] + " " + text[where:] if where else text


@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(uk_mobile, phone_style, st.integers(0, 6)), min_size=1, max_size=30))
def test_any_way_of_writing_a_uk_mobile_gives_one_e164_number(numbers: list[tuple[str, str, int]]) -> None:
    written = [spaced(style.format(number), where) for number, style, where in numbers]
    assert one("phone", written) == [f"+44{number}" for number, _, _ in numbers]


postcodes = st.tuples(
    st.sampled_from(["M", "B", "SW", "EC", "LS", "CF", "WC"]),
    st.integers(1, 9),
    st.integers(0, 9),
    st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2),
    st.booleans(),
    st.sampled_from(["", " ", "  "]),
)


@settings(max_examples=12, deadline=None)
@given(st.lists(postcodes, min_size=1, max_size=30))
def test_postcodes_standardise_whatever_the_case_and_spacing(codes: list[tuple[str, int, int, str, bool, str]]) -> None:
    written = [f"{a}{d}{space}{s}{u}" for a, d, s, u, _, space in codes]
    written = [w.lower() if lower else w for w, (_, _, _, _, lower, _) in zip(written, codes, strict=True)]
    table, issues = standardise(pa.table({"record_id": [str(i) for i in range(len(codes))], "postcode": written}))
    assert table.column("postcode").to_pylist() == [f"{a}{d}{s}{u}" for a, d, s, u, _, _ in codes]
    assert table.column("postcode_outward").to_pylist() == [f"{a}{d}" for a, d, _, _, _, _ in codes]
    assert not issues


date_styles = st.sampled_from(["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d-%b-%Y", "%Y%m%d"])


@settings(max_examples=12, deadline=None)
@given(
    st.lists(
        st.tuples(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)), date_styles),
        min_size=1,
        max_size=30,
    )
)
def test_dates_round_trip_through_any_supported_format(days: list[tuple[date, str]]) -> None:
    ids = [str(i) for i in range(len(days))]
    table, issues = standardise(pa.table({"record_id": ids, "date_of_birth": [d.strftime(style) for d, style in days]}))
    assert table.column("dob").to_pylist() == [d.isoformat() for d, _ in days]
    assert table.column("dob_transposed").to_pylist() == [
        date(d.year, d.day, d.month).isoformat() if d.day <= 12 and d.day != d.month else None for d, _ in days
    ]
    assert not issues


@settings(max_examples=12, deadline=None)
@given(st.lists(st.text(alphabet="abcxyz/-. 0123456789", max_size=12), min_size=1, max_size=30))
@example(texts=["0", "00000000"])  # two kinds of problem in one column
def test_garbage_dates_are_missing_and_counted_never_an_error(texts: list[str]) -> None:
    table, issues = standardise(pa.table({"record_id": [str(i) for i in range(len(texts))], "date_of_birth": texts}))
    unparsed = [
        i + 1
        for i, (text, value) in enumerate(zip(texts, table.column("dob").to_pylist(), strict=True))
        if value is None and text.strip()
    ]
    assert issues.total == len(unparsed)
    # One entry per kind of problem ("not a date in a format Bluestone reads", "not a real date"), each
    # naming its first rows: together they count every unparsed row and name only unparsed rows.
    assert sum(column.count for column in issues.columns) == len(unparsed)
    named = sorted(row for column in issues.columns for row in column.example_rows)
    assert set(named) <= set(unparsed)
    if unparsed:
        assert named[0] == unparsed[0]
        assert all(len(column.example_rows) == min(column.count, 5) for column in issues.columns)
