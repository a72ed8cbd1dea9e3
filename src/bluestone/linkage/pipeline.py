"""The linkage run: standardise, train (or load) the model, predict pairs, cluster into identities."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa
from splink import Linker

from bluestone.linkage.engines import check_engine, database_api, register, to_arrow
from bluestone.linkage.model import (
    DEFAULT_THRESHOLD,
    Engine,
    LinkageModel,
    TrainingConfig,
    check_threshold,
    settings_creator,
    train_linker,
)
from bluestone.linkage.standardise import ParseIssues, standardise

Progress = Callable[[str], None]
"""Called with each stage's name as it starts: standardising, training, predicting, clustering."""

# Pairs at or above this probability are kept in the predictions even below the clustering threshold,
# so reviewers see the near misses as well as the matches.
REVIEW_FLOOR = 0.5


@dataclass(frozen=True)
class LinkageSummary:
    """Counts describing a linkage run."""

    records: int
    identities: int
    records_in_shared_identities: int
    """Records whose identity holds more than one record (the repeat appearances)."""
    pairs_kept: int
    """Scored pairs at or above min(threshold, REVIEW_FLOOR): the rows of `predictions`."""
    pairs_matched: int
    """Scored pairs at or above the threshold: the edges clustered into identities."""
    threshold: float
    engine: Engine
    parse_issues: ParseIssues = field(default_factory=ParseIssues)


@dataclass(frozen=True)
class LinkageResult:
    """The outcome of `link_records`.

    Attributes:
        identities: one row per input record, in input order: `record_id`, `identity_id` (the smallest
            record id in the identity, so stable across engines) and `identity_size`.
        predictions: the scored record pairs kept (see `LinkageSummary.pairs_kept`): `record_id_l`,
            `record_id_r`, `match_probability`, `match_weight` and `mw_<comparison>`, the match weight
            (log2 Bayes factor, term-frequency adjusted) each comparison contributed: the explanation.
        summary: the counts.
        model: the model used (trained on these records unless one was given).
    """

    identities: pa.Table
    predictions: pa.Table
    summary: LinkageSummary
    model: LinkageModel


def _notify(progress: Progress | None, stage: str) -> None:
    if progress is not None:
        progress(stage)


def train_model(
    records: pa.Table | pd.DataFrame,
    *,
    engine: Engine = "duckdb",
    threshold: float = DEFAULT_THRESHOLD,
    config: TrainingConfig | None = None,
) -> LinkageModel:
    """Train a linkage model on person records, without linking them.

    The prior match probability comes from near-certain rules, u probabilities from random pairs, and
    m probabilities from expectation maximisation over several blocking rules (`model.py`).

    Args:
        records: person records (contract columns; only `record_id` is required).
        engine: "duckdb" (default) or "spark".
        threshold: the match probability the model recommends for clustering.
        config: sampling sizes and seed (defaults: `TrainingConfig()`).

    Returns:
        The trained model; `save()` it to reuse it.

    Raises:
        ValueError: bad arguments or records without unique `record_id`s.

    Example:
        >>> model = train_model(records, engine="duckdb")  # doctest: +SKIP
        >>> model.save("force-model.json")  # doctest: +SKIP
    """
    check_engine(engine)
    check_threshold(threshold)
    table, _issues = standardise(records)
    with database_api(engine) as api:
        linker = Linker(register(api, table, "persons"), settings_creator(), log_level=None)
        return _train(linker, table.num_rows, engine, threshold, config or TrainingConfig())


def _train(linker: Linker, records: int, engine: Engine, threshold: float, config: TrainingConfig) -> LinkageModel:
    train_linker(linker, config)
    settings = linker.misc.save_model_to_json()
    return LinkageModel(
        splink_settings=settings,
        threshold=threshold,
        trained_on={"records": records, "engine": engine, "seed": config.seed},
    )


