"""The repeat-suspect register's filters: priority band, disruption tactics and team."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bluestone.accounts.models import Role as StaffRole
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.models import RestrictionReason
from bluestone.cases.services import case_restrict
from bluestone.suspects.models import Identity
from bluestone.suspects.selectors import RegisterFilters, identity_label, register_identities
from tests.factories import CaseFactory, TeamFactory, UserFactory
from tests.suspects.factories import identity_of, suspect_on, tactic_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, object]:
    north, south = TeamFactory.create(name="RASSO North"), TeamFactory.create(name="RASSO South")
    in_north = identity_of(suspect_on(CaseFactory.create(team=north)), suspect_on(CaseFactory.create(team=north)))
    in_south = identity_of(suspect_on(CaseFactory.create(team=south)), suspect_on(CaseFactory.create(team=south)))
    # Scores are set by hand so that each falls in one band (0-100 with the default weights).
    Identity.objects.filter(pk=in_north.pk).update(priority=72.0)
    Identity.objects.filter(pk=in_south.pk).update(priority=12.5)
    analyst = UserFactory.create(role=StaffRole.ANALYST, team=None)
    tactic_for(in_south, owner=analyst, review_on=None)
    return {"north": north, "south": south, "in_north": in_north, "in_south": in_south, "analyst": analyst}


def ids(world: dict, **filters: Any) -> set[object]:
    return {i.pk for i in register_identities(user=world["analyst"], filters=RegisterFilters(**filters))}


def test_the_priority_band_filter(world: dict) -> None:
    assert ids(world, band="high") == {world["in_north"].pk}
    assert ids(world, band="low") == {world["in_south"].pk}
    assert ids(world, band="medium") == set()


def test_the_tactics_filter(world: dict) -> None:
    assert ids(world, tactics="any") == {world["in_south"].pk}
    assert ids(world, tactics="none") == {world["in_north"].pk}
    assert ids(world, tactics="sro") == {world["in_south"].pk}
    assert ids(world, tactics="shpo") == set()


def test_the_team_filter(world: dict) -> None:
    assert ids(world, team_id=world["north"].pk) == {world["in_north"].pk}
    assert ids(world, team_id=world["south"].pk) == {world["in_south"].pk}


def test_a_restricted_report_does_not_put_a_suspect_in_a_teams_register(world: dict) -> None:
    hidden_case = CaseFactory.create(team=world["north"])
    record = suspect_on(hidden_case)
    identity = identity_of(record, suspect_on(CaseFactory.create(team=world["south"])))
    supervisor = UserFactory.create(role=StaffRole.SUPERVISOR, team=world["north"])
    case_restrict(actor=supervisor, case=hidden_case, reason=RestrictionReason.POLICE_EMPLOYEE_SUSPECT, named_users=[])

    assert identity.pk not in ids(world, team_id=world["north"].pk)
    assert identity.pk in ids(world, team_id=world["south"].pk)


def test_the_register_page_filters_and_logs_the_filters(world: dict) -> None:
    client = Client()
    client.force_login(world["analyst"])

    response = client.get(reverse("suspects:register"), {"band": "high", "tactics": "", "team": world["north"].pk})

    body = response.content.decode()
    assert response.status_code == 200
    assert identity_label(world["in_north"].pk) in body
    assert identity_label(world["in_south"].pk) not in body
    assert "1 repeat suspect match these filters" in body
    entry = AuditEvent.objects.get(action=AuditAction.LIST, actor=world["analyst"])
    assert entry.details["filters"] == {"band": "high", "tactics": "", "team": world["north"].pk}
    assert entry.details["count"] == 1


def test_a_filter_that_is_not_offered_is_refused_with_a_clear_error(world: dict) -> None:
    client = Client()
    client.force_login(world["analyst"])

    body = client.get(reverse("suspects:register"), {"band": "urgent"}).content.decode()

    assert "There is a problem" in body
    assert "Select a valid choice" in body
