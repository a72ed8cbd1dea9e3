"""Loading an extract (the Parquet tables of `bluestone.extract`) into the database.

All or nothing: the whole extract is read and checked before anything is written (`checks`), and the
write is one transaction. Idempotent: every loaded row carries the key it had in the extract, and a
re-load updates those rows in place (it never deletes, so nothing added in the application is lost).

How rows reach the database depends on the database: on PostgreSQL each table is copied (COPY) into
a temporary staging table and upserted from there (`postgres`); on SQLite the same upsert runs with
executemany in large batches (`sqlite`). Either way a load that is killed part-way writes nothing.

The optional tables (victims' profiles, duties, contacts...) are written in the same transaction by
the apps that own them, registered in `optional`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Literal

from django.db import connection, transaction
from django.db.models import Model

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.facts import facts_refresh
from bluestone.cases.loading import postgres, sqlite
from bluestone.cases.loading.checks import ExtractError, LoadProblem, extract_read, extract_validate
from bluestone.cases.loading.optional import optional_tables_write
from bluestone.cases.loading.sql import Progress
from bluestone.cases.loading.tables import (
    LoadSummary,
    Sink,
    Write,
    write_cases,
    write_events,
    write_involvements,
    write_officers,
    write_outcomes,
    write_persons,
    write_teams,
)
from bluestone.cases.models import Case, CaseEvent, CaseFacts, Involvement, Outcome, PersonRecord
from bluestone.cases.search_index import search_index_refresh
from bluestone.core import clock

__all__ = [
    "ExtractError",
    "LoadProblem",
    "LoadSummary",
    "Progress",
    "extract_load",
    "extract_read",
    "extract_validate",
]

Method = Literal["copy", "insert"]


ANALYSED = (Case, PersonRecord, Involvement, Outcome, CaseEvent)


def _analyse(models: tuple[type[Model], ...]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(f'"{model._meta.db_table}"' for model in models))


def extract_load(
    *,
    directory: Path,
    progress: Progress | None = None,
    by: str = "",
    actor: User | None = None,
    method: Method | None = None,
) -> LoadSummary:
    """Load the extract in `directory`: check everything, then write everything in one transaction.

    Raises ExtractError (and writes nothing) when any part of the extract is wrong. The load is one
    s.62 collection entry in the same transaction: who ran it (`actor` when they are a user of the
    service, and `by` in words, such as the operating-system account), the source and the rows
    written per table.

    `method` chooses how rows are written: "copy" (PostgreSQL only, its default) or "insert" (batched
    INSERT statements, the only way on SQLite); both give the same rows.
    """
    write = _writer(method)
    tables = extract_read(directory)
    extract_validate(tables)
    now = clock.now()
    sink = Sink(write=write, progress=progress)
    pragmas = sqlite.load_pragmas() if connection.vendor == "sqlite" else contextlib.nullcontext()
    with pragmas, transaction.atomic():
        team_ids = write_teams(tables["teams"], now=now, sink=sink)
        officer_ids = write_officers(tables["officers"], team_ids=team_ids, now=now, sink=sink)
        case_ids = write_cases(tables["cases"], team_ids=team_ids, officer_ids=officer_ids, now=now, sink=sink)
        person_ids = write_persons(tables["persons"], now=now, sink=sink)
        write_involvements(tables["involvements"], case_ids=case_ids, person_ids=person_ids, now=now, sink=sink)
        write_outcomes(tables["outcomes"], case_ids=case_ids, now=now, sink=sink)
        write_events(tables["events"], case_ids=case_ids, now=now, sink=sink)
        optional_tables_write(tables, now=now, sink=sink)
        search_index_refresh(case_ids=list(case_ids.values()))
        # Fresh statistics for the tables just filled, so the planner does not take them for the empty
        # tables it last saw (a join planned for empty tables can scan one per row of another): before
        # the facts are written from them, and for the facts after.
        _analyse(ANALYSED)
        facts_refresh(case_ids.values())
        _analyse((CaseFacts,))
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            object_type="cases.Extract",
            object_id=directory.name[:64],
            details={
                "what": "bulk load",
                "by": by or (actor.get_username() if actor else ""),
                "source": str(directory.resolve()),
                "counts": dict(sink.summary.rows),
            },
        )
    return sink.summary


def _writer(method: Method | None) -> Write:
    on_postgres = connection.vendor == "postgresql"
    if method is None:
        method = "copy" if on_postgres else "insert"
    if method == "copy":
        if not on_postgres:
            raise ValueError(f"COPY loading needs PostgreSQL; this database is {connection.vendor}.")
        return postgres.write
    return sqlite.write
