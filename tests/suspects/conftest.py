"""A small synthetic force, loaded and linked: generated and a model trained once per session
(seconds), loaded and linked per test with that model (about a second)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from bluestone.accounts.models import Role as StaffRole
from bluestone.accounts.models import User
from bluestone.cases.loading import extract_load
from bluestone.cases.models import PersonRecord
from bluestone.linkage import LinkageModel, TrainingConfig, train_model
from bluestone.suspects.models import LinkageRun
from bluestone.suspects.services import linkage_run_full
from bluestone.synth import generate_force, write_force
from tests.factories import TeamFactory, UserFactory

FORCE_CASES = 400
FORCE_SEED = 2031
SMALL_TRAINING = TrainingConfig(u_max_pairs=3e5, em_max_pairs=3e5, seed=5)


@pytest.fixture(scope="session")
def force_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("force")
    write_force(generate_force(cases=FORCE_CASES, seed=FORCE_SEED), folder)
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
    return train_model(suspect_table(force_dir), config=SMALL_TRAINING)


@pytest.fixture(scope="session")
def truth(force_dir: Path) -> dict[str, str]:
    """Extract person id -> the true person behind it."""
    table = pq.read_table(force_dir / "ground_truth.parquet")
    return dict(
        zip(table.column("person_record_id").to_pylist(), table.column("true_person_id").to_pylist(), strict=True)
    )


@dataclass
class Linked:
    run: LinkageRun
    model: LinkageModel
    analyst: User
    truth_of: dict[str, str]  # PersonRecord id (text) -> true person


@pytest.fixture
def analyst(db: None) -> User:
    return UserFactory.create(username="analyst1", role=StaffRole.ANALYST, team=None)


@pytest.fixture
def loaded(db: None, force_dir: Path) -> None:
    extract_load(directory=force_dir)


@pytest.fixture
def linked(loaded: None, analyst: User, suspects_model: LinkageModel, truth: dict[str, str]) -> Linked:
    run = linkage_run_full(actor=analyst, model=suspects_model)
    truth_of = {str(pk): truth[str(source)] for pk, source in PersonRecord.objects.values_list("pk", "source_id")}
    return Linked(run=run, model=suspects_model, analyst=analyst, truth_of=truth_of)


@pytest.fixture
def supervisor(db: None) -> User:
    return UserFactory.create(username="supervisor1", role=StaffRole.SUPERVISOR, team=TeamFactory.create())
