from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied

from bluestone.accounts.models import Role
from bluestone.cases.models import Case, CaseStatus, EventKind
from bluestone.cases.models import Role as InvolvementRole
from bluestone.cases.selectors import (
    CaseFilters,
    case_get_for_user,
    case_list_visible_to,
)
from bluestone.core.models import OffenceClass, OutcomeType
from tests.factories import (
    BASE_TIME,
    CaseEventFactory,
    CaseFactory,
    InvolvementFactory,
    OutcomeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refs(cases) -> list[str]:
    return [case.crime_reference for case in cases]


def test_my_cases_are_only_those_where_the_user_is_officer_in_the_case(investigator, investigator_officer, team):
    mine = CaseFactory.create(team=team, officer=investigator_officer)
    CaseFactory.create(team=team)  # a colleague's case in the same team

    cases = case_list_visible_to(user=investigator, filters=CaseFilters(scope="mine"))

    assert refs(cases) == [mine.crime_reference]


def test_my_cases_include_a_case_of_another_team_the_user_is_officer_in(investigator, investigator_officer, other_team):
    elsewhere = CaseFactory.create(team=other_team, officer=investigator_officer)

    cases = case_list_visible_to(user=investigator, filters=CaseFilters(scope="mine"))

    assert refs(cases) == [elsewhere.crime_reference]


def test_team_cases_are_only_the_users_team(supervisor, team, other_team):
    ours = CaseFactory.create(team=team)
    CaseFactory.create(team=other_team)

    cases = case_list_visible_to(user=supervisor, filters=CaseFilters(scope="team"))

    assert refs(cases) == [ours.crime_reference]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.TRIAGE, Role.AUDITOR, Role.ADMINISTRATOR])
def test_roles_without_case_access_get_no_case_list(role, team):
    user = UserFactory.create(role=role, team=team)
    CaseFactory.create(team=team)

    with pytest.raises(PermissionDenied):
        case_list_visible_to(user=user, filters=CaseFilters(scope="team"))
    with pytest.raises(PermissionDenied):
        case_list_visible_to(user=user, filters=CaseFilters(scope="mine"))


def test_a_superuser_flag_does_not_open_case_lists(team):
    admin = UserFactory.create(role=Role.ADMINISTRATOR, team=team, is_superuser=True, is_staff=True)

    with pytest.raises(PermissionDenied):
        case_list_visible_to(user=admin, filters=CaseFilters(scope="team"))


def test_filters_by_status_offence_and_reported_dates(supervisor, team):
    in_range = CaseFactory.create(
        team=team,
        status=CaseStatus.CLOSED,
        offence_class=OffenceClass.objects.get(code="20A"),
        reported_at=dt.datetime(2026, 2, 10, 12, 0, tzinfo=dt.UTC),
    )
    CaseFactory.create(
        team=team, status=CaseStatus.REPORTED, offence_class=in_range.offence_class, reported_at=in_range.reported_at
    )
    CaseFactory.create(team=team, status=CaseStatus.CLOSED, reported_at=in_range.reported_at)  # another offence
    CaseFactory.create(
        team=team,
        status=CaseStatus.CLOSED,
        offence_class=in_range.offence_class,
        reported_at=dt.datetime(2026, 2, 11, 0, 30, tzinfo=dt.UTC),  # the day after "to"
    )

    filters = CaseFilters(
        scope="team",
        status=CaseStatus.CLOSED,
        offence_class="20A",
        reported_from=dt.date(2026, 2, 10),
        reported_to=dt.date(2026, 2, 10),
    )

    assert refs(case_list_visible_to(user=supervisor, filters=filters)) == [in_range.crime_reference]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("reported", ["BS/C", "BS/A", "BS/B"]),
        ("-reported", ["BS/B", "BS/A", "BS/C"]),
        ("crime_reference", ["BS/A", "BS/B", "BS/C"]),
        ("-crime_reference", ["BS/C", "BS/B", "BS/A"]),
        ("status", ["BS/A", "BS/C", "BS/B"]),
        ("offence", ["BS/B", "BS/C", "BS/A"]),
        ("officer__user__password", ["BS/B", "BS/A", "BS/C"]),  # not on the list: the default
    ],
)
def test_sorts_by_whitelisted_keys_only(supervisor, team, sort, expected):
    CaseFactory.create(
        team=team,
        crime_reference="BS/A",
        status=CaseStatus.CHARGED,
        offence_class=OffenceClass.objects.get(code="20A"),
        reported_at=BASE_TIME - dt.timedelta(days=2),
    )
    CaseFactory.create(
        team=team,
        crime_reference="BS/B",
        status=CaseStatus.UNDER_INVESTIGATION,
        offence_class=OffenceClass.objects.get(code="17A"),
        reported_at=BASE_TIME - dt.timedelta(days=1),
    )
    CaseFactory.create(
        team=team,
        crime_reference="BS/C",
        status=CaseStatus.CLOSED,
        offence_class=OffenceClass.objects.get(code="19C"),
        reported_at=BASE_TIME - dt.timedelta(days=3),
    )

    cases = case_list_visible_to(user=supervisor, filters=CaseFilters(scope="team", sort=sort))

    assert refs(cases) == expected


def test_case_detail_has_people_in_roles_the_timeline_and_the_outcome(investigator, team):
    case = CaseFactory.create(team=team)
    InvolvementFactory.create(case=case, role=InvolvementRole.VICTIM, person__last_name="Victimson")
    InvolvementFactory.create(case=case, role=InvolvementRole.SUSPECT, person__last_name="Suspectson")
    CaseEventFactory.create(case=case, kind=EventKind.REPORTED, occurred_at=case.reported_at)
    CaseEventFactory.create(case=case, kind=EventKind.CLOSED, occurred_at=case.reported_at + dt.timedelta(days=9))
    OutcomeFactory.create(case=case, outcome_type=OutcomeType.objects.get(code=16))

    detail = case_get_for_user(user=investigator, pk=case.pk)

    by_role = {group.role: [i.person.last_name for i in group.involvements] for group in detail.people}
    assert by_role == {"victim": ["Victimson"], "suspect": ["Suspectson"], "witness": [], "reporter": []}
    assert [event.kind for event in detail.events] == [EventKind.CLOSED, EventKind.REPORTED]
    assert detail.outcome is not None
    assert detail.outcome.outcome_type_id == 16


def test_case_of_another_team_is_refused_unless_the_user_is_its_officer(investigator, investigator_officer, other_team):
    theirs = CaseFactory.create(team=other_team)
    assigned = CaseFactory.create(team=other_team, officer=investigator_officer)

    with pytest.raises(PermissionDenied):
        case_get_for_user(user=investigator, pk=theirs.pk)
    assert case_get_for_user(user=investigator, pk=assigned.pk).case == assigned


def test_supervisor_sees_only_their_teams_cases(supervisor, team, other_team):
    ours = CaseFactory.create(team=team)
    theirs = CaseFactory.create(team=other_team)

    assert case_get_for_user(user=supervisor, pk=ours.pk).case == ours
    with pytest.raises(PermissionDenied):
        case_get_for_user(user=supervisor, pk=theirs.pk)


def test_a_missing_case_does_not_exist(supervisor):
    with pytest.raises(Case.DoesNotExist):
        case_get_for_user(user=supervisor, pk=uuid.uuid4())
