"""Allocating a case to the officer in the case: who may, to whom, and what it leaves behind."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from bluestone.accounts.models import Role
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.extensions import TEAM_WORK, work_items_for
from bluestone.cases.models import CaseAccess, CaseAccessKind, CaseEvent, CaseStatus, EventKind, RestrictionReason
from bluestone.cases.services import case_allocate, case_restrict
from tests.factories import CaseFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unallocated(team):
    return CaseFactory.create(team=team, officer=None, status=CaseStatus.REPORTED)


def test_a_supervisor_allocates_a_case_from_the_case_page(signed_in, supervisor, investigator_officer, unallocated):
    client: Client = signed_in(supervisor)
    page = client.get(f"/cases/{unallocated.pk}/").content.decode()
    assert f'href="/cases/{unallocated.pk}/allocate/"' in page
    assert "Allocate an officer" in page

    form = client.get(f"/cases/{unallocated.pk}/allocate/").content.decode()
    assert str(investigator_officer) in form
    response = client.post(f"/cases/{unallocated.pk}/allocate/", {"officer": investigator_officer.pk})
    assert response["Location"] == f"/cases/{unallocated.pk}/"

    unallocated.refresh_from_db()
    assert unallocated.officer == investigator_officer
    assert unallocated.status == CaseStatus.UNDER_INVESTIGATION
    event = CaseEvent.objects.get(case=unallocated, kind=EventKind.ALLOCATED)
    assert str(investigator_officer) in event.summary
    assert event.created_by == supervisor
    audit = AuditEvent.objects.get(case_id=unallocated.pk, action=AuditAction.ALTERATION, object_type="cases.Case")
    assert audit.details == {"officer_id": investigator_officer.pk, "previous_officer_id": None}
    assert "Change the officer in the case" in client.get(f"/cases/{unallocated.pk}/").content.decode()


def test_the_allocated_officer_finds_the_case_in_my_cases(
    signed_in, investigator, investigator_officer, supervisor, unallocated
):
    client = signed_in(investigator)
    assert unallocated.crime_reference not in client.get("/cases/mine/").content.decode()
    case_allocate(actor=supervisor, case=unallocated, officer=investigator_officer)
    assert unallocated.crime_reference in client.get("/cases/mine/").content.decode()


def test_no_officer_chosen_is_refused_with_the_error_summary(signed_in, supervisor, investigator_officer, unallocated):
    response = signed_in(supervisor).post(f"/cases/{unallocated.pk}/allocate/", {})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in page
    assert "Choose the officer in the case" in page
    unallocated.refresh_from_db()
    assert unallocated.officer is None
    assert not CaseEvent.objects.filter(case=unallocated).exists()


def test_only_an_officer_of_the_cases_team_who_can_sign_in(supervisor, other_team, team, unallocated):
    elsewhere = OfficerFactory.create(team=other_team, user=UserFactory.create(role=Role.INVESTIGATOR, team=other_team))
    no_sign_in = OfficerFactory.create(team=team, user=None)
    for officer in (elsewhere, no_sign_in):
        with pytest.raises(ValidationError, match="officer of the case's team who can sign in"):
            case_allocate(actor=supervisor, case=unallocated, officer=officer)
    unallocated.refresh_from_db()
    assert unallocated.officer is None
    assert not CaseEvent.objects.filter(case=unallocated).exists()


def test_the_same_officer_again_is_refused(supervisor, investigator_officer, unallocated):
    case_allocate(actor=supervisor, case=unallocated, officer=investigator_officer)
    with pytest.raises(ValidationError, match="already the officer in the case"):
        case_allocate(actor=supervisor, case=unallocated, officer=investigator_officer)
    assert CaseEvent.objects.filter(case=unallocated, kind=EventKind.ALLOCATED).count() == 1


def test_investigators_and_other_teams_supervisors_cannot_allocate(
    investigator, investigator_officer, other_team, unallocated, signed_in
):
    elsewhere = UserFactory.create(role=Role.SUPERVISOR, team=other_team)
    for actor in (investigator, elsewhere):
        with pytest.raises(PermissionDenied):
            case_allocate(actor=actor, case=unallocated, officer=investigator_officer)
    assert signed_in(investigator).get(f"/cases/{unallocated.pk}/allocate/").status_code in {403, 404}
    assert "Allocate an officer" not in signed_in(investigator).get(f"/cases/{unallocated.pk}/").content.decode()


def test_on_a_restricted_case_the_officer_is_named_so_they_can_open_it(
    supervisor, investigator, investigator_officer, unallocated
):
    case_restrict(actor=supervisor, case=unallocated, reason=RestrictionReason.OTHER, named_users=[])
    unallocated.refresh_from_db()
    case_allocate(actor=supervisor, case=unallocated, officer=investigator_officer)
    assert CaseAccess.objects.filter(
        case=unallocated, user=investigator, kind=CaseAccessKind.NAMED, revoked_at__isnull=True
    ).exists()


def test_a_closed_case_is_not_allocated(supervisor, investigator_officer, team):
    closed = CaseFactory.create(team=team, officer=None, status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError, match="reopen it"):
        case_allocate(actor=supervisor, case=closed, officer=investigator_officer)


def test_a_case_with_no_officer_waits_on_the_supervisors_team_work(
    supervisor, investigator, investigator_officer, other_team, unallocated
):
    def to_allocate(user):
        return [i for i in work_items_for(user=user, queue=TEAM_WORK) if i.kind == "Case to allocate"]

    waiting = to_allocate(supervisor)
    assert [item.case_reference for item in waiting] == [unallocated.crime_reference]
    assert waiting[0].url == f"/cases/{unallocated.pk}/allocate/"
    assert to_allocate(investigator) == []
    assert to_allocate(UserFactory.create(role=Role.SUPERVISOR, team=other_team)) == []
    case_allocate(actor=supervisor, case=unallocated, officer=investigator_officer)
    assert to_allocate(supervisor) == []
