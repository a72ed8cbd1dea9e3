"""Restricted cases, break-glass access, case need, and the s.62 entries that every case read leaves."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bluestone.accounts.models import Role
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.models import CaseAccess, CaseAccessKind, RestrictionReason
from bluestone.cases.models import Role as InvolvementRole
from bluestone.cases.selectors import CaseFilters, case_list_visible_to
from bluestone.cases.services import case_need_record, case_restrict
from bluestone.core import clock
from tests.dates import date_boxes
from tests.factories import CaseFactory, InvolvementFactory, OfficerFactory, PersonRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

REASON = "Urgent safeguarding check for a linked report in my team"


@pytest.fixture
def restricted_case(team, supervisor):
    case = CaseFactory.create(team=team, crime_reference="BS/RESTRICTED")
    case_restrict(actor=supervisor, case=case, reason=RestrictionReason.POLICE_EMPLOYEE_SUSPECT, named_users=[])
    return case


@pytest.fixture
def outsider(other_team):
    """An investigator of another team."""
    return UserFactory.create(role=Role.INVESTIGATOR, team=other_team)


def events(action: str, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters))


# --- Restricted cases ---------------------------------------------------------------------------


def test_a_restricted_case_is_hidden_from_its_own_team_and_other_supervisors(signed_in, restricted_case, team):
    colleague = UserFactory.create(role=Role.INVESTIGATOR, team=team)
    other_supervisor = UserFactory.create(role=Role.SUPERVISOR, team=team)

    for user in (colleague, other_supervisor):
        client = signed_in(user)
        listed = client.get("/cases/team/")
        page = client.get(f"/cases/{restricted_case.pk}/")

        assert "BS/RESTRICTED" not in listed.content.decode()
        assert "0 cases" in listed.content.decode() or "No cases" in listed.content.decode()
        assert page.status_code == 403
        assert "This case is restricted" in page.content.decode()
        assert "BS/RESTRICTED" not in page.content.decode()


def test_the_supervisor_who_restricted_it_and_the_officer_are_named(supervisor, team):
    officer_user = UserFactory.create(role=Role.INVESTIGATOR, team=team)
    case = CaseFactory.create(team=team, officer=OfficerFactory.create(team=team, user=officer_user))

    case_restrict(actor=supervisor, case=case, reason=RestrictionReason.PUBLIC_FIGURE, named_users=[])

    named = set(
        CaseAccess.objects.filter(case=case, kind=CaseAccessKind.NAMED).values_list("user__username", flat=True)
    )
    assert named == {supervisor.username, officer_user.username}
    assert list(case_list_visible_to(user=supervisor, filters=CaseFilters(scope="team"))) == [case]
    assert list(case_list_visible_to(user=officer_user, filters=CaseFilters(scope="mine"))) == [case]


def test_a_named_person_from_another_team_sees_it_in_full(signed_in, restricted_case, supervisor, outsider):
    case_restrict(
        actor=supervisor, case=restricted_case, reason=RestrictionReason.POLICE_EMPLOYEE_SUSPECT, named_users=[outsider]
    )

    response = signed_in(outsider).get(f"/cases/{restricted_case.pk}/")

    assert response.status_code == 200
    assert 'data-testid="restricted-flag"' in response.content.decode()


def test_restriction_is_audited_with_the_reason_and_the_named_people(supervisor, team):
    case = CaseFactory.create(team=team)

    case_restrict(actor=supervisor, case=case, reason=RestrictionReason.POLICE_STAFF_VICTIM, named_users=[])

    (event,) = events(AuditAction.ALTERATION, case_id=case.pk)
    assert event.actor == supervisor
    assert event.details["reason"] == "police_staff_victim"
    assert event.details["named_user_ids"] == [supervisor.pk]


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR])
def test_only_a_supervisor_of_the_team_can_restrict(team, role):
    case = CaseFactory.create(team=team)

    with pytest.raises(PermissionDenied):
        case_restrict(
            actor=UserFactory.create(role=role, team=team), case=case, reason=RestrictionReason.OTHER, named_users=[]
        )
    with pytest.raises(PermissionDenied):
        case_restrict(
            actor=UserFactory.create(role=Role.SUPERVISOR),
            case=case,
            reason=RestrictionReason.OTHER,
            named_users=[],
        )
    assert not AuditEvent.objects.filter(action=AuditAction.ALTERATION).exists()


def test_an_analyst_cannot_be_named(supervisor, team):
    case = CaseFactory.create(team=team)

    with pytest.raises(ValidationError):
        case_restrict(
            actor=supervisor,
            case=case,
            reason=RestrictionReason.OTHER,
            named_users=[UserFactory.create(role=Role.ANALYST)],
        )
    case.refresh_from_db()
    assert not case.restricted


def test_the_restrict_page_restricts_and_names(signed_in, supervisor, team, outsider):
    case = CaseFactory.create(team=team)
    client = signed_in(supervisor)

    form = client.get(f"/cases/{case.pk}/restrict/")
    done = client.post(f"/cases/{case.pk}/restrict/", {"reason": "public_figure", "named": [outsider.pk]})

    assert form.status_code == 200
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.restricted
    assert CaseAccess.objects.filter(case=case, user=outsider, kind=CaseAccessKind.NAMED).exists()


def test_restricted_cases_cannot_be_broken_into(signed_in, restricted_case, outsider):
    client = signed_in(outsider)

    page = client.get(f"/cases/{restricted_case.pk}/")
    attempt = client.post(f"/cases/{restricted_case.pk}/break-glass/", {"justification": REASON})

    assert page.status_code == 403
    assert "break-glass access" in page.content.decode()
    assert attempt.status_code == 403
    assert not CaseAccess.objects.filter(kind=CaseAccessKind.BREAK_GLASS).exists()
    assert not events(AuditAction.BREAK_GLASS)


def test_analysts_never_see_restricted_cases(signed_in, restricted_case):
    client = signed_in(UserFactory.create(role=Role.ANALYST, team=None))

    listed = client.get("/analysis/cases/")
    page = client.get(f"/analysis/cases/{restricted_case.pk}/")

    assert "No cases" in listed.content.decode()
    assert page.status_code == 404


# --- Break-glass ------------------------------------------------------------------------------


def test_break_glass_needs_a_reason_long_enough(signed_in, outsider, team):
    case = CaseFactory.create(team=team, crime_reference="BS/THEIRS")
    client = signed_in(outsider)

    empty = client.post(f"/cases/{case.pk}/break-glass/", {"justification": ""})
    short = client.post(f"/cases/{case.pk}/break-glass/", {"justification": "need it"})

    assert "Enter why you need to open this case" in empty.content.decode()
    body = short.content.decode()
    assert "must be 20 characters or more" in body
    assert "govuk-error-summary" in body
    assert "BS/THEIRS" not in body
    assert not CaseAccess.objects.exists()
    assert not events(AuditAction.BREAK_GLASS)


def test_break_glass_opens_the_case_for_an_hour_and_is_recorded(signed_in, outsider, team):
    case = CaseFactory.create(team=team, crime_reference="BS/THEIRS")
    client = signed_in(outsider)

    prompt = client.get(f"/cases/{case.pk}/")
    granted = client.post(f"/cases/{case.pk}/break-glass/", {"justification": REASON})
    page = client.get(f"/cases/{case.pk}/")

    assert prompt.status_code == 403
    assert "BS/THEIRS" not in prompt.content.decode()
    assert granted.status_code == 302
    assert granted["Location"] == f"/cases/{case.pk}/"
    assert page.status_code == 200
    assert 'data-testid="break-glass-banner"' in page.content.decode()
    access = CaseAccess.objects.get(kind=CaseAccessKind.BREAK_GLASS)
    assert access.user == outsider
    assert access.justification == REASON
    assert access.expires_at is not None
    assert dt.timedelta(minutes=59) < access.expires_at - access.granted_at <= dt.timedelta(minutes=60)
    (event,) = events(AuditAction.BREAK_GLASS)
    assert (event.actor, event.case_id, event.justification) == (outsider, case.pk, REASON)
    consultation = events(AuditAction.CONSULTATION, case_id=case.pk)
    assert [e.details["basis"] for e in consultation] == ["break_glass"]


def test_break_glass_runs_out(signed_in, outsider, team, settings):
    settings.BLUESTONE_BREAK_GLASS_MINUTES = 5
    case = CaseFactory.create(team=team)
    client = signed_in(outsider)
    client.post(f"/cases/{case.pk}/break-glass/", {"justification": REASON})
    access = CaseAccess.objects.get()
    assert access.expires_at is not None
    assert access.expires_at - access.granted_at == dt.timedelta(minutes=5)

    CaseAccess.objects.filter(pk=access.pk).update(expires_at=clock.now() - dt.timedelta(seconds=1))

    assert client.get(f"/cases/{case.pk}/").status_code == 403


@pytest.mark.parametrize("role", [Role.ANALYST, Role.TRIAGE, Role.AUDITOR, Role.ADMINISTRATOR])
def test_roles_without_case_access_cannot_break_glass(signed_in, team, role):
    case = CaseFactory.create(team=team)
    client = signed_in(UserFactory.create(role=role, team=team))

    page = client.get(f"/cases/{case.pk}/")
    attempt = client.post(f"/cases/{case.pk}/break-glass/", {"justification": REASON})

    assert page.status_code == 403
    assert "no need to know" not in page.content.decode()
    assert attempt.status_code == 403
    assert not CaseAccess.objects.exists()


def test_the_teams_supervisor_and_auditors_see_break_glass(signed_in, outsider, supervisor, team):
    case = CaseFactory.create(team=team, crime_reference="BS/OURS")
    signed_in(outsider).post(f"/cases/{case.pk}/break-glass/", {"justification": REASON})

    team_list = signed_in(supervisor).get("/cases/break-glass/")
    case_page = signed_in(supervisor).get(f"/cases/{case.pk}/")
    log = signed_in(UserFactory.create(role=Role.AUDITOR, team=None)).get("/break-glass-log/")
    other_supervisor = signed_in(UserFactory.create(role=Role.SUPERVISOR, team=outsider.team)).get(
        "/cases/break-glass/"
    )

    assert REASON in team_list.content.decode()
    assert "BS/OURS" in team_list.content.decode()
    assert 'data-testid="case-break-glass"' in case_page.content.decode()
    assert REASON in case_page.content.decode()
    assert REASON in log.content.decode()
    assert "BS/OURS" not in log.content.decode()  # auditors see the case key, not case content
    assert REASON not in other_supervisor.content.decode()


# --- Analysts and case need ---------------------------------------------------------------------


@pytest.fixture
def analysed_case(team):
    case = CaseFactory.create(team=team, crime_reference="BS/ANALYSED")
    InvolvementFactory.create(
        case=case,
        role=InvolvementRole.VICTIM,
        person=PersonRecordFactory.create(first_name="Verity", last_name="Quaile", date_of_birth=dt.date(1991, 6, 2)),
    )
    InvolvementFactory.create(
        case=case,
        role=InvolvementRole.SUSPECT,
        person=PersonRecordFactory.create(
            first_name="Silas", last_name="Brankworth", date_of_birth=dt.date(1980, 1, 9)
        ),
    )
    return case


@pytest.fixture
def analyst():
    return UserFactory.create(role=Role.ANALYST, team=None)


def test_the_analyst_case_page_is_pseudonymised(signed_in, analyst, analysed_case):
    client = signed_in(analyst)

    listed = client.get("/analysis/cases/")
    page = client.get(f"/analysis/cases/{analysed_case.pk}/")

    for response in (listed, page):
        body = response.content.decode()
        assert response.status_code == 200
        for secret in ("BS/ANALYSED", "Verity", "Quaile", "Silas", "Brankworth", "1991", "LS1 4AP"):
            assert secret not in body
    assert re.search(r"Case [2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", listed.content.decode())
    assert len(re.findall(r"Person [2-9A-HJ-NP-Z]{4}-", page.content.decode())) == 2
    assert "Named" in page.content.decode()
    assert events(AuditAction.LIST, actor=analyst)[0].details["list"] == "analysis"
    assert events(AuditAction.CONSULTATION, actor=analyst)[0].details["view"] == "pseudonymised"


def test_an_analyst_records_a_case_need_and_sees_suspects_only(signed_in, analyst, analysed_case):
    client = signed_in(analyst)

    short = client.post(f"/analysis/cases/{analysed_case.pk}/case-need/", {"justification": "curious"})
    done = client.post(f"/analysis/cases/{analysed_case.pk}/case-need/", {"justification": REASON})
    page = client.get(f"/analysis/cases/{analysed_case.pk}/")

    assert "must be 20 characters or more" in short.content.decode()
    assert done.status_code == 302
    body = page.content.decode()
    assert "Silas Brankworth" in body
    assert "9 January 1980" in body
    assert "Verity" not in body
    assert "Quaile" not in body
    (event,) = events(AuditAction.COLLECTION, case_id=analysed_case.pk)
    assert event.justification == REASON
    assert event.details["kind"] == "case_need"


def test_a_supervisor_records_a_case_need_for_an_analyst(signed_in, supervisor, analyst, analysed_case):
    response = signed_in(supervisor).post(
        f"/cases/{analysed_case.pk}/case-need/", {"analyst": analyst.pk, "justification": REASON}
    )

    assert response.status_code == 302
    access = CaseAccess.objects.get(kind=CaseAccessKind.CASE_NEED)
    assert (access.user, access.granted_by) == (analyst, supervisor)


def test_a_case_need_is_only_for_analysts_and_only_by_the_right_people(supervisor, analyst, analysed_case, outsider):
    with pytest.raises(ValidationError):
        case_need_record(actor=supervisor, analyst=outsider, case=analysed_case, justification=REASON)
    with pytest.raises(PermissionDenied):
        case_need_record(actor=outsider, analyst=analyst, case=analysed_case, justification=REASON)
    other_analyst = UserFactory.create(role=Role.ANALYST, team=None)
    with pytest.raises(PermissionDenied):
        case_need_record(actor=other_analyst, analyst=analyst, case=analysed_case, justification=REASON)
    assert not CaseAccess.objects.exists()


# --- The s.62 log of reads ----------------------------------------------------------------------


def test_a_case_page_view_is_logged_with_the_people_shown(signed_in, supervisor, analysed_case):
    signed_in(supervisor).get(f"/cases/{analysed_case.pk}/")

    shown = sorted(str(pk) for pk in analysed_case.involvements.values_list("person_id", flat=True))
    consultations = events(AuditAction.CONSULTATION)
    (event,) = [e for e in consultations if e.object_type == "cases.Case"]
    assert (event.actor, event.case_id) == (supervisor, analysed_case.pk)
    assert event.details["basis"] == "team"
    assert sorted(event.details["person_ids"]) == shown
    # Each person shown has an entry of their own, found by the indexed person column.
    per_person = [e for e in consultations if e.object_type == "cases.PersonRecord"]
    assert sorted(str(e.person_id) for e in per_person) == shown
    assert {e.case_id for e in per_person} == {analysed_case.pk}


def test_a_list_view_is_logged_with_its_filters_and_count_not_its_rows(signed_in, supervisor, team):
    CaseFactory.create(team=team, crime_reference="BS/LISTED", reported_at=dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC))

    signed_in(supervisor).get(
        "/cases/team/", {"status": "under_investigation", **date_boxes("reported_from", "1/1/2026")}
    )

    (event,) = events(AuditAction.LIST)
    assert event.details["list"] == "team"
    assert event.details["count"] == 1
    assert event.details["filters"]["status"] == "under_investigation"
    assert event.details["filters"]["reported_from"] == "2026-01-01"
    assert "BS/LISTED" not in str(event.details)


def test_an_invalid_filter_shows_no_rows_and_logs_nothing(signed_in, supervisor, team):
    CaseFactory.create(team=team)

    signed_in(supervisor).get(
        "/cases/team/", {"reported_from_day": "31", "reported_from_month": "2", "reported_from_year": "2026"}
    )

    assert not events(AuditAction.LIST)
