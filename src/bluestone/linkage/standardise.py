"""Standardise person records before linkage, in DuckDB SQL (vectorised: millions of rows in seconds).

Every cleaned column is computed by one SQL expression over the whole table, never row by row in Python.
A value that is present but cannot be parsed (a date of birth "31/02/19x9", a postcode "N0T A P0STC0DE")
becomes NULL, so it neither helps nor hurts a match, and is counted in a `ParseIssues` report.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from importlib import resources

import duckdb
import pandas as pd
import pyarrow as pa

INPUT_COLUMNS: tuple[str, ...] = (
    "record_id",
    "first_name",
    "middle_names",
    "last_name",
    "date_of_birth",
    "gender",
    "address",
    "postcode",
    "phone",
    "email",
    "identifier",
)
"""The linkage input contract (ARCHITECTURE.md): every column is optional except `record_id`."""

# Columns whose values are parsed (not just cleaned): a present value that fails to parse is reported.
PARSED_COLUMNS: tuple[str, ...] = ("date_of_birth", "postcode", "phone", "email")

# A UK postcode once spaces are removed: outward code (area, district) then inward code (sector, unit).
_POSTCODE_PATTERN = r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"
_EMAIL_PATTERN = r"^[a-z0-9._%+''-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$"
# Day-first formats as written in England and Wales; ISO first because extracts use it.
_DATE_FORMATS: tuple[str, ...] = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y%m%d", "%d %m %Y")
_MAX_EXAMPLE_ROWS = 5


@dataclass(frozen=True)
class ColumnIssues:
    """Values in one column that were present but could not be parsed, so were treated as missing."""

    column: str
    count: int
    example_rows: tuple[int, ...]
    """1-based positions of the first few offending records in the input (1 = the first record)."""


@dataclass(frozen=True)
class ParseIssues:
    """All unparseable values found while standardising, column by column (empty when all parsed)."""

    columns: tuple[ColumnIssues, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return sum(c.count for c in self.columns)

    def __bool__(self) -> bool:
        return self.total > 0


def to_arrow(records: pa.Table | pd.DataFrame) -> pa.Table:
    """The records as an Arrow table, checking the linkage contract (a unique, non-empty `record_id`).

    Raises:
        ValueError: not a table, no `record_id` column, empty or duplicate record ids.
    """
    table = _as_table(records)
    con = duckdb.connect()
    try:
        _check_ids(con, table)
    finally:
        con.close()
    return table


def _as_table(records: pa.Table | pd.DataFrame) -> pa.Table:
    if isinstance(records, pd.DataFrame):
        table = pa.Table.from_pandas(records, preserve_index=False)
    elif isinstance(records, pa.Table):
        table = records
    else:
        raise ValueError(f"records must be a pyarrow.Table or a pandas.DataFrame, not {type(records).__name__}")
    if "record_id" not in table.column_names:
        raise ValueError(
            "The records have no 'record_id' column; it is required (one unique id per person record). "
            f"Columns found: {', '.join(table.column_names) or 'none'}."
        )
    return table


def _check_ids(con: duckdb.DuckDBPyConnection, table: pa.Table) -> None:
    # Positions come from Arrow, not row_number() OVER (), which a parallel scan need not keep in order.
    positions = pa.array(range(1, table.num_rows + 1), pa.int64())
    con.register("ids", pa.table({"record_id": table.column("record_id"), "position": positions}))
    missing = con.sql(
        "SELECT position FROM ids WHERE NULLIF(trim(CAST(record_id AS VARCHAR)), '') IS NULL ORDER BY position LIMIT 5"
    ).fetchall()
    if missing:
        rows = ", ".join(str(r[0]) for r in missing)
        raise ValueError(f"Column 'record_id' is empty on rows {rows}; every record needs an id.")
    duplicates = con.sql(
        """
        SELECT CAST(record_id AS VARCHAR) AS rid, list(position ORDER BY position)[1:5] AS rows FROM ids
        GROUP BY rid HAVING count(*) > 1 ORDER BY min(position) LIMIT 5
        """
    ).fetchall()
    if duplicates:
        described = "; ".join(f"{rid!r} on rows {', '.join(map(str, rows))}" for rid, rows in duplicates)
        raise ValueError(f"Column 'record_id' has duplicate ids (each record needs its own): {described}.")


def load_nicknames() -> pa.Table:
    """The nickname table (nickname -> formal name), from the synthetic-data package if it ships one.

    The synthetic force (`bluestone.synth`) and linkage then agree on which names are the same name; until
    it ships `data/nicknames.csv`, the copy in this package is used. An ambiguous nickname ("chris",
    "sam") maps to the alphabetically first formal name, so both sides of a pair map the same way.
    """
    text = _nickname_csv_text()
    pairs: dict[str, str] = {}
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    formal_col = next(
        (f for f in (reader.fieldnames or []) if f.strip().lower() in {"formal_name", "formal", "name"}), None
    )
    nick_col = next((f for f in (reader.fieldnames or []) if f.strip().lower() in {"nickname", "nicknames"}), None)
    if formal_col is None or nick_col is None:
        raise ValueError(f"The nickname file needs a formal-name and a nickname column; found {fields}.")
    for row in reader:
        formal = _plain_name(row[formal_col])
        for nickname in row[nick_col].replace("|", ";").split(";"):
            nick = _plain_name(nickname)
            if nick and formal and nick != formal and (nick not in pairs or formal < pairs[nick]):
                pairs[nick] = formal
    return pa.table({"nickname": list(pairs), "formal_name": list(pairs.values())})


def _nickname_csv_text() -> str:
    synth_file = resources.files("bluestone.synth") / "data" / "nicknames.csv"
    if synth_file.is_file():
        return synth_file.read_text(encoding="utf-8")
    return (resources.files("bluestone.linkage") / "data" / "nicknames.csv").read_text(encoding="utf-8")


def _plain_name(value: str) -> str:
    return " ".join(value.strip().lower().split())


def _name_sql(column: str) -> str:
    # Accents stripped, apostrophes dropped (O'Brien -> obrien), other punctuation and hyphens to spaces
    # (Smith-Jones -> smith jones), whitespace collapsed; an empty result is missing.
    return (
        "NULLIF(trim(regexp_replace(regexp_replace(regexp_replace("
        f"strip_accents(lower(CAST({column} AS VARCHAR))), '[''`\u2019]', '', 'g'), '[^a-z]+', ' ', 'g'), "
        "' +', ' ', 'g')), '')"
    )


def _date_sql(column: str) -> str:
    text = f"NULLIF(trim(CAST({column} AS VARCHAR)), '')"
    # Timestamps arrive as "YYYY-MM-DD HH:MM:SS": keep the date part.
    text = f"regexp_replace({text}, '^(\\d{{4}}-\\d{{2}}-\\d{{2}})[ T].*$', '\\1')"
    parsed = ", ".join(f"try_strptime({text}, '{fmt}')" for fmt in _DATE_FORMATS)
    return f"CAST(coalesce({parsed}) AS DATE)"


def _phone_digits_sql(column: str) -> str:
    # Keep digits and a leading plus; the prefixes are then resolved by `_PHONE_E164`.
    return f"NULLIF(regexp_replace(trim(CAST({column} AS VARCHAR)), '[^0-9+]', '', 'g'), '')"


# 0044 / 44 / 0 prefixes become +44 (E.164); other international numbers keep their country code.
_PHONE_E164 = """
    CASE
        WHEN regexp_full_match(p, '\\+44[1-9][0-9]{8,9}') THEN p
        WHEN regexp_full_match(p, '0044[1-9][0-9]{8,9}') THEN '+44' || substr(p, 5)
        WHEN regexp_full_match(p, '44[1-9][0-9]{9}') THEN '+' || p
        WHEN regexp_full_match(p, '0[1-9][0-9]{8,9}') THEN '+44' || substr(p, 2)
        WHEN regexp_full_match(p, '\\+[1-9][0-9]{6,14}') AND NOT starts_with(p, '+44') THEN p
        WHEN regexp_full_match(p, '00[1-9][0-9]{6,14}') AND NOT starts_with(p, '0044') THEN '+' || substr(p, 3)
    END
