"""Incremental scoring: a new case's person records against identities already known, with a saved model."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
from splink import Linker

from bluestone.linkage.engines import check_engine, database_api, register, to_arrow
from bluestone.linkage.model import Engine, LinkageModel, check_threshold
from bluestone.linkage.pipeline import REVIEW_FLOOR, explain
from bluestone.linkage.standardise import standardise
from bluestone.linkage.standardise import to_arrow as checked_arrow

_TERM_FREQUENCY_COLUMNS = ("first_name", "last_name", "name_key")


@dataclass(frozen=True)
class IncrementalResult:
    """The outcome of `score_new_records`.

    Attributes:
        assignments: one row per new record: `record_id`, `identity_id` (an existing identity, or the
            smallest new record id of a new identity), `is_new_identity`, `best_match_probability`
            (null when nothing matched) and `other_identity_ids` (further existing identities the record
            also matched: candidates for a reviewed merge, never merged automatically).
        predictions: the scored pairs (new-existing and new-new) at or above min(threshold, 0.5), with the
            same explanation columns as `LinkageResult.predictions`.
    """

    assignments: pa.Table
    predictions: pa.Table


def score_new_records(
    new: pa.Table | pd.DataFrame,
    existing: pa.Table | pd.DataFrame,
    identities: pa.Table | pd.DataFrame,
    model: LinkageModel,
    *,
    threshold: float | None = None,
    engine: Engine = "duckdb",
) -> IncrementalResult:
    """Match a few new person records to known identities without re-linking everything.

    Pairs are scored between the new and existing records and among the new records (not among the existing
    ones, already clustered). Term frequencies come from existing and new records together.

    Args:
        new: the new person records (contract columns); their ids must not occur in `existing`.
        existing: the known person records.
        identities: `record_id`, `identity_id` of the existing records (e.g. `LinkageResult.identities`).
        model: the trained model (`LinkageModel.load`).
        threshold: match probability for a link; defaults to the model's.
        engine: "duckdb" (default) or "spark".

    Returns:
        Each new record's identity, and the explained pairs.

    Raises:
        ValueError: bad arguments, ids shared between `new` and `existing`, or identities missing columns.

    Example:
        >>> result = score_new_records(case_people, known_people, known_identities, model)  # doctest: +SKIP
        >>> result.assignments.to_pylist()[0]["identity_id"]  # doctest: +SKIP
        'R0001234'
    """
    check_engine(engine)
    if not isinstance(model, LinkageModel):
        raise ValueError(f"model must be a LinkageModel, not {type(model).__name__}.")
    cut = check_threshold(threshold) if threshold is not None else model.threshold
    known = checked_arrow(identities) if not isinstance(identities, pa.Table) else identities
    if not {"record_id", "identity_id"} <= set(known.column_names):
        raise ValueError("identities needs columns record_id and identity_id.")
    new_table, _ = standardise(new)
    old_table, _ = standardise(existing)
    # The model compares its own columns; a column it does not know is left out of the scoring.
    shared = set(new_table.column("unique_id").to_pylist()) & set(old_table.column("unique_id").to_pylist())
    if shared:
        raise ValueError(f"New records reuse existing record ids: {', '.join(sorted(shared)[:5])}.")
    everyone = pa.concat_tables([old_table, new_table])
    with database_api(engine) as api:
        linker = Linker(
            register(api, everyone, "everyone"), model.settings_for(api.sql_dialect.sql_dialect_str), log_level=None
        )
        for column in _TERM_FREQUENCY_COLUMNS:
            if column != "name_key" or {"first_name", "last_name"} <= set(model.columns):
                linker.table_management.compute_tf_table(column)
        old_frame = register(api, old_table, "existing")
        new_frame = register(api, new_table, "new")
        floor = min(cut, REVIEW_FLOOR)
        between = linker.inference.predict_between(
            old_frame, new_frame, threshold_match_probability=floor, warning_mode="never"
        )
        within = linker.inference.predict_within(new_frame, threshold_match_probability=floor, warning_mode="never")
        pairs = pa.concat_tables([to_arrow(between), to_arrow(within)], promote_options="permissive")
    predictions = explain(pairs, model)
    identity_of = dict(
        zip(
            (str(v) for v in known.column("record_id").to_pylist()),
            (str(v) for v in known.column("identity_id").to_pylist()),
            strict=True,
        )
    )
    return IncrementalResult(
        assignments=_assign(new_table.column("unique_id").to_pylist(), predictions, identity_of, cut),
        predictions=predictions,
    )


def _assign(  # noqa: C901 (one pass of union-find then assignment; splitting it hides the logic)
    new_ids: list[str], predictions: pa.Table, identity_of: dict[str, str], cut: float
) -> pa.Table:
    # A handful of new records: a union-find in Python is clearer than SQL and fast enough.
    parent = {record: record for record in new_ids}

    def root(record: str) -> str:
        while parent[record] != record:
            parent[record] = parent[parent[record]]
            record = parent[record]
        return record

    links: dict[str, dict[str, float]] = {record: {} for record in new_ids}
    best: dict[str, float] = {}
    for row in predictions.to_pylist():
        left, right, probability = str(row["record_id_l"]), str(row["record_id_r"]), float(row["match_probability"])
        if probability < cut or row.get("held_reason"):
            continue  # below the threshold, or held back (twins, father and son): never linked automatically
        for record in (left, right):
            if record in parent:
                best[record] = max(best.get(record, 0.0), probability)
        if left in parent and right in parent:
            parent[root(left)] = root(right)
        else:
            new_record, old_record = (left, right) if left in parent else (right, left)
            identity = identity_of.get(old_record, old_record)
            links[new_record][identity] = max(links[new_record].get(identity, 0.0), probability)
    groups: dict[str, list[str]] = {}
    for record in new_ids:
        groups.setdefault(root(record), []).append(record)
    rows: list[dict[str, object]] = []
    for members in groups.values():
        candidates: dict[str, float] = {}
        for record in members:
            for identity, probability in links[record].items():
                candidates[identity] = max(candidates.get(identity, 0.0), probability)
        ranked = sorted(candidates, key=lambda identity: (-candidates[identity], identity))
        identity = ranked[0] if ranked else min(members)
        for record in members:
            rows.append(
                {
                    "record_id": record,
                    "identity_id": identity,
                    "is_new_identity": not ranked,
                    "best_match_probability": best.get(record),
                    "other_identity_ids": ranked[1:],
                }
            )
    order = {record: position for position, record in enumerate(new_ids)}
    rows.sort(key=lambda row: order[str(row["record_id"])])
    schema = pa.schema(
        [
            ("record_id", pa.string()),
            ("identity_id", pa.string()),
            ("is_new_identity", pa.bool_()),
            ("best_match_probability", pa.float64()),
            ("other_identity_ids", pa.list_(pa.string())),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)
