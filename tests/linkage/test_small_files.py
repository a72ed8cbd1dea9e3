"""Small files (tens to a few hundred records) train and link without a crash, and keep every comparison.

On so few records an EM session can put all its pairs in one level of a comparison, which would give
the other levels an m probability of 0; such an estimate is not kept (issue 12, point 2).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from bluestone.linkage import LinkageResult, link_records
from bluestone.linkage.model import MIN_M_PROBABILITY, comparison_names_for
from bluestone.linkage.pipeline import present_columns
from bluestone.linkage.standardising import standardise
from tests.linkage.conftest import SMALL_TRAINING
from tests.linkage.febrl import febrl
from tests.linkage.ukpeople import uk_people


def _check(records: pa.Table, result: LinkageResult) -> None:
    columns = present_columns(standardise(records)[0])
    settings = result.model.splink_settings
    names = [str(c["output_column_name"]) for c in settings["comparisons"]]
    assert names == comparison_names_for(columns)
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            # A level no session observed keeps no m (it weighs nothing); any other m is a real estimate.
            m = level.get("m_probability")
            assert m is None or MIN_M_PROBABILITY <= m <= 1, (comparison["output_column_name"], level)
    assert result.identities.num_rows == records.num_rows
    assert set(result.identities.column("record_id").to_pylist()) == set(records.column("record_id").to_pylist())


@pytest.mark.parametrize("size", [50, 100, 200])
def test_febrl_subsets_link(size: int) -> None:
    records, _ = febrl("febrl1")
    subset = records.slice(0, size)
    result = link_records(subset, config=SMALL_TRAINING)
    _check(subset, result)


def test_febrl_small_subset_finds_its_duplicates() -> None:
    records, truth = febrl("febrl1")
    subset, people = records.slice(0, 200), truth.slice(0, 200).column("true_person_id").to_pylist()
    result = link_records(subset, config=SMALL_TRAINING)
    identity = dict(
        zip(
            result.identities.column("record_id").to_pylist(),
            result.identities.column("identity_id").to_pylist(),
            strict=True,
        )
    )
    ids = subset.column("record_id").to_pylist()
    same = [(a, b) for i, a in enumerate(ids) for j, b in enumerate(ids) if i < j and people[i] == people[j]]
    assert same, "the FEBRL1 subset has duplicates to find"
    found = sum(identity[a] == identity[b] for a, b in same)
    assert found / len(same) >= 0.8


@pytest.mark.parametrize(("people", "seed"), [(30, 1), (70, 2), (140, 3)])
def test_uk_people_small_files_link(people: int, seed: int) -> None:
    records, _ = uk_people(people, seed=seed)
    result = link_records(records, config=SMALL_TRAINING)
    _check(records, result)


def _demo_suspects() -> pa.Table:
    from bluestone.synth import generate_force  # noqa: PLC0415 (the reported failure was on the demo force)

    force = generate_force(cases=200, seed=2026)
    involvements, persons = force["involvements"], force["persons"]
    suspects = set(involvements.filter(pc.equal(involvements.column("role"), "suspect")).column("person_record_id"))
    chosen = persons.filter(pc.is_in(persons.column("person_record_id"), pa.array(sorted(s.as_py() for s in suspects))))
    return pa.table(
        {
            "record_id": chosen.column("person_record_id"),
            "first_name": chosen.column("first_name"),
            "middle_names": chosen.column("middle_names"),
            "last_name": chosen.column("last_name"),
            "date_of_birth": chosen.column("date_of_birth"),
            "gender": chosen.column("gender"),
            "address": chosen.column("address"),
            "postcode": chosen.column("postcode"),
            "phone": chosen.column("phone"),
            "email": chosen.column("email"),
            "identifier": chosen.column("pnc_id"),
        }
    )


def test_a_200_case_demo_force_suspects_link() -> None:
    records = _demo_suspects()
    assert 100 < records.num_rows < 400
    result = link_records(records)
    _check(records, result)
    degenerate = [w for w in result.summary.warnings if "degenerate" in w]
    assert degenerate, result.summary.warnings
    names = {str(c["output_column_name"]) for c in result.model.splink_settings["comparisons"]}
    assert all(w.startswith("Training on pairs with the ") and any(n in w for n in names) for w in degenerate)


def test_a_session_that_fails_part_way_is_undone_whole() -> None:
    """Splink trims the linker's comparisons while a session runs; a failure must not leave them trimmed.

    Starting m values of 1e-300 on every exact level drive the session's first iteration to a match
    probability with no match weight, which Splink raises on part-way through.
    """
    from bluestone.linkage import pipeline  # noqa: PLC0415 (the session helper is private)
    from bluestone.linkage.engines import database_api, register  # noqa: PLC0415
    from bluestone.linkage.model import TRAINING_RULES, rules_for, settings_creator  # noqa: PLC0415

    records, _ = febrl("febrl1")
    table, _ = standardise(records.slice(0, 200))
    columns = present_columns(table)
    with database_api("duckdb") as api:
        linker = pipeline.Linker(register(api, table, "persons"), settings_creator(columns=columns), log_level=None)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e5, seed=1)
        comparisons = linker._settings_obj.core_model_settings.comparisons
        for comparison in comparisons:
            for position, level in enumerate(comparison._comparison_levels_excluding_null):
                level.m_probability = 1e-300 if position == 0 else 0.5
        names = [c.output_column_name for c in comparisons]
        rule = next(r for r in rules_for(TRAINING_RULES, columns) if r.meaning == "same date of birth")
        covers = {name for name in names if not pipeline._uses(name, rule.needs)}
        warnings: list[str] = []
        assert pipeline._em_session(linker, rule, covers, SMALL_TRAINING, warnings, engine="duckdb") == set()
        after = linker._settings_obj.core_model_settings.comparisons
        assert [c.output_column_name for c in after] == names
        for comparison in after:
            ms = [level.m_probability for level in comparison._comparison_levels_excluding_null]
            assert ms[0] == 1e-300
            assert all(m == 0.5 for m in ms[1:])
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "Training on pairs with the same date of birth was skipped: its estimate was degenerate"
    )
    assert all(name in warnings[0] for name in covers)
