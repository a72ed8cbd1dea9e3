"""The linkage run: standardise, train (or load) the model, predict pairs, cluster into identities."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
from splink import Linker
from splink.internals.exceptions import EMTrainingException
from splink.internals.pipeline import CTEPipeline

from bluestone.linkage.clusters import ClusterPolicy, cluster_records
from bluestone.linkage.constants import DEFAULT_THRESHOLD, Engine
from bluestone.linkage.em_vectors import estimate_m_in_one_query
from bluestone.linkage.engines import check_engine, database_api, register, to_arrow
from bluestone.linkage.guard import Limits, check_counts, count_rules
from bluestone.linkage.model import (
    COLUMN_SET,
    DETERMINISTIC_RECALL,
    DETERMINISTIC_RULES,
    GENERATION_YEARS,
    PREDICTION_RULES,
    TRAINING_RULES,
    LinkageModel,
    Rule,
    TrainingConfig,
    adjust_trained_settings,
    check_threshold,
    comparison_names_for,
    rules_for,
    settings_creator,
)
from bluestone.linkage.standardising import ParseIssues, standardise
from bluestone.linkage.u_sampling import estimate_u_in_one_pass

Progress = Callable[[str], None]
"""Called with each stage's name as it starts: standardising, training, predicting, clustering."""

# Pairs at or above this probability are kept in the predictions even below the clustering threshold,
# so reviewers see the near misses as well as the matches.
REVIEW_FLOOR = 0.5

# An m probability this close to 0 or 1 from one training session is not an estimate but an artefact of
# too few pairs (every pair in one level); the session's values for that comparison are not kept.
DEGENERATE_M = 1e-9

logger = logging.getLogger(__name__)

# The standardised values shown beside each comparison in an explanation.
EXPLAINED_VALUES: dict[str, tuple[str, ...]] = {
    "first_name": ("first_name",),
    "middle_names": ("middle_names",),
    "last_name": ("last_name",),
    "date_of_birth": ("dob",),
    "gender": ("gender",),
    "residence": ("address", "postcode"),
    "phone": ("phone",),
    "email": ("email",),
    "identifier": ("identifier",),
}

HELD_HOUSEHOLD = (
    "Twins, siblings or a couple? The same last name and address, different first names, and no identifier or "
    "email in common"
)
HELD_GENERATION = (
    f"Father and son? The same name and address, born {GENERATION_YEARS} or more years apart or one Jr and one "
    "Sr, and no identifier or email in common"
)


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
    pairs_held: int = 0
    """Pairs at or above the threshold not linked: different first names or a generation apart, with no
    identifier or email in common (`held_reason` in `predictions`); they are left for a person to review."""
    identities_for_review: int = 0
    """Identities marked for review: split because they did not hold together, or larger than allowed."""
    largest_identity: int = 1
    warnings: tuple[str, ...] = ()
    """What the run skipped or assumed (an EM session with no pairs, a default prior), in plain words."""


