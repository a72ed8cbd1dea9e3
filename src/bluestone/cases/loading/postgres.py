"""Writing on PostgreSQL: COPY into a temporary staging table, then one upsert from it into the real table.

The staging table is the session's own (TEMPORARY) and is dropped when the transaction commits or when
the session ends, so a load killed at any moment leaves neither rows nor tables behind: PostgreSQL
rolls back the open transaction of a connection that goes away.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from django.db import connection, models

from bluestone.cases.loading.sql import Columns, Progress, Upsert

BATCH = 20_000


def write(upsert: Upsert, batches: Iterable[Columns], *, total: int, label: str, progress: Progress | None) -> int:
    """Upsert the rows given as batches of columns, through COPY; returns how many were written.

    Must run inside a transaction (the staging table lives until it commits).
    """
    json = [_is_json(f) for f in upsert.fields]
    staging = connection.ops.quote_name(f"load_{upsert.db_table}")
    done = 0
    with connection.cursor() as cursor:
        # The real table's column types, none of its constraints: every check already ran on the extract,
        # and the unique and foreign keys are enforced by the upsert into the real table.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {upsert.column_list} FROM {upsert.table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {staging} ({upsert.column_list}) FROM STDIN") as copy:
            for columns in batches:
                prepared = [
                    [upsert.fields[i].get_db_prep_save(v, connection) for v in column] if json[i] else column
                    for i, column in enumerate(columns)
                ]
                rows = zip(*prepared, strict=True)
                while batch := list(itertools.islice(rows, BATCH)):
                    for row in batch:
                        copy.write_row(row)
                    done += len(batch)
                    if progress:
                        progress(label, done, total)
        cursor.execute(upsert.statement(f"SELECT {upsert.column_list} FROM {staging}"))  # noqa: S608
        cursor.execute(f"DROP TABLE {staging}")
    return done


def _is_json(model_field: Any) -> bool:
    target = model_field.target_field if model_field.is_relation else model_field
    return isinstance(target, models.JSONField)
