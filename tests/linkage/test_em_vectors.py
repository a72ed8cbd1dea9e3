"""EM sessions with their comparison vectors made in one query train the model Splink's own sessions train."""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa
import pytest

import bluestone.linkage.pipeline
from bluestone.linkage import TrainingConfig, train_model


def _splinks_session(linker: Any, blocking_rule: Any, *, max_pairs: float | None) -> Any:
    return linker.training.estimate_parameters_using_expectation_maximisation(
        blocking_rule, estimate_without_term_frequencies=True, max_pairs=max_pairs
    )


def _m_probabilities(settings: dict[str, Any]) -> dict[tuple[str, str], Any]:
    return {
        (comparison["output_column_name"], level["label_for_charts"]): level.get("m_probability")
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
    }


# 1,000 pairs per session: the larger sessions are sampled, so the sample's conditions are exercised too.
@pytest.mark.parametrize("em_max_pairs", [1e3, None])
def test_sessions_in_one_query_train_the_model_splinks_sessions_train(
    small_force: tuple[pa.Table, pa.Table], monkeypatch: pytest.MonkeyPatch, em_max_pairs: float | None
) -> None:
    config = TrainingConfig(u_max_pairs=2e5, em_max_pairs=em_max_pairs, seed=5)
    ours = train_model(small_force[0], config=config)
    monkeypatch.setattr(bluestone.linkage.pipeline, "estimate_m_in_one_query", _splinks_session)
    splinks = train_model(small_force[0], config=config)
    assert ours.trained_on["warnings"] == splinks.trained_on["warnings"]
    ours_m, splinks_m = _m_probabilities(ours.splink_settings), _m_probabilities(splinks.splink_settings)
    assert ours_m.keys() == splinks_m.keys()
    trained = [key for key, value in splinks_m.items() if isinstance(value, float)]
    assert len(trained) > 20  # most levels of the nine comparisons
    for key, value in splinks_m.items():
        if isinstance(value, float):
            # The same comparison vectors; EM's sums in DuckDB may differ in the last bits between runs.
            assert math.isclose(ours_m[key], value, rel_tol=1e-9), key
        else:
            assert ours_m[key] == value, key
