"""Decisions that cannot both win: the row a state rule reads, read again under a lock.

A service checks its rule ("this request is awaiting authorisation") on the row a view loaded a moment
ago. Two supervisors posting at once both pass that check, and without more both would write. Inside
the service's transaction, `relock` reads the row again with SELECT ... FOR UPDATE, so the second
transaction waits until the first commits and then sees what the first wrote; the service checks its
rule again on that and refuses with its own "already decided" error, having written nothing.

SQLite has no row locks: there the transaction takes the database's write lock when it starts
(`transaction_mode` IMMEDIATE in the settings), which serialises the same way.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models, transaction

ModelT = TypeVar("ModelT", bound=models.Model)


def relock(row: ModelT) -> ModelT:
    """Read `row` again from the database, in place, locked until the transaction ends.

    Call it inside `transaction.atomic()`, before checking the rule the write depends on. Fields
    the caller set on `row` and had not saved are replaced by the stored values; cached related
    objects are read again when next used.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("relock() holds its lock to the end of a transaction: call it inside transaction.atomic()")
    row.refresh_from_db(from_queryset=type(row)._default_manager.select_for_update())
    return row
