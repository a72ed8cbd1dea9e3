"""The auditor's "Sign-ins and lockouts" page: failed sign-ins, lockouts and break-glass accesses
force-wide, narrowed by what happened and by dates, and itself logged."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from bluestone.accounts.models import Role, User
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.audit.services import audit_record
from bluestone.cases.models import Case
from bluestone.cases.services import break_glass_open
from bluestone.core import clock
from tests.audit.test_views import table_rows
from tests.dates import date_boxes
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGN_INS = reverse("audit:sign-ins")
REASON = "Checking a linked report for a safeguarding referral"


def on(day: dt.date, **kwargs) -> AuditEvent:
    when = dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)
    with mock.patch("bluestone.core.clock.now", return_value=when):
        return audit_record(**kwargs)


@pytest.fixture
def entries(investigator: User, case: Case) -> dict[str, AuditEvent]:
    today = clock.today()
    return {
        "failed": on(
            today - dt.timedelta(days=3),
            actor=None,
            action=AuditAction.SIGN_IN_FAILED,
            object_type="accounts.User",
            details={"username": "amira", "step": "password"},
        ),
        "locked": on(
            today - dt.timedelta(days=1),
            actor=None,
            action=AuditAction.LOCKOUT,
            object_type="accounts.User",
            details={"username": "amira", "failures": 5},
        ),
        # Not a security event: never listed here.
        "read": on(today, actor=investigator, action=AuditAction.CONSULTATION, case=case, object_type="cases.Case"),
    }


@pytest.fixture
def auditor_client(client: Client, auditor: User) -> Client:
    client.force_login(auditor)
    return client


def test_failed_sign_ins_lockouts_and_break_glass_are_listed_force_wide(
    auditor_client: Client, entries: dict, case: Case
) -> None:
    outsider = UserFactory.create(username="gus", role=Role.INVESTIGATOR, team=TeamFactory.create())
    break_glass_open(user=outsider, case=case, justification=REASON)

    rows = table_rows(auditor_client.get(SIGN_INS))

    assert len(rows) == 3
    assert "Break-glass access" in rows[0]
    assert "gus" in rows[0]
    assert case.crime_reference in rows[0]
    assert REASON in rows[0]
    assert "Locked out" in rows[1]
    assert "After 5 failures" in rows[1]
    assert "Sign-in failed" in rows[2]
    assert "Username tried: amira" in rows[2]


def test_what_happened_and_dates_narrow_the_list(auditor_client: Client, entries: dict) -> None:
    today = clock.today()

    only_lockouts = table_rows(auditor_client.get(SIGN_INS, {"action": "lockout"}))
    two_days_ago = (today - dt.timedelta(days=2)).strftime("%d/%m/%Y")
    last_two_days = table_rows(auditor_client.get(SIGN_INS, date_boxes("date_from", two_days_ago)))
    before = table_rows(auditor_client.get(SIGN_INS, date_boxes("date_to", two_days_ago)))

    assert len(only_lockouts) == 1
    assert "Locked out" in only_lockouts[0]
    assert len(last_two_days) == 1
    assert "Locked out" in last_two_days[0]
    assert len(before) == 1
    assert "Sign-in failed" in before[0]


def test_bad_filters_are_explained(auditor_client: Client, entries: dict) -> None:
    response = auditor_client.get(SIGN_INS, {**date_boxes("date_from", "31/02/2026"), "action": "consultation"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The date from must be a real date" in body
    assert "Choose what happened from the list" in body
    assert table_rows(response) == []


def test_the_list_is_logged_with_its_filters_and_count(auditor_client: Client, auditor: User, entries: dict) -> None:
    auditor_client.get(SIGN_INS, {"action": "sign_in_failed"})

    entry = AuditEvent.objects.get(actor=auditor, action=AuditAction.LIST)
    assert entry.details["list"] == "sign-ins and lockouts"
    assert entry.details["filters"]["actions"] == ["sign_in_failed"]
    assert entry.details["count"] == 1


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMINISTRATOR])
def test_only_auditors_may_see_it(client: Client, role: str) -> None:
    client.force_login(UserFactory.create(role=role))

    assert client.get(SIGN_INS).status_code == 403
