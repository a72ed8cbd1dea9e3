from __future__ import annotations

import pyarrow as pa
import pytest

from bluestone.linkage import LinkageModel, LinkageResult, link_records, score_new_records


def test_new_records_join_the_identity_a_full_run_gives_them(
    small_force: tuple[pa.Table, pa.Table], small_model: LinkageModel
) -> None:
    records, _ = small_force
    people = records.to_pylist()
    # The new case: the last record of 15 people already known, and the file's last 5 records.
    ids = [row["record_id"] for row in people]
    full = link_records(records, model=small_model)
    identity = dict(zip(ids, full.identities.column("identity_id").to_pylist(), strict=True))
    last_of_identity = {identity[r]: r for r in ids}  # the last record of each identity
    repeats = [r for r in last_of_identity.values() if identity[r] != r][:15]
    new_ids = set(repeats) | set(ids[-5:])
    new = pa.Table.from_pylist([row for row in people if row["record_id"] in new_ids])
    old = pa.Table.from_pylist([row for row in people if row["record_id"] not in new_ids])
    known = link_records(old, model=small_model).identities

    result = score_new_records(new, old, known, small_model)

    assigned = {row["record_id"]: row for row in result.assignments.to_pylist()}
    assert set(assigned) == new_ids
    known_identity = dict(
        zip(known.column("record_id").to_pylist(), known.column("identity_id").to_pylist(), strict=True)
    )
    agreeing = 0
    for record, row in assigned.items():
        partners = [r for r in known_identity if identity[r] == identity[record]]
        if partners:
            agreeing += row["identity_id"] in {known_identity[p] for p in partners} and not row["is_new_identity"]
        else:
            agreeing += row["is_new_identity"] or row["identity_id"] in new_ids
    # The full run clusters transitively over all records; incremental scoring sees fewer paths.
    assert agreeing >= 0.9 * len(new_ids)
    assert any(not row["is_new_identity"] for row in assigned.values())
    assert result.predictions.num_rows > 0


def test_shared_ids_between_new_and_existing_are_refused(
    small_model: LinkageModel, small_linked: LinkageResult
) -> None:
    records = pa.table({"record_id": ["a"], "first_name": ["Jo"]})
    with pytest.raises(ValueError, match="reuse existing record ids: a"):
        score_new_records(records, records, pa.table({"record_id": ["a"], "identity_id": ["a"]}), small_model)
