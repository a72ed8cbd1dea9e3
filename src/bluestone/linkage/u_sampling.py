"""u probabilities from random pairs, every comparison in one pass over the pairs (DuckDB).

Splink's `estimate_u_using_random_sampling` makes the sampled pairs once per comparison, each time in a
pipeline of its own (pairs, comparison vectors, a dummy prediction, counts). Here the pairs are made once and
every comparison's level computed in the same pass, then counted per comparison. The sample (Splink's
sampling SQL and seed), the pairs and so the counts are Splink's: every u is the same.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from splink import Linker
from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT
from splink.internals.estimate_u import _rows_needed_for_n_pairs
from splink.internals.m_u_records_to_parameters import append_u_probability_to_comparison_level_trained_probabilities
from splink.internals.pipeline import CTEPipeline
from splink.internals.unique_id_concat import _composite_unique_id_from_nodes_sql
from splink.internals.vertically_concatenate import enqueue_df_concat

TRAINING_DESCRIPTION = "estimate u by random sampling"
"""Splink's own label for u from random pairs, so the saved model reads the same."""


def estimate_u_in_one_pass(linker: Linker, *, max_pairs: float, seed: int) -> None:
    """Set the linker's u probabilities from about `max_pairs` random pairs, as Splink's
    `estimate_u_using_random_sampling(max_pairs=..., seed=..., num_chunks=1, min_count_per_level=None)`
    would (a dedupe linker on DuckDB)."""
    settings = linker._settings_obj
    db_api = linker._db_api
    pipeline = enqueue_df_concat(linker, CTEPipeline())
    pipeline.enqueue_sql("SELECT count(*) AS count FROM __splink__df_concat", "__splink__df_concat_count")
    counted = db_api.sql_pipeline_to_splink_dataframe(pipeline)
    total = int(counted.as_record_list()[0]["count"])
    counted.drop_table_from_database_and_remove_from_cache()
    proportion = min(1.0, _rows_needed_for_n_pairs(max_pairs) / total)
    uid_columns = settings.column_info_settings.unique_id_input_columns
    pipeline = enqueue_df_concat(linker, CTEPipeline())
    sample_filter = linker._proportion_sample_sql(proportion, uid_columns, seed=seed)
    pipeline.enqueue_sql(
        f"SELECT * FROM __splink__df_concat WHERE 1=1 {sample_filter}",  # noqa: S608 (Splink's sampling SQL)
        "__splink__df_concat_sample",
    )
    sample = db_api.sql_pipeline_to_splink_dataframe(pipeline)
    try:
        for comparison, counts in _level_counts(db_api, sample, settings.comparisons, uid_columns).items():
            _append_u(comparison, counts)
    finally:
        sample.drop_table_from_database_and_remove_from_cache()
    linker._populate_m_u_from_trained_values()


def _level_counts(
    db_api: Any, sample: Any, comparisons: list[Any], uid_columns: list[Any]
) -> dict[Any, dict[int, int]]:
    """Pairs of the sample per level of each comparison (their null levels left out later, as Splink does)."""
    # Term frequencies play no part in u, and their columns are not in the sample.
    plain, values = comparisons_without_tf(comparisons)
    uid_l = _composite_unique_id_from_nodes_sql(uid_columns, "l")
    uid_r = _composite_unique_id_from_nodes_sql(uid_columns, "r")
    table = sample.physical_name
    pipeline = CTEPipeline([sample])
    # S608: the SQL is Splink's own, from the model's comparisons.
    pipeline.enqueue_sql(
        f"SELECT {values} FROM {table} AS l JOIN {table} AS r ON {uid_l} < {uid_r}",  # noqa: S608
        "__bluestone_u_pairs",
    )
    cases = ", ".join(c._case_statement for c in plain)
    pipeline.enqueue_sql(f"SELECT {cases} FROM __bluestone_u_pairs", "__bluestone_u_levels")  # noqa: S608
    counted = " UNION ALL ".join(
        f"SELECT {i} AS comparison, {c._gamma_column_name} AS level, count(*) AS pairs "  # noqa: S608
        f"FROM __bluestone_u_levels GROUP BY {c._gamma_column_name}"
        for i, c in enumerate(plain)
    )
    pipeline.enqueue_sql(counted, "__bluestone_u_counts")
    result = db_api.sql_pipeline_to_splink_dataframe(pipeline)
    try:
        rows = result.as_record_list()
    finally:
        result.drop_table_from_database_and_remove_from_cache()
    counts: dict[Any, dict[int, int]] = {comparison: {} for comparison in comparisons}
    for row in rows:
        counts[comparisons[int(row["comparison"])]][int(row["level"])] = int(row["pairs"])
    return counts


def comparisons_without_tf(comparisons: list[Any]) -> tuple[list[Any], str]:
    """Copies of the comparisons with no term-frequency adjustment, and the columns (both sides) their
    levels read, as one SQL select list. u and the EM sessions' vectors are computed without term
    frequencies, as Splink computes them."""
    plain = []
    for comparison in comparisons:
        copy = deepcopy(comparison)
        for level in copy.comparison_levels:
            level._tf_adjustment_column = None
        plain.append(copy)
    values = ", ".join(dict.fromkeys(column for c in plain for column in c._columns_to_select_for_blocking()))
    return plain, values


def _append_u(comparison: Any, counts: dict[int, int]) -> None:
    levels = comparison._comparison_levels_excluding_null
    total = sum(counts.get(level.comparison_vector_value, 0) for level in levels)
    lookup: dict[str, dict[int, Any]] = {comparison.output_column_name: {}}
    for level in levels:
        pairs = counts.get(level.comparison_vector_value, 0)
        # A level no sampled pair reached is "not observed", as in Splink, not a u of 0.
        u = pairs / total if pairs else LEVEL_NOT_OBSERVED_TEXT
        lookup[comparison.output_column_name][level.comparison_vector_value] = {"u_probability": u}
    for level in levels:
        append_u_probability_to_comparison_level_trained_probabilities(
            level, lookup, comparison.output_column_name, TRAINING_DESCRIPTION
        )
