"""Victims' Code duties and support: of two decisions at once, the second is told it is already decided and
writes nothing (see tests/races.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from bluestone.accounts.models import User
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import CaseEvent, EventKind
from bluestone.victims.models import Obligation, ObligationStatus, SupportStatusChange, VictimContact, VictimProfile
from bluestone.victims.services import obligation_not_applicable, victim_contact_record, victim_support_change
from tests.factories import BASE_TIME, UserFactory
from tests.races import Scenario, audited, exactly_one_won
from tests.victims.factories import VictimCase


def _open_duty(vc: VictimCase) -> Obligation:
    # An arrest opens the duty to tell the victim.
    case_event_record(actor=vc.investigator, case=vc.case, kind=EventKind.SUSPECT_ARRESTED, occurred_at=BASE_TIME)
    return Obligation.objects.get(profile=vc.profile, right__code="update_arrest", status=ObligationStatus.OPEN)


def duty_not_applicable(vc: VictimCase) -> Scenario:
    pk = _open_duty(vc).pk
    colleague = UserFactory.create(role="investigator", team=vc.team)

    def close(user: User) -> Callable[[Obligation], Obligation]:
        return lambda duty: obligation_not_applicable(actor=user, obligation=duty, reason="The victim asked not to be.")

    def check() -> None:
        assert Obligation.objects.get(pk=pk).status == ObligationStatus.NOT_APPLICABLE
        assert audited(pk, status="not_applicable") == 1

    return Scenario(
        load=lambda: Obligation.objects.get(pk=pk),
        first=close(vc.investigator),
        second=close(colleague),
        refused_with="already closed",
        check=check,
    )


def duty_met_after_closing(vc: VictimCase) -> Scenario:
    pk = _open_duty(vc).pk

    def check() -> None:
        assert Obligation.objects.get(pk=pk).status == ObligationStatus.NOT_APPLICABLE
        assert not VictimContact.objects.filter(profile=vc.profile).exists()

    return Scenario(
        load=lambda: Obligation.objects.get(pk=pk),
        first=lambda duty: obligation_not_applicable(
            actor=vc.investigator, obligation=duty, reason="The victim asked not to be told."
        ),
        second=lambda duty: victim_contact_record(
            actor=vc.investigator,
            profile=VictimProfile.objects.get(pk=vc.profile.pk),
            occurred_at=BASE_TIME,
            channel="phone",
            summary="Called her.",
            obligations=[duty],
        ),
        refused_with="still due",
        check=check,
    )


def support_withdrawn(vc: VictimCase) -> Scenario:
    def withdraw(profile: VictimProfile) -> SupportStatusChange:
        return victim_support_change(
            actor=vc.investigator, profile=profile, supports=False, reason="fear", occurred_on=dt.date(2026, 3, 2)
        )

    def check() -> None:
        assert SupportStatusChange.objects.filter(profile=vc.profile).count() == 1
        assert CaseEvent.objects.filter(case=vc.case, kind=EventKind.VICTIM_WITHDREW).count() == 1

    return Scenario(
        load=lambda: VictimProfile.objects.get(pk=vc.profile.pk),
        first=withdraw,
        second=withdraw,
        refused_with="already withdrawn support",
        check=check,
    )


SCENARIOS: dict[str, Callable[[VictimCase], Scenario]] = {
    "duty_not_applicable": duty_not_applicable,
    "duty_met_after_closing": duty_met_after_closing,
    "support_withdrawn": support_withdrawn,
}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", SCENARIOS)
def test_two_decisions_at_once_the_second_is_told_already_decided(name: str, victim_case: VictimCase) -> None:
    scenario = SCENARIOS[name](victim_case)
    exactly_one_won(scenario.at_once(), refused_with=scenario.refused_with)
    scenario.check()


@pytest.mark.django_db
@pytest.mark.parametrize("name", SCENARIOS)
def test_a_decision_on_an_out_of_date_page_is_told_already_decided(name: str, victim_case: VictimCase) -> None:
    scenario = SCENARIOS[name](victim_case)
    exactly_one_won(scenario.one_after_the_other(), refused_with=scenario.refused_with)
    scenario.check()
