"""Identity resolution: person records in, identities out (Splink). Framework-free: never imports Django.

The public API is what `__all__` lists; everything else, Splink included, is an implementation detail.

Example:
    >>> from bluestone.linkage import link_records, LinkageModel  # doctest: +SKIP
    >>> result = link_records(records)  # doctest: +SKIP
    >>> result.model.save("model.json")  # doctest: +SKIP
    >>> again = link_records(records, model=LinkageModel.load("model.json"), engine="spark")  # doctest: +SKIP
"""

from bluestone.linkage.evaluate import Accuracy, evaluate
from bluestone.linkage.incremental import IncrementalResult, score_new_records
from bluestone.linkage.model import DEFAULT_THRESHOLD, ENGINES, Engine, LinkageModel, TrainingConfig
from bluestone.linkage.pipeline import LinkageResult, LinkageSummary, link_records, train_model
from bluestone.linkage.standardise import INPUT_COLUMNS, ColumnIssues, ParseIssues, standardise

__all__ = [
    "DEFAULT_THRESHOLD",
    "ENGINES",
    "INPUT_COLUMNS",
    "Accuracy",
    "ColumnIssues",
    "Engine",
    "IncrementalResult",
    "LinkageModel",
    "LinkageResult",
    "LinkageSummary",
    "ParseIssues",
    "TrainingConfig",
    "evaluate",
    "link_records",
    "score_new_records",
    "standardise",
    "train_model",
]