@dataclass(frozen=True)
class LinkageResult:
    """The outcome of `link_records`.

    Attributes:
        identities: one row per input record, in input order: `record_id`, `identity_id` (the smallest
            record id in the identity, so stable across engines), `identity_size`, and the checks of
            `clusters.cluster_records`: `weakest_link`, `density`, `max_links`, `review`, `review_group`.
        predictions: the scored record pairs kept (see `LinkageSummary.pairs_kept`): `record_id_l`,
            `record_id_r`, `match_probability`, `match_weight`, `held_reason`, and per comparison
            `mw_<comparison>` (its match weight: log2 Bayes factor, term-frequency adjusted),
            `level_<comparison>` (the level's label) and the standardised values compared (`<column>_l`,
            `<column>_r`); `match_key` and `match_rule`, the blocking rule that found the pair.
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


# The contract column behind each standardised column that shows whether the contract column has values.
_PRESENCE = {
    "first_name": "first_name",
    "middle_names": "middle_names",
    "last_name": "last_name",
    "date_of_birth": "dob",
    "gender": "gender",
    "address": "address",
    "postcode": "postcode",
    "phone": "phone",
    "email": "email",
    "identifier": "identifier",
}


def present_columns(table: pa.Table) -> tuple[str, ...]:
    """The contract columns with at least one usable value in standardised records, in contract order."""
    return tuple(
        column
        for column in COLUMN_SET
        if table.num_rows and table.column(_PRESENCE[column]).null_count < table.num_rows
    )


def train_model(
    records: pa.Table | pd.DataFrame,
    *,
    engine: Engine = "duckdb",
    threshold: float = DEFAULT_THRESHOLD,
    config: TrainingConfig | None = None,
    limits: Limits | None = None,
) -> LinkageModel:
    """Train a linkage model on person records, without linking them.

    The prior match probability comes from near-certain rules, u probabilities from random pairs, and
    m probabilities from expectation maximisation over several blocking rules (`model.py`). Only the
    columns with values are compared; a session that finds no pairs is skipped with a warning
    (`model.trained_on["warnings"]`).

    Args:
        records: person records (contract columns; only `record_id` is required).
        engine: "duckdb" (default) or "spark".
        threshold: the match probability the model recommends for clustering.
        config: sampling sizes and seed (defaults: `TrainingConfig()`).
        limits: the ceiling on pairs and DuckDB's memory limit (defaults: `Limits()`).

    Returns:
        The trained model; `save()` it to reuse it.

    Raises:
        ValueError: bad arguments, fewer than two records, or records without unique `record_id`s.

    Example:
        >>> model = train_model(records, engine="duckdb")  # doctest: +SKIP
        >>> model.save("force-model.json")  # doctest: +SKIP
    """
    check_engine(engine)
    check_threshold(threshold)
    table, _issues = standardise(records)
    _check_enough(table)
    limits = limits or Limits()
    columns = present_columns(table)
    with database_api(engine, memory_limit=limits.memory_limit) as api:
        persons = register(api, table, "persons")
        return _train(
            persons, table, columns=columns, engine=engine, threshold=threshold, config=config or TrainingConfig()
        )


def _check_enough(table: pa.Table) -> None:
    if table.num_rows < 2:  # noqa: PLR2004
        raise ValueError(
            f"There {'is' if table.num_rows == 1 else 'are'} {table.num_rows} record(s); linkage needs at least two."
        )


def _train(
    persons: Any,
    table: pa.Table,
    *,
    columns: tuple[str, ...],
    engine: Engine,
    threshold: float,
    config: TrainingConfig,
    pairs: dict[Rule, int] | None = None,
) -> LinkageModel:
    """Train on the registered records; `pairs`: the pairs of each of `_counted_rules(columns)`, if counted."""
    # Splink's settings validation only logs columns missing from the input; these settings are made from
    # the columns the records have (`present_columns`), so it would parse every SQL condition for nothing.
    linker = Linker(persons, settings_creator(columns=columns), log_level=None, validate_settings=False)
    warnings: list[str] = []
    if pairs is None:
        pairs = {c.rule: c.pairs for c in count_rules(table, _counted_rules(columns))}
    deterministic = rules_for(DETERMINISTIC_RULES, columns)
    found = sum(pairs[rule] for rule in deterministic)
    if found:
        linker.training.estimate_probability_two_random_records_match(
            [rule.splink() for rule in deterministic], recall=DETERMINISTIC_RECALL
        )
    else:
        prior = 1 / table.num_rows
        linker._settings_obj._probability_two_random_records_match = prior
        warnings.append(
            "No pairs agree on names and date of birth or on an identifier, so the prior match probability "
            f"was set to 1 in {table.num_rows:,} (one match per record) instead of estimated."
        )
    # One pass over the sampled pairs per comparison (num_chunks=1), not a 1% probe and then up to ten
    # chunks: the rarest levels (a swap, a shared phone) never reach Splink's early-stopping count, so the
    # chunks only repeated the work in eleven queries per comparison; and every u now comes from all the
    # sampled pairs, where a comparison whose levels were all common stopped at the probe's 1%.
    if engine == "duckdb":
        # The same u in one pass over the sampled pairs for every comparison (`u_sampling`).
        estimate_u_in_one_pass(linker, max_pairs=config.u_max_pairs, seed=config.seed)
    else:
        linker.training.estimate_u_using_random_sampling(max_pairs=config.u_max_pairs, seed=config.seed, num_chunks=1)
    estimated: set[str] = set()
    names = comparison_names_for(columns)
    for rule in rules_for(TRAINING_RULES, columns):
        covers = {name for name in names if not _uses(name, rule.needs)}
        if not covers:
            continue  # the rule uses every compared column: nothing left for it to estimate
        if rule.meaning == "same identifier" and covers <= estimated:
            continue  # only needed when the other sessions left a comparison untrained
        if not pairs[rule]:
            warnings.append(f"Training on pairs with the {rule.meaning} was skipped: no two records have it.")
            continue
        estimated |= _em_session(linker, rule, covers, config, warnings, engine=engine)
    untrained = [name for name in names if name not in estimated]
    if untrained:
        warnings.append(
            "These comparisons kept their starting m probabilities (no training session could estimate them): "
            + ", ".join(untrained)
            + "."
        )
    for warning in warnings:
        logger.warning("%s", warning)
    settings = adjust_trained_settings(
        linker.misc.save_model_to_json(), u_max_pairs=config.u_max_pairs, presence=_presence(table, names)
    )
    return LinkageModel(
        splink_settings=settings,
        threshold=threshold,
        trained_on={
            "records": table.num_rows,
            "engine": engine,
            "seed": config.seed,
            "warnings": warnings,
        },
        columns=columns,
    )


def _counted_rules(columns: tuple[str, ...]) -> list[Rule]:
    """The rules whose pairs training counts (near-certain ones for the prior, the sessions'), each once."""
    return list(dict.fromkeys([*rules_for(DETERMINISTIC_RULES, columns), *rules_for(TRAINING_RULES, columns)]))


def _em_session(
    linker: Linker, rule: Any, covers: set[str], config: TrainingConfig, warnings: list[str], *, engine: Engine
) -> set[str]:
    """One expectation-maximisation session; returns the comparisons it estimated (degenerate ones left out)."""
    # Splink trims the linker's own comparisons while a session runs; a session that fails must not
    # leave the model without them, so the settings before it are put back.
    before = linker._settings_obj.core_model_settings.copy()
    try:
        if engine == "duckdb":
            # The same session with its comparison vectors made in the join that finds its pairs (`em_vectors`).
            session = estimate_m_in_one_query(linker, rule.splink(), max_pairs=config.em_max_pairs)
        else:
            session = linker.training.estimate_parameters_using_expectation_maximisation(
                rule.splink(), estimate_without_term_frequencies=True, max_pairs=config.em_max_pairs
            )
    except EMTrainingException:
        linker._settings_obj.core_model_settings = before
        warnings.append(f"Training on pairs with the {rule.meaning} was skipped: it found no pairs to learn from.")
        return set()
    except (ValueError, ZeroDivisionError) as error:
        # Splink refuses an m of exactly 0, and a probability of 0 or 1 has no match weight: on a few pairs
        # an iteration can reach either. The arguments are the same in every session, so this is the data.
        linker._settings_obj.core_model_settings = before
        warnings.append(
            f"Training on pairs with the {rule.meaning} was skipped: its estimate was degenerate ({error}), so "
            + ", ".join(sorted(covers))
            + " kept their previous m probabilities."
        )
        return set()
    described = f"EM, blocked on: {session._blocking_rule_for_training.blocking_rule_sql}"
    for name in sorted(covers):
        if _degenerate(linker, name, described):
            _withdraw(linker, before, name, described)
            covers = covers - {name}
            warnings.append(
                f"Training on pairs with the {rule.meaning} gave a degenerate estimate for {name} (an m "
                "probability of 0 or 1), so it kept its previous m probabilities."
            )
    return covers


def _session_m(level: Any, described: str) -> list[float]:
    return [
        float(entry["probability"])
        for entry in level._trained_m_probabilities
        if entry["description"] == described and isinstance(entry["probability"], int | float)
    ]


def _degenerate(linker: Linker, name: str, described: str) -> bool:
    """Whether a training session estimated an m probability of (nearly) 0 or 1 for a level of a comparison.

    That happens on small files: the session's pairs all fall in one level, so the others get nothing.
    """
    comparison = linker._settings_obj.core_model_settings.get_comparison_by_output_column_name(name)
    values = [m for level in comparison._comparison_levels_excluding_null for m in _session_m(level, described)]
    return any(m < DEGENERATE_M or m > 1 - DEGENERATE_M for m in values)


def _withdraw(linker: Linker, before: Any, name: str, described: str) -> None:
    """Forget one session's estimates for a comparison: its m probabilities return to the other sessions'
    median, or to what they were before the session."""
    comparison = linker._settings_obj.core_model_settings.get_comparison_by_output_column_name(name)
    previous = before.get_comparison_by_output_column_name(name)
    for level in comparison._comparison_levels_excluding_null:
        level._trained_m_probabilities = [
            entry for entry in level._trained_m_probabilities if entry["description"] != described
        ]
        if level._has_estimated_m_values:
            level.m_probability = level._trained_m_median
        else:
            earlier = previous._get_comparison_level_by_comparison_vector_value(level.comparison_vector_value)
            level.m_probability = earlier.m_probability


def _presence(table: pa.Table, names: list[str]) -> dict[str, float]:
    """Per comparison, the share of records with a value in any of its columns."""
    from bluestone.linkage.model import COMPARISON_INPUTS  # noqa: PLC0415

    shares = {}
    for name in names:
        columns = [_PRESENCE[c] for c in COMPARISON_INPUTS[name]]
        present = pa.compute.is_valid(table.column(columns[0]))
        for column in columns[1:]:
            present = pa.compute.or_(present, pa.compute.is_valid(table.column(column)))
        shares[name] = (pa.compute.sum(present).as_py() or 0) / max(table.num_rows, 1)
    return shares


def _uses(comparison: str, needs: tuple[str, ...]) -> bool:
    from bluestone.linkage.model import COMPARISON_INPUTS  # noqa: PLC0415

    return bool(set(COMPARISON_INPUTS[comparison]) & set(needs))


def link_records(
    records: pa.Table | pd.DataFrame,
    *,
    engine: Engine = "duckdb",
    threshold: float | None = None,
    model: LinkageModel | None = None,
    config: TrainingConfig | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
    policy: ClusterPolicy | None = None,
) -> LinkageResult:
    """Resolve person records into identities: which records are the same person.

    Args:
        records: person records, columns `record_id` (required, unique), `first_name`, `middle_names`,
            `last_name`, `date_of_birth`, `gender`, `address`, `postcode`, `phone`, `email`, `identifier`.
            Unparseable values are treated as missing and reported in `summary.parse_issues`.
        engine: "duckdb" (default, in-process) or "spark" (local Spark here, a cluster at national scale).
        threshold: match probability at or above which two records are the same person; defaults to the
            model's threshold (`DEFAULT_THRESHOLD` for a new model).
        model: a trained model to use; when None, one is trained on `records` (see `train_model`). It must
            fit the records' columns (`LinkageModel.fits`).
        config: training sizes and seed, when a model is trained here.
        progress: called with the name of each stage as it starts.
        limits: the ceiling on pairs scored and DuckDB's memory limit (defaults: `Limits()`).
        policy: how identities are checked after clustering (defaults: `ClusterPolicy()`).

    Returns:
        Identities, explained pairwise predictions, counts and the model.

    Raises:
        ValueError: an unknown engine, a threshold outside (0, 1), records that are not a table, fewer
            than two records, records without a `record_id` column or with empty or duplicate ids, or a
            model trained on other columns.
        TooManyComparisons: (a ValueError) the blocking rules would score more pairs than `limits` allow.

    Example:
        >>> import pyarrow as pa
        >>> result = link_records(pa.table({"record_id": ["a", "b"], "first_name": ["Jo", "Jo"]}))  # doctest: +SKIP
        >>> result.identities.column_names[:3]  # doctest: +SKIP
        ['record_id', 'identity_id', 'identity_size']
    """
    check_engine(engine)
    if threshold is not None:
        check_threshold(threshold)
    if model is not None and not isinstance(model, LinkageModel):
        raise ValueError(f"model must be a LinkageModel (see LinkageModel.load), not {type(model).__name__}.")
    limits = limits or Limits()
    policy = policy or ClusterPolicy()
    _notify(progress, "standardising")
    table, issues = standardise(records)
    _check_enough(table)
    columns = present_columns(table)
    if model is not None and not model.fits(columns):
        raise ModelDoesNotFit(
            f"The model was trained on records with the columns {', '.join(model.columns) or 'none'}; these records "
            f"have values in {', '.join(columns) or 'none'}. Retrain the model on records like these."
        )
    used = model.columns if model is not None else columns
    # The guard's counts and the training's in one pass over the records.
    predicting = rules_for(PREDICTION_RULES, used)
    training = _counted_rules(columns) if model is None else []
    counts = count_rules(table, list(dict.fromkeys([*predicting, *training])))
    check_counts([c for c in counts if c.rule in set(predicting)], limits)
    with database_api(engine, memory_limit=limits.memory_limit) as api:
        persons = register(api, table, "persons")
        if model is None:
            _notify(progress, "training")
            model = _train(
                persons,
                table,
                columns=columns,
                engine=engine,
                threshold=threshold or DEFAULT_THRESHOLD,
                config=config or TrainingConfig(),
                pairs={c.rule: c.pairs for c in counts},
            )
        cut = threshold if threshold is not None else model.threshold
        _notify(progress, "predicting")
        explained = _predict_explained(api, persons, model, min(cut, REVIEW_FLOOR))
    _notify(progress, "clustering")
    held = pa.compute.is_valid(explained.column("held_reason"))
    strong = pa.compute.and_(
        pa.compute.greater_equal(explained.column("match_probability"), cut), pa.compute.invert(held)
    )
    edges_table = explained.filter(strong).select(["record_id_l", "record_id_r", "match_probability"])
    edges = list(
        zip(
            edges_table.column("record_id_l").to_pylist(),
            edges_table.column("record_id_r").to_pylist(),
            edges_table.column("match_probability").to_pylist(),
            strict=True,
        )
    )
    held_pairs = explained.filter(held).select(["record_id_l", "record_id_r"])
    apart = list(
        zip(held_pairs.column("record_id_l").to_pylist(), held_pairs.column("record_id_r").to_pylist(), strict=True)
    )
    identities = cluster_records(table.column("unique_id").to_pylist(), edges, policy, apart=apart)
    sizes = identities.column("identity_size")
    held_above = pa.compute.and_(held, pa.compute.greater_equal(explained.column("match_probability"), cut))
    review_ids = identities.filter(pa.compute.is_valid(identities.column("review"))).column("identity_id")
    summary = LinkageSummary(
        records=table.num_rows,
        identities=len(pa.compute.unique(identities.column("identity_id"))),
        records_in_shared_identities=pa.compute.sum(pa.compute.greater(sizes, 1)).as_py() or 0,
        pairs_kept=explained.num_rows,
        pairs_matched=len(edges),
        threshold=cut,
        engine=engine,
        parse_issues=issues,
        pairs_held=pa.compute.sum(held_above).as_py() or 0,
        identities_for_review=len(pa.compute.unique(review_ids)),
        largest_identity=pa.compute.max(sizes).as_py() or 1,
        warnings=tuple(model.trained_on.get("warnings", ())),
    )
    return LinkageResult(identities=identities, predictions=explained, summary=summary, model=model)


def _predict_explained(api: Any, persons: Any, model: LinkageModel, floor: float) -> pa.Table:
    """Score the blocked pairs at or above `floor` and explain them (`explain`)."""
    dialect = api.sql_dialect.sql_dialect_str
    settings = model.settings_for(dialect)
    # No settings validation: the model fits these records' columns (`LinkageModel.fits`, checked by the caller).
    linker = Linker(persons, settings, log_level=None, validate_settings=False)
    if dialect == "duckdb":
        rules = [str(rule["blocking_rule"]) for rule in settings["blocking_rules_to_generate_predictions"]]
        linker.table_management.register_blocked_pairs_for_predict(_blocked_pairs(api, persons, rules))
    predicted = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
    if dialect != "duckdb":
        return explain(to_arrow(predicted), model)
    # Explained where the pairs are: only the explanation's columns come out of DuckDB.
    relation = predicted.as_duckdbpyrelation()
    query = relation.query("predictions", explain_sql(set(relation.columns), model))
    if query is None:  # a SELECT always gives a relation
        raise RuntimeError("DuckDB returned no result for the explanation query.")
    return query.to_arrow_table()


def _blocked_pairs(api: Any, persons: Any, rules: list[str]) -> Any:
    """The pairs Splink's predict would score, each with the first rule that finds it (its match key).

    Splink finds them rule by rule, each rule's join leaving out the pairs every earlier rule found by
    evaluating those rules again (the sixteenth rule's join re-checks fifteen conditions on every pair it
    makes). Here each rule's join is made once and the pairs grouped, keeping the lowest rule: the same pairs
    and match keys, in about 0.6 of the CPU time at 100,000 records.
    """
    table = persons.physical_name
    joins = " UNION ALL ".join(
        f"SELECT {i} AS rule, l.unique_id AS join_key_l, r.unique_id AS join_key_r "  # noqa: S608 (the model's rules)
        f"FROM {table} AS l JOIN {table} AS r ON {rule} WHERE l.unique_id < r.unique_id"
        for i, rule in enumerate(rules)
    )
    pipeline = CTEPipeline([persons])
    pipeline.enqueue_sql(
        "SELECT CAST(min(rule) AS VARCHAR) AS match_key, join_key_l, join_key_r "  # noqa: S608 (as above)
        f"FROM ({joins}) GROUP BY join_key_l, join_key_r",
        "__bluestone_blocked_pairs",
    )
    return api.sql_pipeline_to_splink_dataframe(pipeline)


class ModelDoesNotFit(ValueError):  # noqa: N818 (reads as the error it is)
    """The model was trained on records with other columns than these."""


def comparison_names(model: LinkageModel) -> list[str]:
    return [str(c["output_column_name"]) for c in model.splink_settings["comparisons"]]


def rule_meanings(model: LinkageModel) -> list[str]:
    """What each match key means: the blocking rules of this model, in order (match key "0" is the first)."""
    return [rule.meaning for rule in rules_for(PREDICTION_RULES, model.columns)]


def _held_sql(columns: set[str]) -> str:
    """SQL for `held_reason`: why a pair is not linked whatever its probability (see `HELD_*`).

    Twins and other members of one household: the same address (the postcode where there is no address)
    and last name, different first names (not a nickname, initial, typo or the other's middle name).
    Father and son: first and last names alike and the same address, dates of birth a generation apart or
    one record "Jr" and the other "Sr". Either is linked only on strong evidence: the same email, or the
    same identifier (or one character apart). Clustering then keeps the two records apart through any third record too.
    """
    strong = []
    if "identifier_l" in columns:
        strong.append("identifier_l = identifier_r OR levenshtein(identifier_l, identifier_r) <= 1")
    if "email_l" in columns:
        strong.append("email_l = email_r")
    # At home: the same address where addresses are compared, else the same postcode.
    home = [f"{c}_l = {c}_r" for c in ("address", "postcode") if f"{c}_l" in columns][:1]
    conditions = []
    names = {"first_name_l", "last_name_l", "gamma_first_name"} <= columns
    last_alike = "jaro_winkler_similarity(last_name_l, last_name_r) >= 0.8"
    if home and names:
        known_by_middle = (
            "coalesce(first_name_l = middle_names_r OR middle_names_l = first_name_r, false)"
            if "middle_names_l" in columns
            else "false"
        )
        household = f"gamma_first_name = 0 AND NOT {known_by_middle} AND {last_alike} AND {home[0]}"
        conditions.append(f"WHEN coalesce({household}, false) THEN '{HELD_HOUSEHOLD}'")
    generation = []
    if "dob_year_l" in columns:
        generation.append(f"abs(CAST(dob_year_l AS INTEGER) - CAST(dob_year_r AS INTEGER)) >= {GENERATION_YEARS}")
    if "name_suffix_l" in columns:
        generation.append("name_suffix_l <> name_suffix_r")
    if home and generation and names:
        father = f"gamma_first_name > 0 AND {last_alike} AND {home[0]} AND ({' OR '.join(generation)})"
        conditions.append(f"WHEN coalesce({father}, false) THEN '{HELD_GENERATION}'")
    if not conditions:
        return "CAST(NULL AS VARCHAR)"
    guard = f"WHEN coalesce({' OR '.join(strong)}, false) THEN NULL " if strong else ""
    return f"CASE {guard}{' '.join(conditions)} END"


def explain(predictions: pa.Table, model: LinkageModel) -> pa.Table:
    """Pairwise predictions reduced to the explanation an analyst reads.

    Per comparison: the match weight (`mw_<comparison>`), the level's label (`level_<comparison>`) and the
    standardised values compared (`<column>_l`, `<column>_r`). A comparison's match weight is log2 of its
    Bayes factor, term-frequency adjustment included: +3 means that comparison made the pair 8 times
    likelier to be a match; -3, 8 times less likely. The prior (`mw_prior`, from the probability that two
    random records match) plus the comparisons' weights is `match_weight`, and
    `match_probability = 2**match_weight / (1 + 2**match_weight)`. `match_rule` says which blocking rule
    found the pair; `held_reason`, why a pair is not linked whatever its probability.
    """
    con = duckdb.connect()
    try:
        con.register("predictions", predictions)
        return con.sql(explain_sql(set(predictions.column_names), model)).to_arrow_table()
    finally:
        con.close()


def explain_sql(columns: set[str], model: LinkageModel) -> str:
    """The SELECT of `explain` over a table `predictions` with these columns (Splink's, as predicted)."""
    selected = []
    labels = model.level_labels()
    for name in comparison_names(model):
        adjustment = f" + coalesce(mw_tf_adj_{name}, 0.0)" if f"mw_tf_adj_{name}" in columns else ""
        selected.append(f"mw_{name}{adjustment} AS mw_{name}")
        cases = " ".join(f"WHEN {value} THEN '{_quote(text)}'" for value, text in sorted(labels.get(name, {}).items()))
        selected.append(f"CASE gamma_{name} {cases} END AS level_{name}")
        for column in EXPLAINED_VALUES.get(name, ()):
            if f"{column}_l" in columns:
                selected.append(f"{column}_l, {column}_r")
    prior = model.probability_two_random_records_match
    prior_weight = math.log2(prior / (1 - prior))
    meanings = rule_meanings(model)
    rule_case = " ".join(f"WHEN '{i}' THEN '{_quote(m)}'" for i, m in enumerate(meanings))
    # S608: the SQL is assembled from the model's own comparison names, labels and a float, never from input.
    return f"""
        SELECT unique_id_l AS record_id_l, unique_id_r AS record_id_r, match_probability, match_weight,
               {_held_sql(columns)} AS held_reason,
               CAST({prior_weight!r} AS DOUBLE) AS mw_prior, {", ".join(selected)},
               CAST(match_key AS VARCHAR) AS match_key,
               CASE CAST(match_key AS VARCHAR) {rule_case} END AS match_rule
        FROM predictions ORDER BY match_probability DESC, record_id_l, record_id_r
        """  # noqa: S608


def _quote(text: str) -> str:
    return text.replace("'", "''")