"""


# Street-type abbreviations as written in police systems, expanded so "5 Foxglove Gr" = "5 Foxglove Grove".
_STREET_TYPES = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "gr": "grove",
    "gro": "grove",
    "gdns": "gardens",
    "terr": "terrace",
    "ter": "terrace",
    "tce": "terrace",
    "cres": "crescent",
    "cl": "close",
    "ct": "court",
    "dr": "drive",
    "ln": "lane",
    "pl": "place",
    "sq": "square",
    "pk": "park",
    "wy": "way",
    "hse": "house",
}


def _address_sql(column: str) -> str:
    text = f"trim(regexp_replace(strip_accents(lower(CAST({column} AS VARCHAR))), '[^a-z0-9]+', ' ', 'g'))"
    # Word by word: one list_transform over the words, not one regexp per abbreviation.
    mapping = "MAP {" + ", ".join(f"'{k}': '{v}'" for k, v in _STREET_TYPES.items()) + "}"
    expanded = f"array_to_string(list_transform(string_split({text}, ' '), lambda w: coalesce({mapping}[w], w)), ' ')"
    return f"NULLIF({expanded}, '')"


def _identifier_text_sql(column: str) -> str:
    # Upper-case alphanumerics and slashes.
    return f"NULLIF(upper(regexp_replace(CAST({column} AS VARCHAR), '[^A-Za-z0-9/]', '', 'g')), '')"


def _identifier_sql(text: str) -> str:
    # `text` is the column holding `_identifier_text_sql` (computed once, read five times here). A PNC ID
    # (YY/NNNNNNNA or YYYY/NNNNNNNA) becomes YYYY/NNNNNNNA, so "04/98318C" = "2004/0098318C" (two-digit
    # years up to 50 are 20YY: the PNC began in the 1970s).
    pnc = "'^([0-9]{2}|[0-9]{4})/([0-9]{1,7})([A-Z])$'"
    year = f"regexp_extract({text}, {pnc}, 1)"
    full_year = (
        f"CASE WHEN length({year}) = 4 THEN {year} "
        f"WHEN CAST({year} AS INTEGER) <= 50 THEN '20' || {year} ELSE '19' || {year} END"
    )
    serial = f"lpad(regexp_extract({text}, {pnc}, 2), 7, '0')"
    letter = f"regexp_extract({text}, {pnc}, 3)"
    return f"CASE WHEN regexp_full_match({text}, {pnc}) THEN {full_year} || '/' || {serial} || {letter} ELSE {text} END"


def standardise_sql(present: set[str]) -> str:
    """The SELECT that turns the registered relation `raw` (with a `__row` column) into linkage columns."""

    def col(name: str) -> str:
        return name if name in present else "CAST(NULL AS VARCHAR)"

    dob = _date_sql(col("date_of_birth"))
    postcode = f"NULLIF(upper(regexp_replace(CAST({col('postcode')} AS VARCHAR), '[^A-Za-z0-9]', '', 'g')), '')"
    email = f"NULLIF(lower(trim(CAST({col('email')} AS VARCHAR))), '')"
    first = _name_sql(col("first_name"))
    # S608: assembled from this module's constants and the contract's column names, never from values.
    return f"""
    WITH cleaned AS (
        SELECT
            __row,
            CAST(record_id AS VARCHAR) AS unique_id,
            {first} AS first_name,
            {_name_sql(col("middle_names"))} AS middle_names,
            {_name_sql(col("last_name"))} AS last_name,
            {dob} AS dob_date,
            NULLIF(trim(CAST({col("date_of_birth")} AS VARCHAR)), '') AS dob_raw,
            CASE upper(left(trim(CAST({col("gender")} AS VARCHAR)), 1))
                WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' WHEN 'X' THEN 'X' WHEN 'O' THEN 'X' ELSE NULL
            END AS gender,
            {_address_sql(col("address"))} AS address,
            {postcode} AS postcode_clean,
            {_phone_digits_sql(col("phone"))} AS p,
            NULLIF(trim(CAST({col("phone")} AS VARCHAR)), '') AS phone_raw,
            {email} AS email_clean,
            {_identifier_text_sql(col("identifier"))} AS identifier_text
        FROM raw
    ),
    -- Each parse once: the cleaned value and the "present but unparseable" flag both read it.
    parsed AS (
        SELECT
            *,
            year(dob_date) BETWEEN 1900 AND 2100 AS dob_ok,
            regexp_full_match(postcode_clean, '{_POSTCODE_PATTERN}') AS postcode_ok,
            {_PHONE_E164} AS phone_e164,
            regexp_full_match(email_clean, '{_EMAIL_PATTERN}') AS email_ok,
            {_identifier_sql("identifier_text")} AS identifier
        FROM cleaned
    )
    SELECT
        __row,
        unique_id,
        first_name,
        coalesce(n.formal_name, first_name) AS first_name_formal,
        middle_names,
        last_name,
        CASE WHEN dob_ok THEN strftime(dob_date, '%Y-%m-%d') END AS dob,
        CASE WHEN dob_ok AND day(dob_date) <= 12 AND day(dob_date) <> month(dob_date)
            THEN strftime(make_date(year(dob_date), day(dob_date), month(dob_date)), '%Y-%m-%d') END
            AS dob_transposed,
        CASE WHEN dob_ok THEN strftime(dob_date, '%Y-%m') END AS dob_year_month,
        CASE WHEN dob_ok THEN CAST(year(dob_date) AS VARCHAR) END AS dob_year,
        gender,
        address,
        CASE WHEN postcode_ok THEN postcode_clean END AS postcode,
        CASE WHEN postcode_ok THEN left(postcode_clean, length(postcode_clean) - 3) END AS postcode_outward,
        phone_e164 AS phone,
        CASE WHEN email_ok THEN email_clean END AS email,
        identifier,
        dob_raw IS NOT NULL AND NOT coalesce(dob_ok, false) AS bad_date_of_birth,
        postcode_clean IS NOT NULL AND NOT postcode_ok AS bad_postcode,
        phone_raw IS NOT NULL AND phone_e164 IS NULL AS bad_phone,
        email_clean IS NOT NULL AND NOT email_ok AS bad_email
    -- No ORDER BY here: the one reader that needs input order (`standardise`) sorts on __row itself.
    FROM parsed LEFT JOIN nicknames AS n ON n.nickname = parsed.first_name
    """  # noqa: S608


LINKAGE_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "first_name",
    "first_name_formal",
    "middle_names",
    "last_name",
    "dob",
    "dob_transposed",
    "dob_year_month",
    "dob_year",
    "gender",
    "address",
    "postcode",
    "postcode_outward",
    "phone",
    "email",
    "identifier",
)
"""The standardised columns that Splink sees (`unique_id` is the record id as text)."""


def standardise(records: pa.Table | pd.DataFrame) -> tuple[pa.Table, ParseIssues]:
    """Clean and derive the linkage columns of a table of person records.

    Names are lower-cased, stripped of accents, punctuation and extra spaces, with nicknames mapped to
    formal names in `first_name_formal`; dates of birth are parsed (ISO or day-first) with a
    day-month-transposed variant; postcodes upper-cased without spaces with their outward code; phone
    numbers in E.164 (+447...); emails lower-cased; identifiers upper-cased alphanumerics.

    Args:
        records: person records with a unique `record_id` and any of the other contract columns.

    Returns:
        The standardised table (columns `LINKAGE_COLUMNS`, input order kept) and the unparseable values.

    Raises:
        ValueError: no `record_id`, or empty or duplicate ids.

    Example:
        >>> import pyarrow as pa
        >>> table, issues = standardise(pa.table({"record_id": ["1"], "phone": ["07700 900123"]}))
        >>> table.column("phone").to_pylist()
        ['+447700900123']
    """
    table = _as_table(records)
    present = {name for name in table.column_names if name in INPUT_COLUMNS}
    raw = table.select(sorted(present)).append_column("__row", pa.array(range(1, table.num_rows + 1), pa.int64()))
    con = duckdb.connect()
    try:
        _check_ids(con, table)
        con.register("raw", raw)
        con.register("nicknames", load_nicknames())
        con.sql(f"CREATE TEMP TABLE standardised AS {standardise_sql(present)}")
        issues = []
        for column in PARSED_COLUMNS:
            if column not in present:
                continue
            count, rows = con.sql(
                f"SELECT count(*), list(__row ORDER BY __row)[1:{_MAX_EXAMPLE_ROWS}] "  # noqa: S608 (constants only)
                f"FROM standardised WHERE bad_{column}"
            ).fetchall()[0]
            if count:
                issues.append(ColumnIssues(column=column, count=int(count), example_rows=tuple(rows)))
        selected = ", ".join(LINKAGE_COLUMNS)
        result = con.sql(f"SELECT {selected} FROM standardised ORDER BY __row").to_arrow_table()  # noqa: S608
    finally:
        con.close()
    return result, ParseIssues(columns=tuple(issues))
