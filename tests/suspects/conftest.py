"""A small synthetic force, loaded and linked: generated and a model trained once per session
(seconds, tests/forces.py), loaded and linked per test with that model (about a second)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from bluestone.accounts.models import Role as StaffRole
from bluestone.accounts.models import User
from bluestone.cases.loading import extract_load
from bluestone.cases.models import PersonRecord
from bluestone.linkage import LinkageModel
from bluestone.suspects.models import LinkageRun
from bluestone.suspects.services import linkage_run_full
from tests.factories import TeamFactory, UserFactory


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
