from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from bluestone.accounts.models import Rank, Role, User
from bluestone.cases.models import Case
from bluestone.cases.models import Role as InvolvementRole
from tests.factories import BASE_TIME, CaseFactory, InvolvementFactory, OfficerFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    """The investigation's dates are read from one fixed moment: Tuesday 3 March 2026, 2:30pm."""
    state = {"now": BASE_TIME}

    def now() -> dt.datetime:
        return state["now"]

    monkeypatch.setattr("bluestone.core.clock.now", now)
    return state


@pytest.fixture
def team():
    return TeamFactory.create(code="N", name="RASSO North")


@pytest.fixture
def investigator(team) -> User:
    return UserFactory.create(username="amira", first_name="Amira", last_name="Shah", role=Role.INVESTIGATOR, team=team)


@pytest.fixture
def officer(investigator, team):
    return OfficerFactory.create(team=team, user=investigator, first_name="Amira", last_name="Shah", rank=Rank.DC)


@pytest.fixture
def supervisor(team) -> User:
    return UserFactory.create(username="owen", first_name="Owen", last_name="Price", role=Role.SUPERVISOR, team=team)


@pytest.fixture
def case(team, officer) -> Case:
    return CaseFactory.create(team=team, officer=officer, reported_at=BASE_TIME - dt.timedelta(days=2))


@pytest.fixture
def suspect(case):
    return InvolvementFactory.create(
        case=case, role=InvolvementRole.SUSPECT, person__first_name="Dale", person__last_name="Marsh"
    )


@pytest.fixture
def victim(case):
    return InvolvementFactory.create(case=case, role=InvolvementRole.VICTIM)


@pytest.fixture
def signed_in(client: Client):
    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in
