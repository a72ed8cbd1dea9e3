"""The main pages ask the database a fixed number of questions, whatever the number of rows they show.

On the small synthetic force (tests/forces.py, loaded through the extract loader) each main page is
fetched once to warm it up, then once more with its queries counted. Then the force grows: more
cases on the investigator's team and for their officer (each with a victim, a suspect, an event, a
plan with an action, half of them closed with an outcome), more people, events, plan actions,
exhibits and bail on the case shown, more repeat-suspect identities, more people answering the same
search. Each page is fetched again: a page whose count went up reads something per row (an N+1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bluestone.accounts.models import Officer, Role, User
from bluestone.cases.entry import case_event_record
from bluestone.cases.loading import extract_load
from bluestone.cases.models import Case, CaseStatus, EventKind, Involvement, PersonRecord
from bluestone.cases.models import Role as InvolvementRole
from bluestone.cases.search_index import search_index_refresh
from bluestone.core import clock
from bluestone.investigation.services import bail_record, line_add, plan_create
from bluestone.suspects.models import IdentityMember
from tests.evidence.factories import scene_exhibit
from tests.factories import CaseFactory, InvolvementFactory, OutcomeFactory, PersonRecordFactory, UserFactory
from tests.suspects.factories import identity_of

pytestmark = pytest.mark.django_db

# The surname the search looks for: given to a victim on the case shown, and to every grown victim.
SURNAME = "Quarrendale"
GROWN_CASES = 12
GROWN_PEOPLE = 6


@dataclass
class World:
    case: Case
    users: dict[str, User]


def _the_case() -> Case:
    """An open case with a victim and a suspect, allocated to an officer."""
    open_cases = Case.objects.exclude(status=CaseStatus.CLOSED).filter(officer__isnull=False)
    for case in open_cases.order_by("crime_reference"):
        roles = set(case.involvements.values_list("role", flat=True))
        if {InvolvementRole.VICTIM, InvolvementRole.SUSPECT} <= roles:
            return case
    raise AssertionError("the small force has no open case with a victim and a suspect")


def _build(small_force_dir: Path) -> World:
    extract_load(directory=small_force_dir)
    case = _the_case()
    users: dict[str, User] = {
        role: UserFactory.create(
            username=f"count-{role}",
            role=role,
            team=case.team if role in (Role.INVESTIGATOR, Role.SUPERVISOR) else None,
        )
        for role in (Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST)
    }
    assert case.officer_id is not None
    Officer.objects.filter(pk=case.officer_id).update(user=users[Role.INVESTIGATOR])
    case.refresh_from_db()
    victim = case.involvements.filter(role=InvolvementRole.VICTIM).first()
    assert victim is not None
    PersonRecord.objects.filter(pk=victim.person_id).update(last_name=SURNAME)
    investigator = users[Role.INVESTIGATOR]
    plan = plan_create(actor=investigator, case=case)
    line_add(actor=investigator, plan=plan, group="victim_account", title="First account")
    scene_exhibit(officer=investigator, case=case)
    suspects = list(PersonRecord.objects.filter(involvements__role=InvolvementRole.SUSPECT).order_by("pk")[:4])
    identity_of(suspects[0], suspects[1])
    return World(case=case, users=users)


def _grow(world: World, step: int) -> None:
    """More rows behind every page; the pages must not ask more questions for them."""
    case = world.case
    investigator = world.users[Role.INVESTIGATOR]
    officer = Officer.objects.get(user=investigator)
    for number in range(GROWN_CASES):
        closed = number % 2 == 1
        grown = CaseFactory.create(
            team=case.team,
            officer=officer,
            status=CaseStatus.CLOSED if closed else CaseStatus.UNDER_INVESTIGATION,
            reported_at=clock.now() - dt.timedelta(days=30 + number),
        )
        InvolvementFactory.create(case=grown, person=PersonRecordFactory.create(last_name=SURNAME))
        InvolvementFactory.create(case=grown, role=InvolvementRole.SUSPECT)
        case_event_record(actor=investigator, case=grown, kind=EventKind.SUSPECT_ARRESTED, occurred_at=clock.now())
        grown_plan = plan_create(actor=investigator, case=grown)
        line_add(actor=investigator, plan=grown_plan, group="victim_account", title=f"Account {step}.{number}")
        if closed:
            OutcomeFactory.create(case=grown)
    plan = case.investigation_plan
    for number in range(GROWN_PEOPLE):
        InvolvementFactory.create(case=case, person=PersonRecordFactory.create(last_name=SURNAME))
        suspect = InvolvementFactory.create(case=case, role=InvolvementRole.SUSPECT)
        InvolvementFactory.create(case=case, role=InvolvementRole.WITNESS)
        case_event_record(actor=investigator, case=case, kind=EventKind.SUSPECT_ARRESTED, occurred_at=clock.now())
        line_add(actor=investigator, plan=plan, group="victim_account", title=f"More {step}.{number}")
        scene_exhibit(officer=investigator, case=case, reference=f"SC/{step}/{number}")
        bail_record(
            actor=investigator,
            case=case,
            suspect=suspect,
            starts_on=clock.today() - dt.timedelta(days=1),
            conditions="Not to contact the victim",
            victim_views="The victim asked for a no-contact condition.",
        )
    suspects = list(
        PersonRecord.objects.filter(involvements__role=InvolvementRole.SUSPECT)
        .exclude(pk__in=IdentityMember.objects.values("person_id"))
        .order_by("pk")
        .distinct()[:16]
    )
    for first, second in zip(suspects[0::2], suspects[1::2], strict=True):
        identity_of(first, second)
    search_index_refresh()


def _pages(world: World) -> dict[str, tuple[str, str]]:
    """Each page: who asks for it, and its address."""
    case = world.case.pk
    return {
        "My cases": (Role.INVESTIGATOR, reverse("cases:mine")),
        "Team cases": (Role.INVESTIGATOR, reverse("cases:team")),
        "Team cases, filtered": (Role.INVESTIGATOR, reverse("cases:team") + "?status=closed&offence_class=19C"),
        "Team cases, sorted": (Role.INVESTIGATOR, reverse("cases:team") + "?sort=crime_reference"),
        "Team cases, as the supervisor": (Role.SUPERVISOR, reverse("cases:team") + "?sort=-status"),
        "Analysis cases": (Role.ANALYST, reverse("cases:analysis-list")),
        "Case summary": (Role.INVESTIGATOR, reverse("cases:detail", args=[case])),
        "Case plan": (Role.INVESTIGATOR, reverse("investigation:plan", args=[case])),
        "Case victim": (Role.INVESTIGATOR, reverse("victims:case-victim", args=[case])),
        "Case evidence": (Role.INVESTIGATOR, reverse("evidence:case-evidence", args=[case])),
        "Case timeline": (Role.INVESTIGATOR, reverse("investigation:timeline", args=[case])),
        "Case outcome": (Role.INVESTIGATOR, reverse("investigation:outcome", args=[case])),
        "My work": (Role.INVESTIGATOR, reverse("investigation:my-work")),
        "Team work": (Role.SUPERVISOR, reverse("investigation:team-work")),
        "Repeat suspects": (Role.ANALYST, reverse("suspects:register")),
        "Search": (Role.INVESTIGATOR, reverse("cases:search") + f"?q={SURNAME}"),
        "Measures": (Role.SUPERVISOR, reverse("insights:measures")),
    }


def _counts(world: World, clients: dict[str, Client]) -> dict[str, int]:
    counts = {}
    for label, (role, url) in _pages(world).items():
        client = clients[role]
        assert client.get(url).status_code == 200, label  # warm: first-use caches, sessions
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, label
        counts[label] = len(queries)
    return counts


@pytest.fixture
def world(small_force_dir: Path) -> World:
    return _build(small_force_dir)


def _signed_in(users: dict[str, User]) -> dict[str, Client]:
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def test_the_main_pages_ask_as_many_queries_for_more_rows(world: World) -> None:
    clients = _signed_in(world.users)
    _grow(world, 1)
    before = _counts(world, clients)

    _grow(world, 2)
    after = _counts(world, clients)

    grew = {label: (before[label], after[label]) for label in before if after[label] > before[label]}
    assert grew == {}


def test_the_grown_force_shows_more_rows(world: World) -> None:
    """The growth reaches the pages counted above (else the comparison proves nothing)."""
    clients = _signed_in(world.users)
    before = Involvement.objects.filter(case=world.case).count()

    _grow(world, 1)

    assert Involvement.objects.filter(case=world.case).count() == before + 3 * GROWN_PEOPLE
    mine = clients[Role.INVESTIGATOR].get(reverse("cases:mine")).content.decode()
    found = clients[Role.INVESTIGATOR].get(reverse("cases:search") + f"?q={SURNAME}").content.decode()
    assert mine.count("/cases/") > GROWN_CASES
    assert found.count(SURNAME) > GROWN_CASES
