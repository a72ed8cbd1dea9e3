"""Identity resolution: person records in, identities out (Splink). Framework-free: never imports Django.

The public API is what `__all__` lists; everything else, Splink included, is an implementation detail.
Each name is imported from its module when it is first asked for (PEP 562), so that the application
can read a constant or a small class without importing Splink, DuckDB and pandas (a second or two of
CPU in every process that loads the application's URLs) until it links records.

Example:
    >>> from bluestone.linkage import link_records, LinkageModel  # doctest: +SKIP
    >>> result = link_records(records)  # doctest: +SKIP
    >>> result.model.save("model.json")  # doctest: +SKIP
    >>> again = link_records(records, model=LinkageModel.load("model.json"), engine="spark")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bluestone.linkage.clusters import ClusterPolicy
    from bluestone.linkage.constants import DEFAULT_THRESHOLD, ENGINES, INPUT_COLUMNS, LINKAGE_COLUMNS, Engine
    from bluestone.linkage.evaluation import Accuracy, evaluate
    from bluestone.linkage.guard import DEFAULT_MAX_COMPARISONS, Limits, TooManyComparisons
    from bluestone.linkage.incremental import IncrementalResult, score_against_candidates, score_new_records
    from bluestone.linkage.keys import blocking_keys, store_version
    from bluestone.linkage.model import LinkageModel, TrainingConfig
    from bluestone.linkage.pipeline import (
        LinkageResult,
        LinkageSummary,
        ModelDoesNotFit,
        link_records,
        present_columns,
        train_model,
    )
    from bluestone.linkage.standardising import ColumnIssues, ParseIssues, standardise

# Where each public name lives. No module is named after a name it exports: importing a submodule
# sets the package's attribute of that name to the module, which would hide the function.
_MODULES = {
    "ClusterPolicy": "clusters",
    "DEFAULT_THRESHOLD": "constants",
    "ENGINES": "constants",
    "Engine": "constants",
    "LINKAGE_COLUMNS": "constants",
    "Accuracy": "evaluation",
    "evaluate": "evaluation",
    "DEFAULT_MAX_COMPARISONS": "guard",
    "Limits": "guard",
    "TooManyComparisons": "guard",
    "IncrementalResult": "incremental",
    "score_against_candidates": "incremental",
    "score_new_records": "incremental",
    "blocking_keys": "keys",
    "store_version": "keys",
    "LinkageModel": "model",
    "TrainingConfig": "model",
    "LinkageResult": "pipeline",
    "LinkageSummary": "pipeline",
    "ModelDoesNotFit": "pipeline",
    "link_records": "pipeline",
    "present_columns": "pipeline",
    "train_model": "pipeline",
    "INPUT_COLUMNS": "constants",
    "ColumnIssues": "standardising",
    "ParseIssues": "standardising",
    "standardise": "standardising",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked for once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULES])


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
