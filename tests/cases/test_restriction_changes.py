"""Lifting a restriction and taking a named person off a restricted case: reasons, audit entries,
the rules on who stays named, and the history shown on the case."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bluestone.accounts.models import Role
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.models import CaseAccess, CaseAccessKind, RestrictionChange, RestrictionReason
from bluestone.cases.services import case_named_person_remove, case_restrict, case_restriction_lift
from tests.factories import CaseFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db
WHY = "The officer has moved to another unit and no longer works this case"


@pytest.fixture
def officer_user(team):
    return UserFactory.create(username="oic", first_name="Olu", last_name="Ince", role=Role.INVESTIGATOR, team=team)


@pytest.fixture
def colleague(team):
    return UserFactory.create(
        username="colleague", first_name="Cam", last_name="Lee", role=Role.INVESTIGATOR, team=team
    )


@pytest.fixture
def case(team, supervisor, officer_user, colleague):
    case = CaseFactory.create(team=team, officer=OfficerFactory.create(team=team, user=officer_user))
    case_restrict(actor=supervisor, case=case, reason=RestrictionReason.PUBLIC_FIGURE, named_users=[colleague])
    return case


def named(case) -> set[str]:
    return set(
        CaseAccess.objects.filter(case=case, kind=CaseAccessKind.NAMED, revoked_at__isnull=True).values_list(
            "user__username", flat=True
        )
    )


def test_take_a_named_person_off_with_a_reason(case, supervisor, colleague) -> None:
    case_named_person_remove(actor=supervisor, case=case, person=colleague, reason=WHY)
    assert named(case) == {"owen", "oic"}
    entry = AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.ALTERATION).order_by("-sequence").first()
    assert entry is not None
    assert entry.justification == WHY
    assert entry.details == {"restricted": True, "named_user_ids_taken_off": [colleague.pk]}
    assert [c.kind for c in RestrictionChange.objects.filter(case=case)] == [
        "restricted",
        "named",
        "named",
        "named",
        "removed",
    ]


def test_the_officer_in_the_case_and_the_last_supervisor_stay_named(case, supervisor, officer_user) -> None:
    with pytest.raises(ValidationError, match="officer in the case"):
        case_named_person_remove(actor=supervisor, case=case, person=officer_user, reason=WHY)
    with pytest.raises(ValidationError, match="only supervisor"):
        case_named_person_remove(actor=supervisor, case=case, person=supervisor, reason=WHY)
    assert named(case) == {"owen", "oic", "colleague"}


def test_a_reason_is_needed(case, supervisor, colleague) -> None:
    with pytest.raises(ValidationError, match="Enter why this person is taken off the case"):
        case_named_person_remove(actor=supervisor, case=case, person=colleague, reason="  ")
    with pytest.raises(ValidationError, match="Why the restriction is lifted must be"):
        case_restriction_lift(actor=supervisor, case=case, reason="no longer")
    case.refresh_from_db()
    assert case.restricted
    assert "colleague" in named(case)


def test_lift_opens_the_case_to_its_team_and_takes_everyone_off(case, supervisor, team) -> None:
    before = AuditEvent.objects.count()
    assert case_restriction_lift(actor=supervisor, case=case, reason=WHY) == 3
    case.refresh_from_db()
    assert not case.restricted
    assert case.restriction_reason == ""
    assert named(case) == set()
    assert AuditEvent.objects.count() == before + 1
    last = RestrictionChange.objects.filter(case=case).last()
    assert last is not None
    assert (last.kind, last.reason, last.created_by) == ("lifted", WHY, supervisor)
    with pytest.raises(ValidationError, match="not restricted"):
        case_restriction_lift(actor=supervisor, case=case, reason=WHY)


def test_only_a_named_supervisor_of_the_team_may_lift_or_take_off(case, team, colleague) -> None:
    other_supervisor = UserFactory.create(role=Role.SUPERVISOR, team=team)  # not named
    administrator = UserFactory.create(role=Role.ADMINISTRATOR, team=team)
    for actor in (other_supervisor, administrator, colleague):
        with pytest.raises(PermissionDenied):
            case_restriction_lift(actor=actor, case=case, reason=WHY)
        with pytest.raises(PermissionDenied):
            case_named_person_remove(actor=actor, case=case, person=colleague, reason=WHY)


def test_the_restriction_page_takes_off_and_lifts(signed_in, case, supervisor, colleague) -> None:
    client = signed_in(supervisor)
    url = reverse("cases:restriction", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Cam Lee" in page
    assert "Restriction history" in page
    response = client.post(url, {"action": "remove", "remove-person": colleague.pk, "remove-reason": ""})
    assert "Enter why this person is taken off the case" in response.content.decode()
    response = client.post(url, {"action": "remove", "remove-person": colleague.pk, "remove-reason": WHY})
    assert response.status_code == 302
    assert "colleague" not in named(case)
    response = client.post(url, {"action": "lift", "lift-reason": WHY})
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.restricted


def test_the_history_shows_on_the_case_to_those_who_can_see_it(signed_in, case, supervisor, officer_user) -> None:
    case_restriction_lift(actor=supervisor, case=case, reason=WHY)
    page = signed_in(officer_user).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Restriction history" in page
    assert "Restriction lifted" in page
    assert WHY in page
