from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from bluestone.accounts.models import Role, User
from bluestone.cases.models import Case, Involvement, PersonRecord
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core import clock
from bluestone.evidence.models import DataCategory, NoticeElement, SampleType
from bluestone.evidence.reference import evidence_reference_upsert
from tests.factories import BASE_TIME, CaseFactory, OfficerFactory, PersonRecordFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def _evidence_reference(db: None) -> None:
    # A transactional test elsewhere in the suite may have flushed the reference tables.
    if not NoticeElement.objects.exists():
        evidence_reference_upsert(sample_type=SampleType, data_category=DataCategory, notice_element=NoticeElement)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr(clock, "now", lambda: BASE_TIME)
    return BASE_TIME


@pytest.fixture
def team():
    return TeamFactory.create(code="EVN", name="RASSO North")


@pytest.fixture
def other_team():
    return TeamFactory.create(code="EVS", name="RASSO South")


@pytest.fixture
def officer(team) -> User:
    return UserFactory.create(
        username="dc.rivers", first_name="Sam", last_name="Rivers", role=Role.INVESTIGATOR, team=team
    )


@pytest.fixture
def supervisor(team) -> User:
    return UserFactory.create(
        username="ds.okafor", first_name="Ada", last_name="Okafor", role=Role.SUPERVISOR, team=team
    )


@pytest.fixture
def other_supervisor(other_team) -> User:
    return UserFactory.create(username="ds.elsewhere", role=Role.SUPERVISOR, team=other_team)


@pytest.fixture
def liaison() -> User:
    return UserFactory.create(username="sarc.liaison", role=Role.SARC_LIAISON, team=None)


@pytest.fixture
def case(team, officer) -> Case:
    return CaseFactory.create(team=team, officer=OfficerFactory.create(team=team, user=officer))


@pytest.fixture
def victim(case) -> PersonRecord:
    person = PersonRecordFactory.create(first_name="Rowan", last_name="Vale")
    Involvement.objects.create(case=case, person=person, role=InvolvementRole.VICTIM)
    return person


@pytest.fixture
def suspect(case) -> PersonRecord:
    person = PersonRecordFactory.create(first_name="Dale", last_name="Marsh")
    Involvement.objects.create(case=case, person=person, role=InvolvementRole.SUSPECT)
    return person


@pytest.fixture
def signed_in(client: Client):
    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in
