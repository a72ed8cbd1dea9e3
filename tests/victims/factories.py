"""Factories for the victims tests: a case with a victim (and their profile), ready for the Code engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bluestone.accounts.models import Officer, Role, Team, User
from bluestone.cases.models import Case, Involvement
from bluestone.cases.models import Role as InvolvementRole
from bluestone.victims.models import VictimProfile
from bluestone.victims.services import victim_profiles_ensure
from tests.factories import (
    CaseFactory,
    InvolvementFactory,
    OfficerFactory,
    PersonRecordFactory,
    TeamFactory,
    UserFactory,
)


@dataclass
class VictimCase:
    team: Team
    investigator: User
    officer: Officer
    case: Case
    involvement: Involvement
    profile: VictimProfile


def victim_case_create(
    *,
    team: Team | None = None,
    offence: str = "19C",
    victim_born: dt.date = dt.date(1990, 5, 17),
    **case_fields: object,
) -> VictimCase:
    team = team or TeamFactory.create()
    investigator = UserFactory.create(role=Role.INVESTIGATOR, team=team)
    officer = OfficerFactory.create(team=team, user=investigator)
    from bluestone.core.models import OffenceClass  # noqa: PLC0415

    case = CaseFactory.create(
        team=team, officer=officer, offence_class=OffenceClass.objects.get(code=offence), **case_fields
    )
    # By default an adult on any offence date the tests use (a random birth date could make her a child).
    person = PersonRecordFactory.create(first_name="Ada", last_name="Testvictim", date_of_birth=victim_born)
    involvement = InvolvementFactory.create(case=case, person=person, role=InvolvementRole.VICTIM)
    profile = victim_profiles_ensure(case_id=case.pk, actor=investigator)[0]
    return VictimCase(
        team=team, investigator=investigator, officer=officer, case=case, involvement=involvement, profile=profile
    )
