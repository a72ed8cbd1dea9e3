"""The optional tables of an extract (`bluestone.extract.OPTIONAL_TABLES`), loaded by the apps that own them.

`cases` reads and checks what every table shares (types, required values, unique keys, references
between tables), but the victims' profiles, duties and contact log belong to `victims`, which
`cases` must not import. So each app registers, in its AppConfig.ready(), the tables it loads, the
checks only it can make (allowed values, lengths, its own rules) and the writer that turns the
checked tables into its rows:

    register_optional_tables(OptionalTables(name="victims", tables=(...), checks=..., write=..., order=10))

The writers run in the load's transaction, after the core tables, in `order`; a load stays all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from bluestone import extract

if TYPE_CHECKING:
    from bluestone.cases.loading.tables import Sink


@dataclass(frozen=True)
class OptionalTables:
    name: str
    tables: tuple[extract.Table, ...]
    # checks(tables, problems): every table of the extract, keyed by name (only the optional ones
    # present are in it), and the `checks.Problems` to report each problem to, by file, row and column.
    checks: Callable[[dict[str, pa.Table], Any], None]
    # write(tables, now=..., sink=...): upserts the app's rows from the checked tables.
    write: Callable[..., None]
    order: int = 0


_registered: list[OptionalTables] = []


def register_optional_tables(entry: OptionalTables) -> None:
    if all(existing.name != entry.name for existing in _registered):
        _registered.append(entry)
        _registered.sort(key=lambda e: e.order)


def optional_tables_registered() -> list[OptionalTables]:
    return list(_registered)


def optional_tables_write(tables: dict[str, pa.Table], *, now: dt.datetime, sink: Sink) -> None:
    """Every registered app writes its tables that the extract holds."""
    for entry in _registered:
        if any(spec.name in tables for spec in entry.tables):
            entry.write(tables, now=now, sink=sink)
