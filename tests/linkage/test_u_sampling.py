"""u in one pass over the random pairs gives the model Splink's own estimation gives."""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa
import pytest

import bluestone.linkage.pipeline
from bluestone.linkage import TrainingConfig, train_model

CONFIG = TrainingConfig(u_max_pairs=2e5, em_max_pairs=5e5, seed=5)


def _splinks_u(linker: Any, *, max_pairs: float, seed: int) -> None:
    linker.training.estimate_u_using_random_sampling(
        max_pairs=max_pairs, seed=seed, num_chunks=1, min_count_per_level=None
    )


def _probabilities(settings: dict[str, Any]) -> dict[tuple[str, str, str], Any]:
    return {
        (comparison["output_column_name"], level["label_for_charts"], kind): level.get(f"{kind}_probability")
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
        for kind in ("u", "m")
    }


def test_u_in_one_pass_trains_the_model_splinks_u_estimation_trains(
    small_force: tuple[pa.Table, pa.Table], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = _probabilities(train_model(small_force[0], config=CONFIG).splink_settings)
    monkeypatch.setattr(bluestone.linkage.pipeline, "estimate_u_in_one_pass", _splinks_u)
    splinks = _probabilities(train_model(small_force[0], config=CONFIG).splink_settings)
    assert ours.keys() == splinks.keys()
    estimated = [key for key, value in splinks.items() if key[2] == "u" and isinstance(value, float)]
    assert len(estimated) > 20  # most levels of the nine comparisons
    for key, value in splinks.items():
        if isinstance(value, float):
            # The same counts; EM's sums in DuckDB may differ in the last bits between runs.
            assert math.isclose(ours[key], value, rel_tol=1e-9), key
        else:
            assert ours[key] == value, key
