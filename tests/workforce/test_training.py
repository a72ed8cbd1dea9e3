"""Training records: dates worked out from the course, overdue refreshers warn the officer and supervisor,
and administrators keep the courses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bluestone.accounts.models import Role
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.extensions import MY_WORK, TEAM_WORK, work_items_for
from bluestone.core import clock
from bluestone.workforce.models import CourseType
from bluestone.workforce.services import add_months, training_record_add
from tests.factories import UserFactory
from tests.workforce.factories import course, training

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 11, 15), 3, dt.date(2026, 2, 15)),
        (dt.date(2025, 3, 31), 36, dt.date(2028, 3, 31)),
    ],
)
def test_months_are_added_to_the_same_day_or_the_month_s_end(day, months, expected):
    assert add_months(day, months) == expected


def test_expiry_and_refresher_default_from_the_course(supervisor, officer):
    digital = course("Investigating digital material proportionately")  # valid 36 months, no refresher
    record = training_record_add(actor=supervisor, officer=officer, course=digital, achieved_on=dt.date(2025, 1, 10))
    assert (record.expires_on, record.refresher_due_on) == (dt.date(2028, 1, 10), None)
    specialist = training(supervisor=supervisor, officer=officer, achieved_on=dt.date(2025, 1, 10))
    assert (specialist.expires_on, specialist.refresher_due_on) == (None, dt.date(2028, 1, 10))
    entry = AuditEvent.objects.get(object_type="workforce.TrainingRecord", object_id=str(specialist.pk))
    assert entry.action == AuditAction.COLLECTION
    assert entry.actor_id == supervisor.pk


def test_only_a_supervisor_of_the_officer_s_team_records_training(officer, other_team):
    elsewhere = UserFactory.create(role=Role.SUPERVISOR, team=other_team)
    with pytest.raises(PermissionDenied):
        training(supervisor=elsewhere, officer=officer, achieved_on=dt.date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        training(supervisor=officer.user, officer=officer, achieved_on=dt.date(2025, 1, 1))


def test_a_date_achieved_in_the_future_is_refused(supervisor, officer):
    with pytest.raises(ValidationError) as refused:
        training(supervisor=supervisor, officer=officer, achieved_on=clock.today() + dt.timedelta(days=1))
    assert refused.value.message_dict == {"achieved_on": ["The date achieved must be today or in the past"]}


def test_an_overdue_refresher_warns_the_officer_and_the_supervisor(
    signed_in, supervisor, officer, investigator, client
):
    trauma = course("Trauma-informed practice")  # refresher every 12 months
    training_record_add(
        actor=supervisor, officer=officer, course=trauma, achieved_on=clock.today() - dt.timedelta(days=400)
    )
    mine = work_items_for(user=investigator, queue=MY_WORK)
    assert [(i.kind, i.description, i.overdue) for i in mine if i.url == "/workforce/you/"] == [
        ("Training refresher overdue", "Trauma-informed practice: refresher overdue", True)
    ]
    team = [i for i in work_items_for(user=supervisor, queue=TEAM_WORK) if i.kind == "Training refresher overdue"]
    assert [(i.description, i.url) for i in team] == [
        (f"{officer}: Trauma-informed practice", f"/workforce/officers/{officer.pk}/")
    ]
    page = signed_in(investigator).get("/workforce/you/").content.decode()
    assert "Trauma-informed practice: refresher overdue" in page
    client.logout()
    page = signed_in(supervisor).get("/workforce/").content.decode()
    assert "Trauma-informed practice (refresher overdue)" in page


def test_a_current_refresher_raises_no_warning(supervisor, officer, investigator):
    training(supervisor=supervisor, officer=officer, achieved_on=clock.today() - dt.timedelta(days=30))
    assert not [i for i in work_items_for(user=investigator, queue=MY_WORK) if "refresher" in i.kind.lower()]


def test_an_administrator_adds_and_edits_a_course(signed_in):
    admin = UserFactory.create(role=Role.ADMINISTRATOR, team=None)
    client = signed_in(admin)
    response = client.post(
        "/workforce/courses/new/",
        {
            "name": "Working with intermediaries",
            "description": "",
            "valid_for_months": "",
            "refresher_every_months": "24",
            "required": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302
    created = CourseType.objects.get(name="Working with intermediaries")
    assert (created.refresher_every_months, created.required, created.active) == (24, True, True)
    response = client.post(
        f"/workforce/courses/{created.pk}/",
        {"name": "Trauma-informed practice", "refresher_every_months": "24", "active": "on"},
    )
    assert response.status_code == 200
    assert "There is already a course with this name" in response.content.decode()
    assert "Working with intermediaries" in client.get("/workforce/courses/").content.decode()
