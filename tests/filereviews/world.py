"""A small force for the case-file review tests: two teams, finalised cases in several outcome groups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bluestone.accounts.models import Role, Team, User
from bluestone.cases.models import Case, CaseStatus
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core.models import OutcomeType
from tests.factories import CaseFactory, InvolvementFactory, OutcomeFactory, TeamFactory, UserFactory

DECIDED = dt.date(2026, 2, 10)
# Outcome code and how many cases of each team were finalised with it.
OUTCOMES = {1: 6, 16: 8, 18: 4, 21: 2}


@dataclass
class ReviewWorld:
    north: Team
    south: Team
    cases: list[Case]
    supervisor: User  # of the north team
    other_supervisor: User  # of the south team
    analyst: User
    administrator: User


def review_world() -> ReviewWorld:
    north = TeamFactory.create(code="NORTH", name="RASSO North")
    south = TeamFactory.create(code="SOUTH", name="RASSO South")
    cases = []
    for team in (north, south):
        for code, count in OUTCOMES.items():
            for _ in range(count):
                case = CaseFactory.create(team=team, status=CaseStatus.CLOSED)
                InvolvementFactory.create(case=case, role=InvolvementRole.VICTIM)
                OutcomeFactory.create(case=case, outcome_type=OutcomeType.objects.get(code=code), decided_on=DECIDED)
                cases.append(case)
    # Open cases are never sampled.
    CaseFactory.create_batch(3, team=north)
    return ReviewWorld(
        north=north,
        south=south,
        cases=cases,
        supervisor=UserFactory.create(username="rev-sup", role=Role.SUPERVISOR, team=north),
        other_supervisor=UserFactory.create(username="rev-sup-south", role=Role.SUPERVISOR, team=south),
        analyst=UserFactory.create(username="rev-analyst", role=Role.ANALYST, team=None),
        administrator=UserFactory.create(username="rev-admin", role=Role.ADMINISTRATOR, team=None),
    )
