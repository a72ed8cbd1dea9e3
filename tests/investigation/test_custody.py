"""Custody, bail and release under investigation (issue 14, defect 6): the PACE detention clock of an
arrest, the authority the next bail extension needs, and the review date of a release under
investigation, on the plan, the case summary, the supervisor's review page and the work queues."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bluestone.cases.entry import case_event_record
from bluestone.cases.extensions import MY_WORK, TEAM_WORK, work_items_for
from bluestone.cases.models import CaseEvent, EventKind
from bluestone.investigation.custody import (
    DETENTION_HOURS,
    SUPERINTENDENT_DETENTION_HOURS,
    WARRANT_DETENTION_HOURS,
    detention_clock,
    next_extension,
)
from bluestone.investigation.models import AuthorityLevel
from bluestone.investigation.selectors import case_panel_context, custody_rows, plan_page_get, rui_rows
from bluestone.investigation.services import bail_record, plan_create, suspect_event_record
from tests.factories import BASE_TIME

pytestmark = pytest.mark.django_db


def _arrest(case, suspect, actor, *, hours_ago: int = 3):
    return suspect_event_record(
        actor=actor,
        case=case,
        kind=EventKind.SUSPECT_ARRESTED,
        suspect=suspect,
        occurred_at=BASE_TIME - dt.timedelta(hours=hours_ago + 1),
        custody_number="01/4471/26",
        relevant_time=BASE_TIME - dt.timedelta(hours=hours_ago),
    )


def test_the_detention_limits_are_those_of_pace():
    assert (DETENTION_HOURS, SUPERINTENDENT_DETENTION_HOURS, WARRANT_DETENTION_HOURS) == (24, 36, 96)
    start = dt.datetime(2026, 3, 3, 9, 15, tzinfo=dt.UTC)
    running = detention_clock(relevant_time=start, released_at=None, now=start + dt.timedelta(hours=30))
    assert [limit.at for limit in running.limits] == [
        dt.datetime(2026, 3, 4, 9, 15, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 4, 21, 15, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 7, 9, 15, tzinfo=dt.UTC),
    ]
    assert running.running
    assert running.next_limit is not None
    assert running.next_limit.hours == SUPERINTENDENT_DETENTION_HOURS
    released = detention_clock(
        relevant_time=start, released_at=start + dt.timedelta(hours=5), now=start + dt.timedelta(days=9)
    )
    assert not released.running
    assert not any(limit.passed for limit in released.limits)


def test_the_next_bail_extension_names_its_authority():
    start = dt.date(2026, 3, 2)
    first = next_extension(starts_on=start, expires_on=dt.date(2026, 6, 2))
    assert (first.authority, first.limit_on) == (AuthorityLevel.INSPECTOR, dt.date(2026, 9, 2))
    second = next_extension(starts_on=start, expires_on=dt.date(2026, 9, 2))
    assert (second.authority, second.limit_on) == (AuthorityLevel.SUPERINTENDENT, dt.date(2026, 12, 2))
    court = next_extension(starts_on=start, expires_on=dt.date(2026, 12, 2))
    assert court.authority == AuthorityLevel.COURT
    assert "magistrates' court" in court.words


def test_an_arrest_needs_its_custody_record_and_a_relevant_time_in_the_past(case, suspect, investigator):
    with pytest.raises(ValidationError) as raised:
        suspect_event_record(
            actor=investigator,
            case=case,
            kind=EventKind.SUSPECT_ARRESTED,
            suspect=suspect,
            occurred_at=BASE_TIME,
            custody_number="",
            relevant_time=BASE_TIME + dt.timedelta(hours=2),
        )
    assert set(raised.value.message_dict) == {"custody_number", "custody_time"}
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.SUSPECT_ARRESTED).exists()


def test_the_clock_runs_from_the_relevant_time_until_release(case, suspect, investigator):
    plan_create(actor=investigator, case=case)
    arrest = _arrest(case, suspect, investigator)
    [row] = custody_rows(case)
    assert row.arrest == arrest
    assert row.clock.running
    assert row.clock.limits[0].at == BASE_TIME - dt.timedelta(hours=3) + dt.timedelta(hours=24)
    panel = case_panel_context(investigator, case)
    assert panel is not None
    assert [row.arrest for row in panel["custody"]] == [arrest]

    bail_record(
        actor=investigator,
        case=case,
        suspect=suspect,
        starts_on=dt.date(2026, 3, 3),
        conditions="",
        victim_views="The victim was asked and had no view.",
    )
    [row] = custody_rows(case)
    assert not row.clock.running
    assert row.released_by == "Suspect released on bail"


def test_a_release_under_investigation_gets_a_review_date_shown_everywhere(
    case, suspect, investigator, supervisor, signed_in
):
    plan_create(actor=investigator, case=case)
    _arrest(case, suspect, investigator)
    release = suspect_event_record(
        actor=investigator,
        case=case,
        kind=EventKind.SUSPECT_RUI,
        suspect=suspect,
        occurred_at=BASE_TIME - dt.timedelta(days=25),
    )
    assert release.review_due_on == dt.date(2026, 3, 3) - dt.timedelta(days=25) + dt.timedelta(days=28)
    assert "Review by 6 March 2026" in release.case_event.summary
    assert [row.release for row in rui_rows(case)] == [release]
    assert plan_page_get(user=investigator, case=case).rui[0].review_due_on == dt.date(2026, 3, 6)
    panel = case_panel_context(investigator, case)
    assert panel is not None
    assert [row.release for row in panel["rui"]] == [release]
    assert "Release under investigation review" in [i.kind for i in work_items_for(user=supervisor, queue=TEAM_WORK)]
    assert "Release under investigation review" in [i.kind for i in work_items_for(user=investigator, queue=MY_WORK)]

    page = signed_in(supervisor).get(f"/cases/{case.pk}/plan/review/").content.decode()
    assert "released under investigation: review" in page
    assert 'data-testid="rui-review"' in signed_in(supervisor).get(f"/cases/{case.pk}/plan/").content.decode()


def test_the_plan_shows_suspect_events_from_the_timeline_whoever_wrote_them(case, investigator):
    case_event_record(actor=investigator, case=case, kind=EventKind.SUSPECT_ARRESTED, summary="Arrested at home")
    [row] = plan_page_get(user=investigator, case=case).suspect_events
    assert row.event.kind == EventKind.SUSPECT_ARRESTED
    assert row.detail is None
