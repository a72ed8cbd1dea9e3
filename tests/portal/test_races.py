"""Triage: an online report is closed once. Of two colleagues closing it (or calling back on it) at the
moment it closes, the second is told it is already closed and writes nothing (see tests/races.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bluestone.accounts.models import Role, User
from bluestone.portal.models import CallbackAttempt, OnlineReport, ReportStatus
from bluestone.portal.triage.services import callback_attempt_record, online_report_intelligence_record
from tests.factories import UserFactory
from tests.portal.factories import OnlineReportFactory
from tests.races import Scenario, audited, exactly_one_won


def _close(user: User) -> Callable[[OnlineReport], OnlineReport]:
    return lambda report: online_report_intelligence_record(actor=user, report=report, note="Recorded as intelligence")


def closed_as_intelligence(first: User, second: User) -> Scenario:
    pk = OnlineReportFactory.create().pk

    def check() -> None:
        report = OnlineReport.objects.get(pk=pk)
        assert (report.status, report.closed_by_id) == (ReportStatus.INTELLIGENCE, first.pk)
        assert audited(pk, status=ReportStatus.INTELLIGENCE) == 1

    return Scenario(
        load=lambda: OnlineReport.objects.get(pk=pk),
        first=_close(first),
        second=_close(second),
        refused_with="already closed",
        check=check,
    )


def callback_after_closing(first: User, second: User) -> Scenario:
    pk = OnlineReportFactory.create().pk

    def check() -> None:
        assert not CallbackAttempt.objects.filter(report_id=pk).exists()

    return Scenario(
        load=lambda: OnlineReport.objects.get(pk=pk),
        first=_close(first),
        second=lambda report: callback_attempt_record(actor=second, report=report, outcome="spoke"),
        refused_with="already closed",
        check=check,
    )


SCENARIOS = {"closed_as_intelligence": closed_as_intelligence, "callback_after_closing": callback_after_closing}


@pytest.fixture
def colleagues(db: None) -> tuple[User, User]:
    return (
        UserFactory.create(username="triage.one", role=Role.TRIAGE),
        UserFactory.create(username="triage.two", role=Role.TRIAGE),
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", SCENARIOS)
def test_two_decisions_at_once_the_second_is_told_already_closed(name: str, colleagues) -> None:
    scenario = SCENARIOS[name](*colleagues)
    exactly_one_won(scenario.at_once(), refused_with=scenario.refused_with)
    scenario.check()


@pytest.mark.django_db
@pytest.mark.parametrize("name", SCENARIOS)
def test_a_decision_on_an_out_of_date_page_is_told_already_closed(name: str, colleagues) -> None:
    scenario = SCENARIOS[name](*colleagues)
    exactly_one_won(scenario.one_after_the_other(), refused_with=scenario.refused_with)
    scenario.check()
