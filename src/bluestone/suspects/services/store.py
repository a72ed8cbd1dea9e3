"""The linkage store: every suspect record standardised, with its blocking keys, so that a new or edited
record is scored against only the records it could match (its blocking candidates) and not against
every record read and standardised again.

A full run writes the whole store for its model. Scoring a case's new or edited records (the background
task `suspects.tasks.link_people`) brings their rows up to date first; a store made for another model
(an older run's, or before any run) is rebuilt then, once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyarrow as pa
from django.db import transaction
from django.db.models import Count

from bluestone.cases.models import Role
from bluestone.linkage import LINKAGE_COLUMNS
from bluestone.suspects.models import BlockingKey, StoredRecord
from bluestone.suspects.records import records_table, suspect_person_ids

if TYPE_CHECKING:
    from bluestone.linkage import LinkageModel

TERM_FREQUENCY_COLUMNS = ("first_name", "last_name", "name_key")
_BATCH = 2000
_SCHEMA = pa.schema([(name, pa.string()) for name in LINKAGE_COLUMNS])


def store_write(*, records: pa.Table, model: LinkageModel, replace_all: bool) -> None:
    """Store these records (linkage input, as `records_table` gives them) standardised, with their keys.

    `replace_all` empties the store first (a full run, or a rebuild for a new model); otherwise only
    these records' rows are replaced.
    """
    from bluestone.linkage import blocking_keys, standardise, store_version  # noqa: PLC0415  (loads Splink: see bluestone.linkage)

    table, _ = standardise(records) if records.num_rows else (pa.Table.from_pylist([], schema=_SCHEMA), None)
    keys = blocking_keys(table, model)
    version = store_version(model)
    keys_of: dict[str, list[int]] = {}
    for unique_id, key in zip(keys.column("unique_id").to_pylist(), keys.column("key").to_pylist(), strict=True):
        keys_of.setdefault(str(unique_id), []).append(int(key))
    with transaction.atomic():
        if replace_all:
            BlockingKey.objects.all().delete()
            StoredRecord.objects.all().delete()
        else:
            ids = [uuid.UUID(str(r)) for r in table.column("unique_id").to_pylist()]
            StoredRecord.objects.filter(person_id__in=ids).delete()
        rows = table.to_pylist()
        for start in range(0, len(rows), _BATCH):
            stored = StoredRecord.objects.bulk_create(
                [
                    StoredRecord(
                        person_id=uuid.UUID(str(row["unique_id"])),
                        version=version,
                        first_name=row["first_name"],
                        last_name=row["last_name"],
                        name_key=row["name_key"],
                        standardised=row,
                    )
                    for row in rows[start : start + _BATCH]
                ]
            )
            BlockingKey.objects.bulk_create(
                [BlockingKey(record_id=s.pk, key=k) for s in stored for k in keys_of.get(str(s.person_id), [])],
                batch_size=_BATCH,
            )


def store_current(model: LinkageModel) -> bool:
    """Whether the store was made for this model (and holds something)."""
    from bluestone.linkage import store_version  # noqa: PLC0415  (loads Splink: see bluestone.linkage)

    version = store_version(model)
    return StoredRecord.objects.filter(version=version).exists() and not (
        StoredRecord.objects.exclude(version=version).exists()
    )


def store_refresh(*, person_ids: Iterable[uuid.UUID], model: LinkageModel) -> None:
    """Bring the store up to date for the model and these (new or edited) records: rebuilt whole when it
    was made for another model, else these records' rows replaced (or removed, for a record that is no
    longer a suspect on an unrestricted case)."""
    if not store_current(model):
        store_write(records=records_table(suspect_person_ids()), model=model, replace_all=True)
        return
    wanted = list(person_ids)
    linked = suspect_person_ids(only=wanted)
    with transaction.atomic():
        StoredRecord.objects.filter(person_id__in=set(wanted) - set(linked)).delete()
        store_write(records=records_table(linked), model=model, replace_all=False)


def store_candidates(new: pa.Table, model: LinkageModel) -> tuple[pa.Table, dict[str, tuple[dict[str, int], int]]]:
    """The stored records sharing a blocking key with a new (standardised) record, and the term counts
    over the store and the new records (`score_against_candidates`).

    Only records still suspects on unrestricted cases are candidates (the store may lag a restriction
    until the record is next written or the next full run).
    """
    from bluestone.linkage import blocking_keys  # noqa: PLC0415  (loads Splink: see bluestone.linkage)

    new_ids = [uuid.UUID(str(v)) for v in new.column("unique_id").to_pylist()]
    keys = [int(k) for k in blocking_keys(new, model).column("key").to_pylist()]
    record_ids = set()
    for start in range(0, len(keys), _BATCH):
        record_ids |= set(
            BlockingKey.objects.filter(key__in=keys[start : start + _BATCH]).values_list("record_id", flat=True)
        )
    candidates = (
        StoredRecord.objects.filter(
            pk__in=record_ids,
            person__involvements__role=Role.SUSPECT,
            person__involvements__case__restricted=False,
        )
        .exclude(person_id__in=new_ids)
        .distinct()
    )
    rows = [standardised for standardised in candidates.values_list("standardised", flat=True)]
    table = pa.Table.from_pylist([{c: row.get(c) for c in LINKAGE_COLUMNS} for row in rows], schema=_SCHEMA)
    return table, _term_counts(new, table, new_ids)


def _term_counts(
    new: pa.Table, candidates: pa.Table, new_ids: list[uuid.UUID]
) -> dict[str, tuple[dict[str, int], int]]:
    counts: dict[str, tuple[dict[str, int], int]] = {}
    others = StoredRecord.objects.exclude(person_id__in=new_ids)
    for column in TERM_FREQUENCY_COLUMNS:
        own = [v for v in new.column(column).to_pylist() if v is not None]
        values = set(own) | {v for v in candidates.column(column).to_pylist() if v is not None}
        found = {
            str(value): int(n)
            for value, n in others.filter(**{f"{column}__in": sorted(values)})
            .values_list(column)
            .annotate(n=Count("id"))
            .values_list(column, "n")
        }
        for value in own:
            found[value] = found.get(value, 0) + 1
        # Counted on the column's index alone, then the new records' stored rows taken off (a filter on
        # another column would read every row of the table).
        with_value = StoredRecord.objects.filter(**{f"{column}__isnull": False})
        total = with_value.count() - with_value.filter(person_id__in=new_ids).count() + len(own)
        counts[column] = ({v: found.get(v, 0) for v in values}, total)
    return counts
