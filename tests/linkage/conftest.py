"""Fixtures shared by the linkage tests: one small force and one model trained on it (training takes seconds)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from bluestone.linkage import LinkageModel, LinkageResult, TrainingConfig, link_records
from tests.linkage.fakeforce import fake_persons

SMALL_TRAINING = TrainingConfig(u_max_pairs=1e6, em_max_pairs=5e5, seed=11)


@pytest.fixture(scope="session")
def small_force() -> tuple[pa.Table, pa.Table]:
    return fake_persons(1_200, seed=3)


@pytest.fixture(scope="session")
def small_linked(small_force: tuple[pa.Table, pa.Table]) -> LinkageResult:
    records, _ = small_force
    return link_records(records, config=SMALL_TRAINING)


@pytest.fixture(scope="session")
def small_model(small_linked: LinkageResult) -> LinkageModel:
    return small_linked.model
