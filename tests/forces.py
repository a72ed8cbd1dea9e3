"""Synthetic forces shared by the whole suite, built once per test process (each xdist worker).

A pytest plugin, loaded by tests/conftest.py. `force_dir` is a small force written as an extract (the
files `bluestone load` reads), `small_force_dir` a smaller one still (40 cases), `suspects_model` a
linkage model trained on the first's suspect records, and `truth` which true person each of its
person records is. Generating a force and training a model
take seconds; loading the extract into a test's database is per test (tests/suspects/conftest.py
`loaded`, tests/test_anonymity.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from bluestone.synth import generate_force, write_force

if TYPE_CHECKING:
    from bluestone.linkage import LinkageModel

FORCE_CASES = 400
FORCE_SEED = 2031
# A smaller force for tests that fetch every page for every role (tests/test_audit_coverage.py).
SMALL_FORCE_CASES = 40
SMALL_FORCE_SEED = 2032


@pytest.fixture(scope="session")
def force_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("force")
    # The core tables only: the suite loads this force in many tests, and the optional tables (victims,
    # plans, bail...) would add about a second to each load; tests/loading covers them.
    write_force(generate_force(cases=FORCE_CASES, seed=FORCE_SEED), folder, optional=False)
    return folder


@pytest.fixture(scope="session")
def small_force_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small-force")
    write_force(generate_force(cases=SMALL_FORCE_CASES, seed=SMALL_FORCE_SEED), folder, optional=False)
    return folder


def suspect_table(folder: Path) -> pa.Table:
    """The force's suspect records in the linkage input format, read from the extract (no database)."""
    persons = pq.read_table(folder / "persons.parquet")
    involvements = pq.read_table(folder / "involvements.parquet")
    suspects = pc.is_in(
        persons.column("person_record_id"),
        value_set=involvements.filter(pc.equal(involvements.column("role"), "suspect")).column("person_record_id"),
    )
    rows = persons.filter(suspects).to_pylist()
    return pa.Table.from_pylist(
        [
            {
                "record_id": row["person_record_id"],
                "first_name": row["first_name"],
                "middle_names": row["middle_names"],
                "last_name": row["last_name"],
                "date_of_birth": row["date_of_birth"].isoformat() if row["date_of_birth"] else None,
                "gender": row["gender"],
                "address": row["address"],
                "postcode": row["postcode"],
                "phone": row["phone"],
                "email": row["email"],
                "identifier": row["pnc_id"],
            }
            for row in rows
        ]
    )


@pytest.fixture(scope="session")
def suspects_model(force_dir: Path) -> LinkageModel:
    # Imported here: Splink takes a while to import, and most test runs never train a model.
    from bluestone.linkage import TrainingConfig, train_model  # noqa: PLC0415

    return train_model(suspect_table(force_dir), config=TrainingConfig(u_max_pairs=3e5, em_max_pairs=3e5, seed=5))


@pytest.fixture(scope="session")
def truth(force_dir: Path) -> dict[str, str]:
    """Extract person id -> the true person behind it."""
    table = pq.read_table(force_dir / "ground_truth.parquet")
    return dict(
        zip(table.column("person_record_id").to_pylist(), table.column("true_person_id").to_pylist(), strict=True)
    )
