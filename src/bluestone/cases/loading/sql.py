"""What every way of writing shares: the upsert statement built from a model's metadata, and progress."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.db import connection, models

# Called as progress(table label, rows written so far, rows in the table).
Progress = Callable[[str, int, int], None]
# Part of a table's rows, column by column, in the order of the upsert's columns.
Columns = Sequence[Sequence[Any]]


class Upsert:
    """INSERT ... ON CONFLICT (key) DO UPDATE into one model's table, from any source of rows.

    Identifiers come from the model's metadata, quoted; values are never part of the SQL.
    """

    def __init__(self, model: type[models.Model], *, conflict: str, columns: Sequence[str], keep: Sequence[str] = ()):
        opts = model._meta
        self.db_table = opts.db_table
        self.fields = [cast("models.Field[Any, Any]", opts.get_field(name)) for name in columns]
        quote = connection.ops.quote_name
        names = [f.column for f in self.fields]
        conflict_column = cast("models.Field[Any, Any]", opts.get_field(conflict)).column
        # Columns never overwritten on a re-load: the row's identity and when it was first made.
        frozen = {conflict_column, opts.pk.column, "created_at", *keep}
        updates = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in names if n not in frozen)
        self.table = quote(opts.db_table)
        self.column_list = ", ".join(quote(n) for n in names)
        self._conflict = f"ON CONFLICT ({quote(conflict_column)}) DO UPDATE SET {updates}"

    def statement(self, source: str) -> str:
        """The upsert of the rows `source` gives: "VALUES (...)" or "SELECT ... FROM ..." with the same columns."""
        return f"INSERT INTO {self.table} ({self.column_list}) {source} {self._conflict}"
