"""The auditor's reads and the CSV export (which is itself logged as a disclosure)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied

from bluestone.accounts.models import Role, User
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.audit.selectors import (
    AuditFilters,
    audit_events_by_actor,
    audit_events_for_case,
    audit_events_for_person,
)
from bluestone.audit.services import CSV_COLUMNS, audit_events_csv, audit_record
from bluestone.audit.verify import audit_log_verify
from bluestone.cases.models import Case, PersonRecord
from bluestone.core import clock
from tests.factories import CaseFactory, PersonRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

# 23:30 UTC on 1 June is 00:30 on 2 June in London (British Summer Time).
LATE_ON_1_JUNE_UTC = dt.datetime(2026, 6, 1, 23, 30, tzinfo=dt.UTC)


@pytest.fixture
def log(monkeypatch: pytest.MonkeyPatch, investigator: User, case: Case, person: PersonRecord) -> dict[str, object]:
    other_user = UserFactory.create(username="owen", role=Role.SUPERVISOR)
    other_case = CaseFactory.create()
    other_person = PersonRecordFactory.create()

    def at(when: dt.datetime, **kwargs: object) -> AuditEvent:
        monkeypatch.setattr(clock, "now", lambda: when)
        return audit_record(**kwargs)  # type: ignore[arg-type]

    events = {
        "viewed": at(dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC), actor=investigator, action="consultation", case=case),
        "altered": at(
            dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC),
            actor=investigator,
            action="alteration",
            case=case,
            person=person,
        ),
        "late": at(LATE_ON_1_JUNE_UTC, actor=other_user, action="consultation", case=case, person=person),
        "elsewhere": at(
            dt.datetime(2026, 6, 5, 9, tzinfo=dt.UTC),
            actor=investigator,
            action="consultation",
            case=other_case,
            person=other_person,
        ),
    }
    return {"events": events, "other_user": other_user}


@pytest.mark.parametrize("role", [r for r in Role if r != Role.AUDITOR])
def test_only_auditors_may_read_the_log(role: Role, case: Case, person: PersonRecord) -> None:
    user = UserFactory.create(role=role)
    with pytest.raises(PermissionDenied):
        audit_events_for_case(user=user, case_id=case.pk)
    with pytest.raises(PermissionDenied):
        audit_events_for_person(user=user, person_id=person.pk)
    with pytest.raises(PermissionDenied):
        audit_events_by_actor(user=user, actor_id=user.pk)
    with pytest.raises(PermissionDenied):
        audit_events_csv(user=user, events=[], recipient="me", out=io.StringIO())


def test_an_auditor_who_has_left_may_not(auditor: User, case: Case) -> None:
    auditor.is_active = False
    with pytest.raises(PermissionDenied):
        audit_events_for_case(user=auditor, case_id=case.pk)


def test_who_accessed_this_case_newest_first(log: dict, auditor: User, case: Case) -> None:
    events = log["events"]
    found = list(audit_events_for_case(user=auditor, case_id=case.pk))
    assert found == [events["late"], events["altered"], events["viewed"]]


def test_who_accessed_this_person(log: dict, auditor: User, person: PersonRecord) -> None:
    events = log["events"]
    assert list(audit_events_for_person(user=auditor, person_id=person.pk)) == [events["late"], events["altered"]]


def test_what_this_user_did(log: dict, auditor: User, investigator: User) -> None:
    events = log["events"]
    found = list(audit_events_by_actor(user=auditor, actor_id=investigator.pk))
    assert found == [events["elsewhere"], events["altered"], events["viewed"]]


def test_dates_are_london_calendar_days_inclusive(log: dict, auditor: User, case: Case) -> None:
    events = log["events"]
    up_to_1_june = AuditFilters(date_from=dt.date(2026, 5, 20), date_to=dt.date(2026, 6, 1))
    from_2_june = AuditFilters(date_from=dt.date(2026, 6, 2))
    assert list(audit_events_for_case(user=auditor, case_id=case.pk, filters=up_to_1_june)) == [events["altered"]]
    assert list(audit_events_for_case(user=auditor, case_id=case.pk, filters=from_2_june)) == [events["late"]]


def test_filter_by_action(log: dict, auditor: User, case: Case) -> None:
    events = log["events"]
    filters = AuditFilters(actions=[AuditAction.ALTERATION])
    assert list(audit_events_for_case(user=auditor, case_id=case.pk, filters=filters)) == [events["altered"]]


def test_filters_are_checked() -> None:
    with pytest.raises(ValueError, match="on or before"):
        AuditFilters(date_from=dt.date(2026, 6, 2), date_to=dt.date(2026, 6, 1))
    with pytest.raises(ValueError, match="not a valid AuditAction"):
        AuditFilters(actions=["peeked"])


def test_the_csv_export_writes_every_entry_and_logs_its_own_disclosure(log: dict, auditor: User, case: Case) -> None:
    filters = AuditFilters(actions=[AuditAction.CONSULTATION, AuditAction.ALTERATION])
    events = audit_events_for_case(user=auditor, case_id=case.pk, filters=filters)
    out = io.StringIO()

    disclosure = audit_events_csv(
        user=auditor,
        events=events,
        recipient="Professional Standards, ref PSD/26/14",
        out=out,
        filters=filters.as_details(),
    )

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [row["sequence"] for row in rows] == ["3", "2", "1"]
    assert rows[0]["occurred_at"] == "2026-06-01T23:30:00.000000Z"
    assert rows[0]["actor_username"] == "owen"

    stored = AuditEvent.objects.get(pk=disclosure.pk)
    assert stored.action == AuditAction.DISCLOSURE
    assert stored.actor == auditor
    assert stored.recipient == "Professional Standards, ref PSD/26/14"
    assert stored.case_id == case.pk  # every row exported was about this case
    assert stored.details == {
        "format": "csv",
        "rows": 3,
        "first_sequence": 1,
        "last_sequence": 3,
        "filters": {"date_from": None, "date_to": None, "actions": ["alteration", "consultation"]},
    }
    assert audit_log_verify().intact


def test_the_export_of_its_log_shows_up_among_who_accessed_the_case(log: dict, auditor: User, case: Case) -> None:
    audit_events_csv(
        user=auditor, events=audit_events_for_case(user=auditor, case_id=case.pk), recipient="IOPC", out=io.StringIO()
    )
    newest = audit_events_for_case(user=auditor, case_id=case.pk).first()
    assert newest is not None
    assert (newest.action, newest.recipient) == (AuditAction.DISCLOSURE, "IOPC")


def test_an_export_needs_a_recipient(auditor: User) -> None:
    with pytest.raises(ValueError, match="who will receive"):
        audit_events_csv(user=auditor, events=[], recipient=" ", out=io.StringIO())
    assert not AuditEvent.objects.exists()


def test_csv_cells_cannot_smuggle_a_spreadsheet_formula(auditor: User, investigator: User) -> None:
    event = audit_record(
        actor=investigator, action=AuditAction.BREAK_GLASS, justification='=HYPERLINK("http://x.example","click")'
    )
    out = io.StringIO()
    audit_events_csv(user=auditor, events=[event], recipient="Information manager", out=out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["justification"] == '\'=HYPERLINK("http://x.example","click")'
