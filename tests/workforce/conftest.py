from __future__ import annotations

import pytest
from django.test import Client

from bluestone.accounts.models import Role, User
from tests.factories import OfficerFactory, TeamFactory, UserFactory


@pytest.fixture
def team():
    return TeamFactory.create(code="N", name="RASSO North")


@pytest.fixture
def other_team():
    return TeamFactory.create(code="S", name="RASSO South")


@pytest.fixture
def investigator(team) -> User:
    return UserFactory.create(username="amira", first_name="Amira", last_name="Shah", role=Role.INVESTIGATOR, team=team)


@pytest.fixture
def officer(investigator, team):
    return OfficerFactory.create(team=team, user=investigator, first_name="Amira", last_name="Shah")


@pytest.fixture
def supervisor(team) -> User:
    return UserFactory.create(username="owen", first_name="Owen", last_name="Pryce", role=Role.SUPERVISOR, team=team)


@pytest.fixture
def signed_in(client: Client):
    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in
