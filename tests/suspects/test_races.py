"""Link review: of two reviewers deciding the same proposed link at once, the second is told it is already
decided; one decision is in force, with one pair of audit entries (see tests/races.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from bluestone.accounts.models import Role as StaffRole
from bluestone.accounts.models import User
from bluestone.audit.models import AuditEvent
from bluestone.cases.models import PersonRecord
from bluestone.suspects.models import DecisionKind, LinkExplanation, ReviewDecision
from bluestone.suspects.services import link_decision_record
from tests.factories import CaseFactory, TeamFactory, UserFactory
from tests.races import Scenario, exactly_one_won
from tests.suspects.factories import explanation, suspect_on


def _scenario(first_user: User, second_user: User) -> tuple[Scenario, LinkExplanation]:
    a = suspect_on(CaseFactory.create(), first_name="Dale", last_name="Marsh")
    b = suspect_on(CaseFactory.create(), first_name="Dale", last_name="Marsch")
    proposed = explanation(a, b, probability=0.7)

    def decide(user: User, kind: str) -> Callable[[tuple[PersonRecord, PersonRecord]], ReviewDecision]:
        return lambda pair: link_decision_record(
            actor=user,
            person_a=pair[0],
            person_b=pair[1],
            kind=kind,
            reason="Compared the two records side by side.",
            explanation=proposed,
            only_if_undecided=True,
        )

    def check() -> None:
        assert list(ReviewDecision.objects.values_list("kind", "superseded_by")) == [(DecisionKind.CONFIRM, None)]
        assert AuditEvent.objects.filter(object_type="suspects.ReviewDecision").count() == 2

    scenario = Scenario(
        load=lambda: (PersonRecord.objects.get(pk=a.pk), PersonRecord.objects.get(pk=b.pk)),
        first=decide(first_user, DecisionKind.CONFIRM),
        second=decide(second_user, DecisionKind.REJECT),
        refused_with="already been decided",
        check=check,
    )
    return scenario, proposed


@pytest.fixture
def reviewers(db: None) -> tuple[User, User]:
    analyst = UserFactory.create(username="analyst.one", role=StaffRole.ANALYST, team=None)
    supervisor = UserFactory.create(username="sup.one", role=StaffRole.SUPERVISOR, team=TeamFactory.create())
    return analyst, supervisor


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_a_link_at_once_the_second_is_told_already_decided(reviewers) -> None:
    scenario, _ = _scenario(*reviewers)
    exactly_one_won(scenario.at_once(), refused_with=scenario.refused_with)
    scenario.check()


@pytest.mark.django_db
def test_a_link_decided_while_the_page_was_open_is_not_decided_again(reviewers) -> None:
    scenario, _ = _scenario(*reviewers)
    exactly_one_won(scenario.one_after_the_other(), refused_with=scenario.refused_with)
    scenario.check()


@pytest.mark.django_db
def test_the_review_page_says_the_link_is_already_decided(reviewers, client: Client) -> None:
    analyst, supervisor = reviewers
    scenario, proposed = _scenario(analyst, supervisor)
    scenario.first(scenario.load())
    client.force_login(supervisor)

    response = client.post(
        reverse("suspects:pair", kwargs={"pk": proposed.pk}), {"decision": DecisionKind.REJECT, "reason": "Not him"}
    )

    assert response.status_code == 200
    assert "This link has already been decided" in response.content.decode()
    scenario.check()


@pytest.mark.django_db
def test_a_split_or_merge_still_supersedes_a_decision_in_force(reviewers) -> None:
    # Only the review page asks for an undecided pair; an identity's split and merge override on purpose.
    analyst, supervisor = reviewers
    scenario, _ = _scenario(analyst, supervisor)
    scenario.first(scenario.load())
    a, b = scenario.load()
    link_decision_record(actor=supervisor, person_a=a, person_b=b, kind=DecisionKind.CANNOT_LINK, reason="Twins")
    assert ReviewDecision.objects.get(superseded_by__isnull=True).kind == DecisionKind.CANNOT_LINK
