"""An expectation-maximisation session whose comparison vectors are made in one query (DuckDB).

Splink's `estimate_parameters_using_expectation_maximisation` makes a session's pairs in one query (the
rule's join, with its sample of records), stores their ids, then joins the ids back to the records, twice, to
compute the comparison vectors in a second query. Here the vectors are computed in the join that makes the
pairs. The session itself is Splink's (its sample threshold, from Splink's probe; its comparisons; its EM
iterations), and the pairs are the same (the same rule, the same `l < r` and sample conditions), so the
comparison vectors and every m are the same.
"""

from __future__ import annotations

from typing import Any

from splink import Linker
from splink.internals.blocking import BlockingRule, _sql_gen_where_condition
from splink.internals.blocking_rule_creator_utils import to_blocking_rule_creator
from splink.internals.em_training_session import EMTrainingSession
from splink.internals.pipeline import CTEPipeline
from splink.internals.unique_id_concat import _composite_unique_id_from_nodes_sql
from splink.internals.vertically_concatenate import enqueue_df_concat

from bluestone.linkage.u_sampling import comparisons_without_tf


def estimate_m_in_one_query(linker: Linker, blocking_rule: Any, *, max_pairs: float | None) -> EMTrainingSession:
    """One EM session on the pairs of `blocking_rule`, as Splink's
    `estimate_parameters_using_expectation_maximisation(blocking_rule, estimate_without_term_frequencies=True,
    max_pairs=max_pairs)` would run it (a dedupe linker on DuckDB)."""
    settings = linker._settings_obj
    rule = to_blocking_rule_creator(blocking_rule).get_blocking_rule(linker._sql_dialect_str)
    if not isinstance(rule, BlockingRule):
        raise TypeError("EM blocking rules must be plain blocking rules.")
    # The session trims the linker's comparisons to those it estimates (as in Splink) and returns them all.
    session = EMTrainingSession(
        linker,
        db_api=linker._db_api,
        blocking_rule_for_training=rule,
        core_model_settings=settings.core_model_settings,
        training_settings=settings.training_settings,
        unique_id_input_columns=settings.column_info_settings.unique_id_input_columns,
        # Splink's defaults for a session started from the linker: u stays as estimated from random pairs.
        fix_u_probabilities=True,
        estimate_without_term_frequencies=True,
        max_pairs=max_pairs,
        probe_proportion=0.01,
    )
    session._ensure_em_sampling_settings()
    vectors = _comparison_vectors(linker, session, rule)
    try:
        settings.core_model_settings = session._train(vectors)
    finally:
        vectors.drop_table_from_database_and_remove_from_cache()
    linker._em_training_sessions.append(session)
    linker._populate_m_u_from_trained_values()
    return session


def _comparison_vectors(linker: Linker, session: EMTrainingSession, rule: BlockingRule) -> Any:
    settings = linker._settings_obj
    uid_columns = settings.column_info_settings.unique_id_input_columns
    where = _sql_gen_where_condition(
        settings._link_type,
        uid_columns,
        sql_dialect=rule.sql_dialect,
        sample_threshold=session._sample_threshold,
        sample_modulus=session._sample_modulus,
    )
    # The session estimates without term frequencies: their columns play no part in the vectors.
    plain, values = comparisons_without_tf(session.core_model_settings.comparisons)
    uid_l = _composite_unique_id_from_nodes_sql(uid_columns, "l")
    uid_r = _composite_unique_id_from_nodes_sql(uid_columns, "r")
    pipeline = enqueue_df_concat(linker, CTEPipeline())
    # S608: the SQL is Splink's own, from the model's rule and comparisons.
    pipeline.enqueue_sql(
        f"SELECT {uid_l} AS unique_id_l, {uid_r} AS unique_id_r, {values} "  # noqa: S608
        f"FROM __splink__df_concat AS l JOIN __splink__df_concat AS r ON ({rule.blocking_rule_sql}) {where}",
        "__bluestone_em_pairs",
    )
    cases = ", ".join(c._case_statement for c in plain)
    pipeline.enqueue_sql(
        f"SELECT unique_id_l, unique_id_r, {cases} FROM __bluestone_em_pairs",  # noqa: S608
        "__splink__df_comparison_vectors",
    )
    return linker._db_api.sql_pipeline_to_splink_dataframe(pipeline)
