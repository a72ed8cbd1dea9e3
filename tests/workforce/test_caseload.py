"""The complexity-weighted caseload: each factor, the weights from settings, the threshold."""

from __future__ import annotations

import datetime as dt

import pytest

from bluestone.cases.models import CaseStatus, RestrictionReason
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core.models import OffenceClass
from bluestone.workforce import conf
from bluestone.workforce.caseload import case_factors, officer_loads
from tests.evidence.factories import authorised_device_request
from tests.factories import CaseFactory, InvolvementFactory, OfficerFactory, PersonRecordFactory

pytestmark = pytest.mark.django_db


def test_a_plain_case_weighs_one_and_closed_cases_do_not_count(officer):
    CaseFactory.create(officer=officer, team=officer.team)
    CaseFactory.create(officer=officer, team=officer.team, status=CaseStatus.CLOSED)
    load = officer_loads(officers=[officer])[officer.pk]
    assert (load.open_cases, load.weighted) == (1, 1.0)
    assert not load.over_threshold


def test_an_officer_with_no_case_has_no_load(team):
    idle = OfficerFactory.create(team=team)
    load = officer_loads(officers=[idle])[idle.pk]
    assert (load.open_cases, load.weighted) == (0, 0.0)


def test_each_factor_is_found(officer, supervisor, investigator):
    child_class = OffenceClass.objects.filter(child_victim=True).first()
    assert child_class is not None
    by_class = CaseFactory.create(officer=officer, team=officer.team, offence_class=child_class)
    young = CaseFactory.create(officer=officer, team=officer.team, offence_from=dt.date(2025, 6, 1))
    InvolvementFactory.create(case=young, person=PersonRecordFactory.create(date_of_birth=dt.date(2010, 1, 1)))
    several = CaseFactory.create(officer=officer, team=officer.team)
    InvolvementFactory.create_batch(2, case=several, role=InvolvementRole.VICTIM)
    one_victim = CaseFactory.create(officer=officer, team=officer.team)
    InvolvementFactory.create(case=one_victim, role=InvolvementRole.VICTIM)
    InvolvementFactory.create(case=one_victim, role=InvolvementRole.SUSPECT)
    old = CaseFactory.create(officer=officer, team=officer.team, non_recent=True)
    police = CaseFactory.create(
        officer=officer,
        team=officer.team,
        restricted=True,
        restriction_reason=RestrictionReason.POLICE_EMPLOYEE_SUSPECT,
    )
    digital = CaseFactory.create(officer=officer, team=officer.team)
    for _ in range(conf.digital_volume_requests()):
        authorised_device_request(officer=investigator, supervisor=supervisor, case=digital)
    factors = case_factors([c.pk for c in (by_class, young, several, one_victim, old, police, digital)])
    assert factors == {
        by_class.pk: {"child_victim"},
        young.pk: {"child_victim"},
        several.pk: {"several_victims"},
        one_victim.pk: set(),
        old.pk: {"non_recent"},
        police.pk: {"suspect_police_employee"},
        digital.pk: {"digital_volume"},
    }


def test_fewer_digital_requests_than_the_setting_is_not_a_large_volume(officer, supervisor, investigator):
    case = CaseFactory.create(officer=officer, team=officer.team)
    authorised_device_request(officer=investigator, supervisor=supervisor, case=case)
    assert case_factors([case.pk]) == {case.pk: set()}


def test_weights_and_threshold_come_from_settings(officer, settings):
    CaseFactory.create(officer=officer, team=officer.team, non_recent=True)
    InvolvementFactory.create_batch(
        2, case=CaseFactory.create(officer=officer, team=officer.team, non_recent=True), role=InvolvementRole.VICTIM
    )
    # Defaults: 1 + 0.25, and 1 + 0.25 + 0.5.
    assert officer_loads(officers=[officer])[officer.pk].weighted == 3.0
    settings.BLUESTONE_CASELOAD_WEIGHTS = {"non_recent": 1.0, "several_victims": 2.0}
    settings.BLUESTONE_CASELOAD_THRESHOLD = 6.5
    load = officer_loads(officers=[officer])[officer.pk]
    assert load.weighted == 2.0 + 4.0
    assert not load.over_threshold
    settings.BLUESTONE_CASELOAD_THRESHOLD = 5.5
    assert officer_loads(officers=[officer])[officer.pk].over_threshold
    assert "2 open cases, weighted load 6 (threshold 5.5)" == officer_loads(officers=[officer])[officer.pk].summary


def test_an_unknown_factor_in_settings_is_refused(settings):
    settings.BLUESTONE_CASELOAD_WEIGHTS = {"tall_suspect": 1}
    with pytest.raises(ValueError, match="tall_suspect"):
        conf.caseload_weights()


def test_the_trend_counts_cases_open_at_each_month_end(officer):
    import datetime as dt  # noqa: PLC0415

    from bluestone.workforce.caseload import caseload_trend  # noqa: PLC0415
    from tests.factories import OutcomeFactory  # noqa: PLC0415

    today = dt.date(2026, 12, 3)
    at = lambda day: dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)  # noqa: E731
    CaseFactory.create(officer=officer, team=officer.team, reported_at=at(dt.date(2026, 1, 15)))  # open throughout
    CaseFactory.create(officer=officer, team=officer.team, reported_at=at(dt.date(2026, 12, 4)))  # after today
    closed = CaseFactory.create(
        officer=officer, team=officer.team, reported_at=at(dt.date(2026, 3, 10)), status=CaseStatus.CLOSED
    )
    OutcomeFactory.create(case=closed, decided_on=dt.date(2026, 6, 20))
    CaseFactory.create(officer=officer, team=officer.team, reported_at=at(dt.date(2026, 11, 30)), non_recent=True)
    trend = caseload_trend(officers=[officer], today=today)
    assert [p.month_end for p in trend][:2] == [dt.date(2026, 1, 31), dt.date(2026, 2, 28)]
    assert trend[-1].month_end == today
    assert len(trend) == 12
    by_month = {p.month_end: (p.open_cases, p.weighted) for p in trend}
    assert by_month[dt.date(2026, 1, 31)] == (1, 1.0)
    assert by_month[dt.date(2026, 2, 28)] == (1, 1.0)
    assert by_month[dt.date(2026, 3, 31)] == (2, 2.0)
    assert by_month[dt.date(2026, 6, 30)] == (1, 1.0)  # the outcome on 20 June closed it
    assert by_month[dt.date(2026, 11, 30)] == (2, 2.25)
    assert by_month[today] == (2, 2.25)
