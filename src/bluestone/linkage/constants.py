"""The linkage's constants, in a module that imports nothing heavy.

The application reads these (a threshold, the column names) when its modules are imported; Splink,
DuckDB and pandas are imported only when records are linked (see the package's `__getattr__`).
"""

from __future__ import annotations

from typing import Literal

DEFAULT_THRESHOLD = 0.9
"""Default match probability at which two records are clustered into one identity (see docs/linkage.md)."""

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")

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

LINKAGE_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "first_name",
    "first_name_formal",
    "first_name_related",
    "first_initial",
    "first_is_initial",
    "middle_names",
    "last_name",
    "name_key",
    "name_suffix",
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
