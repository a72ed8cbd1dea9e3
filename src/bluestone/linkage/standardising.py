"""Standardise person records before linkage, in DuckDB SQL (vectorised: millions of rows in seconds).

Every cleaned column is computed by one SQL expression over the whole table, never row by row in Python.
A value that is present but cannot be parsed (a date of birth "31/02/19x9", a postcode "N0T A P0STC0DE")
becomes NULL, so it neither helps nor hurts a match, and is counted in a `ParseIssues` report.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field
from importlib import resources

import duckdb
import pandas as pd
import pyarrow as pa

from bluestone.linkage.constants import INPUT_COLUMNS, LINKAGE_COLUMNS

# Columns whose values are parsed (not just cleaned): a present value that fails to parse is reported.
PARSED_COLUMNS: tuple[str, ...] = ("date_of_birth", "phone", "email")

# A UK postcode once spaces are removed: outward code (area, district) then inward code (sector, unit).
_POSTCODE_PATTERN = r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"
_EMAIL_PATTERN = r"^[a-z0-9._%+''-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$"
_MAX_EXAMPLE_ROWS = 5

TWO_DIGIT_YEAR_PIVOT = 25
"""A two-digit year up to this is 20YY, above it 19YY ("05/04/85" is 1985, "05/04/07" is 2007)."""

# Name suffixes that say which generation of a family a person is ("John Smith Jr"), kept apart from the name.
_SUFFIXES = {"jr": "jr", "jnr": "jr", "junior": "jr", "sr": "sr", "snr": "sr", "senior": "sr", "ii": "ii", "iii": "iii"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

DATE_PROBLEMS = {
    "unrecognised": "not a date in a format Bluestone reads",
    "impossible": "not a real date",
    "out_of_range": "a year before 1900 or after 2100",
    "month_first": "written month first (US style), which Bluestone does not guess",
    "ambiguous": "could be day first or month first (the column also has US-style dates), so not guessed",
}
"""Why a date of birth was not used, by kind (see `ColumnIssues.problem`)."""


@dataclass(frozen=True)
class ColumnIssues:
    """Values in one column that were present but could not be parsed, so were treated as missing."""

    column: str
    count: int
    example_rows: tuple[int, ...]
    """1-based positions of the first few offending records in the input (1 = the first record)."""
    problem: str = "could not be parsed"
    """What is wrong with them, in words ("not a real date")."""
    example_values: tuple[str, ...] = ()
    """The values at `example_rows`, as written."""


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


@functools.cache
def load_nicknames() -> pa.Table:
    """The nickname table: `name`, its `formal_name` (a blocking key) and the names it may stand for.

    The names come from the `nicknames` package (a hand-curated English list of formal names and
    their nicknames) plus this package's own additions in `data/nicknames.csv` (British forms such as
    "gaz" for Gary or "dai" for David). `related` lists, between bars (`|bob|robert|rob|`), the name,
    the formal names it is a nickname of, its own nicknames, and the other nicknames of its formal
    names ("bob" and "rob" both stand for Robert). The list is many-to-many ("al": Albert, Alexander,
    Alfred), so `formal_name` is one of them for blocking only: the one with the most nicknames
    (ties: alphabetically first), so "bob" and "robby" both block as "robert".
    """
    from nicknames import NickNamer  # noqa: PLC0415 (read once, on first use)

    namer = NickNamer()
    nicknames_of: dict[str, set[str]] = {}
    for formal, nicks in namer.nickname_lookup.items():
        nicknames_of.setdefault(_plain_name(formal), set()).update(_plain_name(n) for n in nicks)
    additions = (resources.files("bluestone.linkage") / "data" / "nicknames.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(additions)):
        nicknames_of.setdefault(_plain_name(row["formal_name"]), set()).add(_plain_name(row["nickname"]))
    formals_of: dict[str, set[str]] = {}
    for formal, nicks in nicknames_of.items():
        for nick in nicks:
            formals_of.setdefault(nick, set()).add(formal)
    names, keys, related = [], [], []
    for name in sorted(set(nicknames_of) | set(formals_of)):
        if not name:
            continue
        formals = formals_of.get(name, set())
        group = {name} | formals | nicknames_of.get(name, set())
        for formal in formals:
            group |= nicknames_of.get(formal, set())
        group.discard("")
        names.append(name)
        keys.append(min(formals | {name}, key=lambda n: (-len(nicknames_of.get(n, ())), n)))
        related.append("|" + "|".join(sorted(group)) + "|")
    return pa.table({"name": names, "formal_name": keys, "related": related})


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


def _date_text_sql(column: str) -> str:
    # Lower case; a timestamp's time dropped; ordinals ("5th") and commas dropped; spaces collapsed.
    text = f"NULLIF(trim(lower(CAST({column} AS VARCHAR))), '')"
    text = f"regexp_replace({text}, '^(\\d{{4}}-\\d{{2}}-\\d{{2}})[ t].*$', '\\1')"
    text = f"regexp_replace({text}, '(\\d)(st|nd|rd|th)\\b', '\\1', 'g')"
    return f"NULLIF(trim(regexp_replace(replace({text}, ',', ' '), ' +', ' ', 'g')), '')"


# The shapes a date of birth is read in, each a regular expression with named parts (y, m or mon, d).
_DATE_SHAPES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("iso", r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", ("y", "m", "d")),
    ("iso", r"^(\d{4})(\d{2})(\d{2})$", ("y", "m", "d")),
    ("day_first", r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4}|\d{2})$", ("d", "m", "y")),
    ("named", r"^(\d{1,2})[-/. ]?([a-z]{3,9})\.?[-/. ]?(\d{4}|\d{2})$", ("d", "mon", "y")),
    ("named", r"^([a-z]{3,9})\.? (\d{1,2}) (\d{4})$", ("mon", "d", "y")),
)


def _date_parts_sql(text: str) -> str:
    """SQL columns `dob_shape`, `dob_y`, `dob_m`, `dob_d` (integers) read from the text column `text`."""
    extracts = [
        (shape, f"regexp_extract({text}, '{pattern}', [{', '.join(repr(g) for g in groups)}])", groups)
        for shape, pattern, groups in _DATE_SHAPES
    ]
    shape = "CASE " + " ".join(f"WHEN {sql}.{groups[0]} <> '' THEN '{name}'" for name, sql, groups in extracts) + " END"

    def part(name: str) -> str:
        cases = []
        for _shape, sql, groups in extracts:
            if name in groups:
                cases.append(f"WHEN {sql}.{groups[0]} <> '' THEN {sql}.{name}")
            elif name == "m" and "mon" in groups:
                months = "[" + ", ".join(f"'{m}'" for m in _MONTHS) + "]"
                cases.append(
                    f"WHEN {sql}.{groups[0]} <> '' THEN "
                    f"CAST(nullif(list_position({months}, left({sql}.mon, 3)), 0) AS VARCHAR)"
                )
        return f"TRY_CAST(CASE {' '.join(cases)} END AS INTEGER)"

    year = part("y")
    pivot = TWO_DIGIT_YEAR_PIVOT
    full_year = (
        f"CASE WHEN {year} < 100 THEN {year} + CASE WHEN {year} <= {pivot} THEN 2000 ELSE 1900 END ELSE {year} END"
    )
    return f"{shape} AS dob_shape, {full_year} AS dob_y, {part('m')} AS dob_m, {part('d')} AS dob_d"


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


def _suffix_sql(name: str) -> str:
    pattern = "' (" + "|".join(_SUFFIXES) + ")$'"
    return f"regexp_extract({name}, {pattern}, 1)"


def _without_suffix_sql(name: str) -> str:
    pattern = "' (" + "|".join(_SUFFIXES) + ")$'"
    return f"NULLIF(trim(regexp_replace({name}, {pattern}, '')), '')"


def standardise_sql(present: set[str]) -> str:
    """The SELECT that turns the registered relation `raw` (with a `__row` column) into linkage columns."""

    def col(name: str) -> str:
        return name if name in present else "CAST(NULL AS VARCHAR)"

    postcode = f"NULLIF(upper(regexp_replace(CAST({col('postcode')} AS VARCHAR), '[^A-Za-z0-9]', '', 'g')), '')"
    email = f"NULLIF(lower(trim(CAST({col('email')} AS VARCHAR))), '')"
    suffix_map = "MAP {" + ", ".join(f"'{k}': '{v}'" for k, v in _SUFFIXES.items()) + "}"
    # S608: assembled from this module's constants and the contract's column names, never from values.
    return f"""
    WITH cleaned AS (
        SELECT
            __row,
            CAST(record_id AS VARCHAR) AS unique_id,
            {_name_sql(col("first_name"))} AS first_raw,
            {_name_sql(col("middle_names"))} AS middle_raw,
            {_name_sql(col("last_name"))} AS last_raw,
            {_date_text_sql(col("date_of_birth"))} AS dob_text,
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
            {_date_parts_sql("dob_text")},
            regexp_full_match(postcode_clean, '{_POSTCODE_PATTERN}') AS postcode_uk,
            {_PHONE_E164} AS phone_e164,
            regexp_full_match(email_clean, '{_EMAIL_PATTERN}') AS email_ok,
            {_identifier_sql("identifier_text")} AS identifier,
            -- "Smith Jr": the generation is kept apart from the name (last name first, then first name).
            nullif(coalesce(nullif({_suffix_sql("last_raw")}, ''), nullif({_suffix_sql("first_raw")}, '')), '')
                AS suffix_raw
        FROM cleaned
    ),
    dated AS (
        SELECT
            *,
            CASE WHEN dob_shape IS NOT NULL AND NOT (dob_shape = 'day_first' AND dob_m > 12 AND dob_d <= 12)
                THEN CAST(try_strptime(printf('%04d-%02d-%02d', dob_y, dob_m, dob_d), '%Y-%m-%d') AS DATE)
            END AS dob_date,
            dob_shape = 'day_first' AND dob_m > 12 AND dob_d <= 12 AS dob_month_first
        FROM parsed
    ),
    judged AS (
        SELECT
            *,
            CASE
                WHEN dob_text IS NULL THEN NULL
                WHEN dob_shape IS NULL THEN 'unrecognised'
                WHEN dob_month_first THEN 'month_first'
                WHEN dob_date IS NULL THEN 'impossible'
                WHEN year(dob_date) NOT BETWEEN 1900 AND 2100 THEN 'out_of_range'
                WHEN dob_shape = 'day_first' AND dob_d <= 12 AND dob_m <= 12 AND dob_d <> dob_m
                    AND bool_or(dob_month_first) OVER () THEN 'ambiguous'
            END AS dob_problem
        FROM dated
    ),
    named AS (
        SELECT
            *,
            {_without_suffix_sql("first_raw")} AS first_name,
            {_without_suffix_sql("middle_raw")} AS middle_names,
            {_without_suffix_sql("last_raw")} AS last_name,
            CASE WHEN dob_problem IS NULL THEN dob_date END AS dob_ok_date
        FROM judged
    )
    SELECT
        __row,
        unique_id,
        first_name,
        coalesce(n.formal_name, first_name) AS first_name_formal,
        coalesce(n.related, '|' || first_name || '|') AS first_name_related,
        left(first_name, 1) AS first_initial,
        CASE WHEN regexp_full_match(first_name, '[a-z]( [a-z])*') THEN 'y' END AS first_is_initial,
        middle_names,
        last_name,
        CASE WHEN first_name IS NOT NULL AND last_name IS NOT NULL
            THEN least(first_name, last_name) || ' ' || greatest(first_name, last_name) END AS name_key,
        {suffix_map}[suffix_raw] AS name_suffix,
        strftime(dob_ok_date, '%Y-%m-%d') AS dob,
        CASE WHEN day(dob_ok_date) <= 12 AND day(dob_ok_date) <> month(dob_ok_date)
            THEN strftime(make_date(year(dob_ok_date), day(dob_ok_date), month(dob_ok_date)), '%Y-%m-%d') END
            AS dob_transposed,
        strftime(dob_ok_date, '%Y-%m') AS dob_year_month,
        CAST(year(dob_ok_date) AS VARCHAR) AS dob_year,
        gender,
        address,
        postcode_clean AS postcode,
        -- The outward code of a UK postcode; any other postcode is a token of its own, kept whole.
        CASE WHEN postcode_uk THEN left(postcode_clean, length(postcode_clean) - 3) ELSE postcode_clean END
            AS postcode_outward,
        phone_e164 AS phone,
        CASE WHEN email_ok THEN email_clean END AS email,
        identifier,
        dob_problem,
        dob_text AS dob_raw,
        phone_raw IS NOT NULL AND phone_e164 IS NULL AS bad_phone,
        email_clean IS NOT NULL AND NOT email_ok AS bad_email
    -- No ORDER BY here: the one reader that needs input order (`standardise`) sorts on __row itself.
    FROM named LEFT JOIN nicknames AS n ON n.name = named.first_name
    """  # noqa: S608


def standardise(records: pa.Table | pd.DataFrame) -> tuple[pa.Table, ParseIssues]:
    """Clean and derive the linkage columns of a table of person records.

    Names are lower-cased, stripped of accents, punctuation and extra spaces, a generation suffix
    ("Jr", "Snr", "III") moved to `name_suffix`, with nicknames in `first_name_formal` and
    `first_name_related` and initials marked; dates of birth are parsed (ISO, day first with four- or
    two-digit years, month names as in "5 Apr 1985" or "05-APR-1985") with a day-month-transposed
    variant, and a date written month first (US style) or ambiguous is reported rather than guessed;
    postcodes upper-cased without spaces with their outward code (a postcode that is not a UK one is
    kept whole, as its own outward code); phone numbers in E.164 (+447...); emails lower-cased;
    identifiers upper-cased alphanumerics.

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
        if "date_of_birth" in present:
            for problem, count, rows, values in con.sql(
                f"""
                SELECT dob_problem, count(*), list(__row ORDER BY __row)[1:{_MAX_EXAMPLE_ROWS}],
                       list(dob_raw ORDER BY __row)[1:{_MAX_EXAMPLE_ROWS}]
                FROM standardised WHERE dob_problem IS NOT NULL GROUP BY dob_problem ORDER BY min(__row)
                """  # noqa: S608 (constants only)
            ).fetchall():
                issues.append(
                    ColumnIssues(
                        column="date_of_birth",
                        count=int(count),
                        example_rows=tuple(rows),
                        problem=DATE_PROBLEMS[problem],
                        example_values=tuple(values),
                    )
                )
        for column in ("phone", "email"):
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
