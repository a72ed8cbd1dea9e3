from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from bluestone.linkage import LinkageModel, LinkageResult, link_records, train_model
from bluestone.linkage.model import MODEL_FORMAT_VERSION
from bluestone.linkage.pipeline import rule_meanings


def test_a_saved_and_loaded_model_gives_identical_predictions(
    tmp_path: Path, small_force: tuple[pa.Table, pa.Table], small_linked: LinkageResult
) -> None:
    path = tmp_path / "model.json"
    small_linked.model.save(path)
    loaded = LinkageModel.load(path)
    assert loaded == small_linked.model
    again = link_records(small_force[0], model=loaded)
    assert again.predictions.equals(small_linked.predictions)
    assert again.identities.equals(small_linked.identities)


def test_the_model_file_is_our_versioned_envelope_around_splink_settings(
    tmp_path: Path, small_model: LinkageModel
) -> None:
    path = tmp_path / "model.json"
    small_model.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "bluestone-linkage-model"
    assert data["format_version"] == MODEL_FORMAT_VERSION
    levels = data["splink_settings"]["comparisons"][0]["comparison_levels"]
    assert any("m_probability" in level and "u_probability" in level for level in levels)


def test_a_model_of_another_version_is_refused(tmp_path: Path, small_model: LinkageModel) -> None:
    data = small_model.to_dict() | {"format_version": 99}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="version 99 is not supported"):
        LinkageModel.load(path)


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="does not hold a JSON object"):
        LinkageModel.load(path)


def test_the_explanation_adds_up_to_the_match_weight(small_linked: LinkageResult) -> None:
    predictions = small_linked.predictions
    weights = [c for c in predictions.column_names if c.startswith("mw_")]
    for row in predictions.slice(0, 50).to_pylist():
        # The explanation adds up: prior plus each comparison's weight is the pair's match weight.
        assert sum(row[c] for c in weights) == pytest.approx(row["match_weight"], abs=1e-6)


def test_the_explanation_reads_alone_level_values_and_rule(small_linked: LinkageResult) -> None:
    rows = small_linked.predictions.to_pylist()
    labels = {row["level_date_of_birth"] for row in rows}
    assert "Exact" in labels
    assert labels <= {
        "Exact",
        "Day and month transposed",
        "One digit different",
        "Same year and month",
        "Same year",
        "12 or more years apart",
        "Different",
        "Missing on one side",
    }
    exact = next(row for row in rows if row["level_date_of_birth"] == "Exact")
    assert exact["dob_l"] == exact["dob_r"]
    missing = next(row for row in rows if row["level_date_of_birth"] == "Missing on one side")
    assert missing["mw_date_of_birth"] == 0
    assert None in (missing["dob_l"], missing["dob_r"])
    # What the match key means: the blocking rule that found the pair, in words.
    assert {row["match_rule"] for row in rows} <= set(rule_meanings(small_linked.model))
    assert all(row["match_rule"] for row in rows)


def test_a_model_records_its_columns_and_fits_only_data_with_them(small_model: LinkageModel) -> None:
    assert small_model.fits(small_model.columns)
    assert not small_model.fits([c for c in small_model.columns if c != "email"])
    again = LinkageModel.from_dict(small_model.to_dict())
    assert again.columns == small_model.columns


def test_a_swap_counts_as_both_names_agreeing_in_the_trained_model(small_model: LinkageModel) -> None:
    first = next(c for c in small_model.splink_settings["comparisons"] if c["output_column_name"] == "first_name")
    last = next(c for c in small_model.splink_settings["comparisons"] if c["output_column_name"] == "last_name")

    def level(comparison: dict, label: str) -> dict:
        return next(lv for lv in comparison["comparison_levels"] if lv.get("label_for_charts") == label)

    swap = level(first, "First and last names swapped")
    both = level(first, "Exact")["m_probability"] * level(last, "Exact")["m_probability"]
    assert swap["m_probability"] == pytest.approx(both)
    assert swap["u_probability"] == swap["m_probability"]  # no weight of its own: all from the name's frequency
    assert swap["tf_adjustment_column"] == "name_key"
    # In the last-name comparison a swap is a null level: it counts once, under the first name.
    assert level(last, "First and last names swapped (counted under first name)")["is_null_level"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"engine": "oracle"}, "engine must be one of"),
        ({"threshold": 1.5}, "strictly between 0 and 1"),
        ({"threshold": 0}, "strictly between 0 and 1"),
        ({"model": {"not": "a model"}}, "model must be a LinkageModel"),
    ],
)
def test_bad_arguments_are_clear_value_errors(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        link_records(pa.table({"record_id": ["1"]}), **arguments)  # type: ignore[arg-type]


def test_train_model_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        train_model(pa.table({"record_id": ["1"]}), threshold=2.0)
