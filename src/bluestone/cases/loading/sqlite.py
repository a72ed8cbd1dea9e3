"""Writing on SQLite: the upsert statement run with executemany in large batches, values prepared per column.

The load runs with a larger page cache, set for the load and put back after. Durability settings
(journal mode, synchronous) are left as they are, so a load killed at any moment rolls back to the
database as it was before it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, models

from bluestone.cases.loading.sql import Columns, Progress, Upsert

BATCH = 20_000
# 256 MiB of page cache (negative: in KiB) instead of SQLite's 2 MiB: a force's indexes stay in memory.
_LOAD_CACHE_KIB = 262_144


@contextmanager
def load_pragmas() -> Iterator[None]:
    """Give this connection the load's page cache, and put the one it had back after."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{_LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def write(upsert: Upsert, batches: Iterable[Columns], *, total: int, label: str, progress: Progress | None) -> int:
    """Upsert the rows given as batches of columns; returns how many were written."""
    preparers = [_preparer(f) for f in upsert.fields]
    sql = upsert.statement("VALUES (" + ", ".join(["%s"] * len(upsert.fields)) + ")")
    done = 0
    with connection.cursor() as cursor:
        for columns in batches:
            prepared = [
                column if prep is None else [prep(v) for v in column]
                for prep, column in zip(preparers, columns, strict=True)
            ]
            rows = zip(*prepared, strict=True)
            while batch := list(itertools.islice(rows, BATCH)):
                cursor.executemany(sql, batch)
                done += len(batch)
                if progress:
                    progress(label, done, total)
    return done


def _preparer(model_field: Any) -> Callable[[Any], Any] | None:
    """How a value of this field is handed to the database driver, when it cannot take it as it is."""
    target = model_field.target_field if model_field.is_relation else model_field
    if isinstance(target, models.JSONField):
        return lambda value: target.get_db_prep_save(value, connection)
    if connection.vendor != "sqlite":
        # psycopg takes aware datetimes, dates and UUIDs as they are.
        return None
    # The same text Django's SQLite backend stores, without its per-value overhead (ten times faster
    # on the hundreds of thousands of timestamps of a force's extract).
    if isinstance(target, models.DateTimeField):
        return _sqlite_datetime
    if isinstance(target, models.DateField):
        return _sqlite_date
    if isinstance(target, models.UUIDField):
        return _sqlite_uuid
    return None


# The UTC zones timestamps arrive in (Python's and zoneinfo's, as pyarrow gives them).
_UTC_ZONES = frozenset({dt.UTC, ZoneInfo("UTC")})


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo in _UTC_ZONES:
        # What the extract gives: already in UTC, so the text is the aware one's less "+00:00".
        return str(value)[:-6]
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return str(value)


def _sqlite_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_uuid(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex
