"""Identity resolution: person records in, identities out (Splink). Framework-free: never imports Django.

The public API is what `__all__` lists; everything else, Splink included, is an implementation detail.

Example:
    >>> from bluestone.linkage import link_records, LinkageModel  # doctest: +SKIP
    >>> result = link_records(records)  # doctest: +SKIP
    >>> result.model.save("model.json")  # doctest: +SKIP
    >>> again = link_records(records, model=LinkageModel.load("model.json"), engine="spark")  # doctest: +SKIP
"""

from bluestone.linkage.clusters import ClusterPolicy
from bluestone.linkage.evaluate import Accuracy, evaluate
from bluestone.linkage.guard import DEFAULT_MAX_COMPARISONS, Limits, TooManyComparisons
from bluestone.linkage.incremental import IncrementalResult, score_against_candidates, score_new_records
from bluestone.linkage.keys import blocking_keys, store_version
from bluestone.linkage.model import DEFAULT_THRESHOLD, ENGINES, Engine, LinkageModel, TrainingConfig
from bluestone.linkage.pipeline import (
    LinkageResult,
    LinkageSummary,
    ModelDoesNotFit,
    link_records,
    present_columns,
    train_model,
)
from bluestone.linkage.standardise import INPUT_COLUMNS, LINKAGE_COLUMNS, ColumnIssues, ParseIssues, standardise

__all__ = [
    "DEFAULT_MAX_COMPARISONS",
    "DEFAULT_THRESHOLD",
    "ENGINES",
    "INPUT_COLUMNS",
    "LINKAGE_COLUMNS",
    "Accuracy",
    "ClusterPolicy",
    "ColumnIssues",
    "Engine",
    "IncrementalResult",
    "Limits",
    "LinkageModel",
    "LinkageResult",
    "LinkageSummary",
    "ModelDoesNotFit",
    "ParseIssues",
    "TooManyComparisons",
    "TrainingConfig",
    "blocking_keys",
    "evaluate",
    "link_records",
    "present_columns",
    "score_against_candidates",
    "score_new_records",
    "standardise",
    "store_version",
    "train_model",
]