def link_records(
    records: pa.Table | pd.DataFrame,
    *,
    engine: Engine = "duckdb",
    threshold: float | None = None,
    model: LinkageModel | None = None,
    config: TrainingConfig | None = None,
    progress: Progress | None = None,
) -> LinkageResult:
    """Resolve person records into identities: which records are the same person.

    Args:
        records: person records, columns `record_id` (required, unique), `first_name`, `middle_names`,
            `last_name`, `date_of_birth`, `gender`, `address`, `postcode`, `phone`, `email`, `identifier`.
            Unparseable values are treated as missing and reported in `summary.parse_issues`.
        engine: "duckdb" (default, in-process) or "spark" (local Spark here, a cluster at national scale).
        threshold: match probability at or above which two records are the same person; defaults to the
            model's threshold (`DEFAULT_THRESHOLD` for a new model).
        model: a trained model to use; when None, one is trained on `records` (see `train_model`).
        config: training sizes and seed, when a model is trained here.
        progress: called with the name of each stage as it starts.

    Returns:
        Identities, explained pairwise predictions, counts and the model.

    Raises:
        ValueError: an unknown engine, a threshold outside (0, 1), records that are not a table, or records
            without a `record_id` column or with empty or duplicate ids.

    Example:
        >>> import pyarrow as pa
        >>> result = link_records(pa.table({"record_id": ["a", "b"], "first_name": ["Jo", "Jo"]}))  # doctest: +SKIP
        >>> result.identities.column_names  # doctest: +SKIP
        ['record_id', 'identity_id', 'identity_size']
    """
    check_engine(engine)
    if threshold is not None:
        check_threshold(threshold)
    if model is not None and not isinstance(model, LinkageModel):
        raise ValueError(f"model must be a LinkageModel (see LinkageModel.load), not {type(model).__name__}.")
    _notify(progress, "standardising")
    table, issues = standardise(records)
    with database_api(engine) as api:
        persons = register(api, table, "persons")
        dialect = api.sql_dialect.sql_dialect_str
        if model is None:
            _notify(progress, "training")
            linker = Linker(persons, settings_creator(), log_level=None)
            model = _train(linker, table.num_rows, engine, threshold or DEFAULT_THRESHOLD, config or TrainingConfig())
        else:
            linker = Linker(persons, model.settings_for(dialect), log_level=None)
        cut = threshold if threshold is not None else model.threshold
        _notify(progress, "predicting")
        predicted = linker.inference.predict(threshold_match_probability=min(cut, REVIEW_FLOOR), warning_mode="never")
        _notify(progress, "clustering")
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predicted, threshold_match_probability=cut
        )
        predictions = to_arrow(predicted)
        clusters = to_arrow(clustered).select(["cluster_id", "unique_id"])
    identities = _identities(table.column("unique_id"), clusters)
    explained = explain(predictions, model)
    matched = pa.compute.sum(pa.compute.greater_equal(explained.column("match_probability"), cut)).as_py() or 0
    sizes = identities.column("identity_size")
    summary = LinkageSummary(
        records=table.num_rows,
        identities=len(pa.compute.unique(identities.column("identity_id"))),
        records_in_shared_identities=pa.compute.sum(pa.compute.greater(sizes, 1)).as_py() or 0,
        pairs_kept=explained.num_rows,
        pairs_matched=int(matched),
        threshold=cut,
        engine=engine,
        parse_issues=issues,
    )
    return LinkageResult(identities=identities, predictions=explained, summary=summary, model=model)


def _identities(record_ids: pa.ChunkedArray, clusters: pa.Table) -> pa.Table:
    con = duckdb.connect()
    try:
        con.register("records", pa.table({"record_id": record_ids, "position": pa.array(range(len(record_ids)))}))
        con.register("clusters", clusters)
        return con.sql(
            """
            WITH identity AS (
                SELECT unique_id, min(unique_id) OVER w AS identity_id, count(*) OVER w AS identity_size
                FROM clusters WINDOW w AS (PARTITION BY cluster_id)
            )
            SELECT r.record_id, coalesce(i.identity_id, r.record_id) AS identity_id,
                   CAST(coalesce(i.identity_size, 1) AS BIGINT) AS identity_size
            FROM records AS r LEFT JOIN identity AS i ON i.unique_id = r.record_id
            ORDER BY r.position
            """
        ).to_arrow_table()
    finally:
        con.close()


def comparison_names(model: LinkageModel) -> list[str]:
    return [str(c["output_column_name"]) for c in model.splink_settings["comparisons"]]


def explain(predictions: pa.Table, model: LinkageModel) -> pa.Table:
    """Pairwise predictions reduced to the explanation: probability, prior and per-comparison match weights.

    A comparison's match weight is log2 of its Bayes factor, term-frequency adjustment included: +3 means
    that comparison made the pair 8 times likelier to be a match; -3, 8 times less likely. The prior
    (`mw_prior`, from the probability that two random records match) plus the comparisons' weights is
    `match_weight`, and `match_probability = 2**match_weight / (1 + 2**match_weight)`.
    """
    columns = set(predictions.column_names)
    weights = []
    for name in comparison_names(model):
        adjustment = f" + coalesce(mw_tf_adj_{name}, 0.0)" if f"mw_tf_adj_{name}" in columns else ""
        weights.append(f"mw_{name}{adjustment} AS mw_{name}")
    prior = model.probability_two_random_records_match
    prior_weight = math.log2(prior / (1 - prior))
    con = duckdb.connect()
    try:
        con.register("predictions", predictions)
        # S608: the SQL is assembled from the model's own comparison names and a float, never from input.
        return con.sql(
            f"""
            SELECT unique_id_l AS record_id_l, unique_id_r AS record_id_r, match_probability, match_weight,
                   CAST({prior_weight!r} AS DOUBLE) AS mw_prior, {", ".join(weights)}, match_key
            FROM predictions ORDER BY match_probability DESC, record_id_l, record_id_r
            """  # noqa: S608
        ).to_arrow_table()
    finally:
        con.close()
