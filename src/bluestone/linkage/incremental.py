"""Incremental scoring: a new case's person records against identities already known, with a saved model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
from splink import Linker

from bluestone.linkage.constants import Engine
from bluestone.linkage.engines import check_engine, database_api, register, to_arrow
from bluestone.linkage.model import LinkageModel, check_threshold
from bluestone.linkage.pipeline import REVIEW_FLOOR, explain
from bluestone.linkage.standardising import standardise
from bluestone.linkage.standardising import to_arrow as checked_arrow

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
    predictions = _predict(new_table, old_table, frequencies=None, model=model, cut=cut, engine=engine)
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


def score_against_candidates(
    new: pa.Table,
    candidates: pa.Table,
    term_counts: Mapping[str, tuple[Mapping[str, int], int]],
    identity_of: Mapping[str, str],
    model: LinkageModel,
    *,
    threshold: float | None = None,
) -> IncrementalResult:
    """Match new standardised records to known identities, scoring them only against their candidates.

    The same scoring as `score_new_records` (pairs between the new records and the candidates, and among
    the new records, through the model's blocking rules and comparisons), without reading every known
    record: the candidates are the stored records sharing a blocking key with a new record
    (`bluestone.linkage.keys`), and term frequencies come from counts over every record, so a pair scores
    exactly as it would in a full run over the same records.

    Args:
        new: the new records, standardised (`standardise`); ids must not occur in `candidates`.
        candidates: the stored standardised records sharing a blocking key with a new record.
        term_counts: for each term-frequency column (`first_name`, `last_name`, `name_key`): how many
            records, stored and new, have each value the new records and candidates have, and how many have
            a value at all.
        identity_of: the identity of each candidate in one (a candidate in none stands for itself).
        model: the trained model.
        threshold: match probability for a link; defaults to the model's.

    Returns:
        Each new record's identity, and the explained pairs, as `score_new_records` gives them.

    Raises:
        ValueError: bad arguments, or ids shared between `new` and `candidates`.
    """
    if not isinstance(model, LinkageModel):
        raise ValueError(f"model must be a LinkageModel, not {type(model).__name__}.")
    cut = check_threshold(threshold) if threshold is not None else model.threshold
    shared = set(new.column("unique_id").to_pylist()) & set(candidates.column("unique_id").to_pylist())
    if shared:
        raise ValueError(f"New records reuse existing record ids: {', '.join(sorted(shared)[:5])}.")
    frequencies: dict[str, pa.Table] = {}
    for column in _TERM_FREQUENCY_COLUMNS:
        counts, total = term_counts.get(column, ({}, 0))
        values = [value for value in counts if value is not None]
        frequencies[column] = pa.table(
            {
                column: pa.array(values, pa.string()),
                f"tf_{column}": pa.array([counts[v] / total if total else None for v in values], pa.float64()),
            }
        )
    predictions = _predict(new, candidates, frequencies=frequencies, model=model, cut=cut, engine="duckdb")
    return IncrementalResult(
        assignments=_assign(new.column("unique_id").to_pylist(), predictions, dict(identity_of), cut),
        predictions=predictions,
    )


def _predict(
    new_table: pa.Table,
    old_table: pa.Table,
    *,
    frequencies: dict[str, pa.Table] | None,
    model: LinkageModel,
    cut: float,
    engine: Engine,
) -> pa.Table:
    """Score new-old and new-new pairs; term frequencies from `frequencies`, or from all the records given."""
    everyone = pa.concat_tables([old_table, new_table])
    with database_api(engine) as api:
        # The settings are the model's own, checked when it was trained: not validated again per scoring.
        linker = Linker(
            register(api, everyone, "everyone"),
            model.settings_for(api.sql_dialect.sql_dialect_str),
            log_level=None,
            validate_settings=False,
        )
        for column in _TERM_FREQUENCY_COLUMNS:
            if column != "name_key" or {"first_name", "last_name"} <= set(model.columns):
                if frequencies is None:
                    linker.table_management.compute_tf_table(column)
                else:
                    lookup = register(api, frequencies[column], f"tf_lookup_{column}")
                    linker.table_management.register_term_frequency_lookup(lookup, column)
        old_frame = register(api, old_table, "existing")
        new_frame = register(api, new_table, "new")
        floor = min(cut, REVIEW_FLOOR)
        between = linker.inference.predict_between(
            old_frame, new_frame, threshold_match_probability=floor, warning_mode="never"
        )
        found = [to_arrow(between)]
        if new_table.num_rows > 1:  # a single new record has no pair among the new ones
            within = linker.inference.predict_within(new_frame, threshold_match_probability=floor, warning_mode="never")
            found.append(to_arrow(within))
        pairs = pa.concat_tables(found, promote_options="permissive")
    return explain(pairs, model)


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
