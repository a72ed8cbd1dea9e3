"""The suite gives the same data in every run: factory-boy's Faker reseeded per test, sequences
restarted, factories that read the one clock when they make a record, Hypothesis derandomized in CI."""

from __future__ import annotations

import datetime as dt
import os

import factory.random
import pytest
from hypothesis import settings as hypothesis_settings

from bluestone.core import clock
from tests.factories import CaseFactory, PersonRecordFactory, UserFactory
from tests.portal.factories import OnlineReportFactory

pytestmark = pytest.mark.django_db


def _people() -> list[tuple[str, str, dt.date | None]]:
    return [(p.first_name, p.last_name, p.date_of_birth) for p in PersonRecordFactory.build_batch(5)]


def test_each_test_starts_from_the_same_faker_seed_and_sequences(request):
    first = _people()
    case = CaseFactory.create()
    user = UserFactory.create()

    # What the conftest does before every test, done again: the same names, dates and numbers follow.
    factory.random.reseed_random(request.node.nodeid)
    assert _people() == first
    assert case.crime_reference == "BS/26/000000"
    assert user.username == "user0"
    assert len({name for name, _, _ in first}) > 1, "Faker should still vary within a test"


def test_another_test_gets_other_names_but_the_same_sequence_start():
    assert CaseFactory.create().crime_reference == "BS/26/000000"


def test_the_online_report_factory_reads_the_clock_when_it_makes_a_report(monkeypatch):
    when = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: when)

    report = OnlineReportFactory.create()

    assert report.submitted_at == when
    assert report.callback_due_at == when + dt.timedelta(hours=12)


def test_hypothesis_is_derandomized_in_ci():
    profile = hypothesis_settings.get_profile("ci")
    assert profile.derandomize is True
    assert profile.database is None
    assert profile.print_blob is True
    if os.environ.get("CI", "").lower() == "true":
        assert hypothesis_settings.get_current_profile_name() == "ci"
