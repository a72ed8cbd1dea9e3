"""The queues: My work (lines due, bail ending), Team work (overdue lines, bail, reviews), Approvals
(victim-focused actions, bail extensions, outcome sign-offs) and Reviews due, with need-to-know."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.extensions import APPROVALS, MY_WORK, TEAM_WORK, work_items_for
from bluestone.cases.models import RestrictionReason
from bluestone.cases.services import case_restrict
from bluestone.core.models import OutcomeType
from bluestone.investigation.models import IntrusiveKind, InvestigationPlan, LineGroup, LineOfEnquiry
from bluestone.investigation.selectors import reviews_due_plans
from bluestone.investigation.services import (
    bail_extension_request,
    bail_record,
    line_add,
    outcome_propose,
    plan_create,
    victim_action_request_approval,
)
from bluestone.investigation.views import queues
from tests.factories import BASE_TIME, CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _kinds(items):
    return sorted(item.kind for item in items)


@pytest.fixture
def plan(case, investigator):
    return plan_create(actor=investigator, case=case)


def test_my_work_lists_my_lines_due_within_a_week_overdue_first(plan, investigator):
    LineOfEnquiry.objects.filter(plan=plan).update(due_on=dt.date(2026, 4, 30))
    first, second = list(plan.lines.order_by("order"))[:2]
    first.due_on = dt.date(2026, 3, 1)
    first.save()
    second.due_on = dt.date(2026, 3, 4)
    second.save()

    items = work_items_for(user=investigator, queue=MY_WORK)
    mine = [i for i in items if i.kind.startswith("Line")]
    assert [i.description for i in mine] == [first.title, second.title]
    assert mine[0].overdue
    assert mine[0].kind == "Line of enquiry overdue"
    assert mine[0].url == f"/cases/{plan.case_id}/plan/lines/{first.pk}/"
    assert mine[0].case_reference == plan.case.crime_reference


def test_bail_ending_within_14_days_is_on_my_work_and_team_work(case, suspect, investigator, supervisor):
    bail = bail_record(
        actor=investigator,
        case=case,
        suspect=suspect,
        starts_on=dt.date(2026, 3, 2),
        conditions="",
        victim_views="Asked",
    )
    assert not [i for i in work_items_for(user=investigator, queue=MY_WORK) if i.kind.startswith("Bail")]
    bail.expires_on = dt.date(2026, 3, 16)
    bail.save()
    assert _kinds(i for i in work_items_for(user=investigator, queue=MY_WORK) if i.kind.startswith("Bail")) == [
        "Bail expires"
    ]
    assert "Bail expires" in _kinds(work_items_for(user=supervisor, queue=TEAM_WORK))


def test_reviews_due_and_overdue_for_the_supervisor(plan, supervisor, fixed_clock):
    assert reviews_due_plans(user=supervisor) == [plan]
    assert "Review overdue" not in _kinds(work_items_for(user=supervisor, queue=TEAM_WORK))
    fixed_clock["now"] = BASE_TIME + dt.timedelta(hours=25)
    assert "Review overdue" in _kinds(work_items_for(user=supervisor, queue=TEAM_WORK))


def test_approvals_gather_victim_actions_bail_extensions_and_outcomes(plan, case, suspect, investigator, supervisor):
    phone = line_add(
        actor=investigator,
        plan=plan,
        group=LineGroup.VICTIM_ACCOUNT,
        title="Phone",
        intrusive_kind=IntrusiveKind.PHONE_DOWNLOAD,
    )
    victim_action_request_approval(
        actor=investigator,
        line=phone,
        rationale="Messages on the night are a reasonable line of enquiry",
        less_intrusive_considered="Screenshots",
        victim_agreed=True,
        victim_notice_given=False,
    )
    bail = bail_record(
        actor=investigator,
        case=case,
        suspect=suspect,
        starts_on=dt.date(2026, 3, 2),
        conditions="",
        victim_views="Asked",
    )
    bail_extension_request(actor=investigator, bail=bail, until=dt.date(2026, 8, 1), reason="Download pending")
    outcome_propose(
        actor=investigator,
        case=case,
        outcome_type=OutcomeType.objects.get(code=10),
        decided_on=dt.date(2026, 3, 3),
        rationale="Formal action is not in the public interest",
    )

    assert _kinds(work_items_for(user=supervisor, queue=APPROVALS)) == [
        "Bail extension",
        "Outcome sign-off",
        "Victim-focused action",
    ]
    assert work_items_for(user=investigator, queue=APPROVALS) == []
    outsider = UserFactory.create(role="supervisor")
    assert work_items_for(user=outsider, queue=APPROVALS) == []


def test_a_restricted_case_stays_off_the_queues_of_people_not_named(plan, case, investigator, supervisor):
    other_supervisor = UserFactory.create(role="supervisor", team=case.team)
    case_restrict(actor=other_supervisor, case=case, reason=RestrictionReason.OTHER, named_users=[])
    assert reviews_due_plans(user=supervisor) == []
    # Nothing of a case (items about officers, such as a wellbeing check-in due, name no case).
    assert [item for item in work_items_for(user=supervisor, queue=TEAM_WORK) if item.case_reference] == []
    # The officer in the case is always named, so it stays on their own work.
    LineOfEnquiry.objects.filter(plan=plan).update(due_on=dt.date(2026, 3, 1))
    assert work_items_for(user=investigator, queue=MY_WORK)


def test_closed_cases_and_cases_without_plans_are_not_reviewed(team, supervisor, investigator):
    CaseFactory.create(team=team)  # no plan: a loaded case
    closed = CaseFactory.create(team=team, status="closed")
    plan_create(actor=investigator, case=closed)
    assert reviews_due_plans(user=supervisor) == []
    assert InvestigationPlan.objects.count() == 1


def _counts(html: str) -> dict[str, int]:
    block = html.split('data-testid="queue-counts"', 1)[1].split("</ul>", 1)[0]
    pairs = re.findall(
        r'app-queue-counts__count">(\d+)</span>\s*<span class="app-queue-counts__label">([^<]+)</span>', block
    )
    return {label.replace("&#x27;", "'"): int(count) for count, label in pairs}


def test_the_supervisors_landing_page_counts_each_queue_and_lists_everything_due(  # noqa: PLR0917
    plan, case, investigator, supervisor, signed_in, fixed_clock
):
    phone = line_add(
        actor=investigator,
        plan=plan,
        group=LineGroup.VICTIM_ACCOUNT,
        title="Phone",
        intrusive_kind=IntrusiveKind.PHONE_DOWNLOAD,
    )
    victim_action_request_approval(
        actor=investigator,
        line=phone,
        rationale="Messages on the night are a reasonable line of enquiry",
        less_intrusive_considered="Screenshots",
        victim_agreed=True,
        victim_notice_given=False,
    )
    unallocated = CaseFactory.create(team=case.team, officer=None)
    # The first review is due 24 hours after the plan was made (2:30pm tomorrow): at 10:30am it is due today.
    fixed_clock["now"] = BASE_TIME + dt.timedelta(hours=20)

    response = signed_in(supervisor).get("/team-work/")

    html = response.content.decode()
    assert response.status_code == 200
    counts = _counts(html)
    assert counts == {
        "Approvals": 1,
        "Reviews due": 1,
        "Cases to allocate": 1,
        "Requests to authorise": 0,
        "Overdue Victims' Code duties": 0,
        "Phones due back": 0,
    }
    # Each count links to its list; the table holds the decision and the review as well as team work.
    assert 'href="/approvals/"' in html
    assert 'href="/reviews-due/"' in html
    assert 'href="/team-work/?show=allocate"' in html
    table = html.split('data-testid="work-items"', 1)[1]
    for kind in ("Victim-focused action", "Review due", "Case to allocate"):
        assert kind in table

    only = signed_in(supervisor).get("/team-work/", {"show": "allocate"}).content.decode()
    table = only.split('data-testid="work-items"', 1)[1]
    assert unallocated.crime_reference in table
    assert "Victim-focused action" not in table
    assert 'aria-current="page"' in only.split('data-testid="queue-counts"', 1)[1].split("</ul>", 1)[0]


def test_the_landing_page_is_for_supervisors_only(investigator, signed_in):
    assert signed_in(investigator).get("/team-work/").status_code == 403


def test_a_supervisor_can_record_a_new_case_from_the_landing_page(supervisor, signed_in):
    # Supervisors may record a report for their team; the landing page is where they start.
    client = signed_in(supervisor)
    html = client.get("/team-work/").content.decode()

    assert '<a class="govuk-link" href="/cases/new/">Record a new case</a>' in html
    assert client.get("/cases/new/").status_code == 200


def _table_references(html: str) -> list[str]:
    table = html.split('data-testid="work-items"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"Choose the officer in the case \(([^)]+)\)", table)


@pytest.fixture
def to_allocate(case, monkeypatch):
    """Five of the team's cases waiting for an officer, oldest report first (the queue's order for
    undated items), and Team work in pages of two."""
    monkeypatch.setattr(queues, "TEAM_WORK_PAGE_SIZE", 2)
    return [
        CaseFactory.create(team=case.team, officer=None, reported_at=BASE_TIME - dt.timedelta(days=10 - n))
        for n in range(5)
    ]


def test_team_work_is_shown_a_page_at_a_time_in_the_queues_order(to_allocate, supervisor, signed_in):
    client = signed_in(supervisor)
    references = [case.crime_reference for case in to_allocate]

    first = client.get("/team-work/", {"show": "allocate"}).content.decode()
    second = client.get("/team-work/", {"show": "allocate", "page": "2"}).content.decode()
    third = client.get("/team-work/", {"show": "allocate", "page": "3"}).content.decode()

    assert _table_references(first) == references[:2]
    assert _table_references(second) == references[2:4]
    assert _table_references(third) == references[4:]
    assert "Team work (page 2 of 3)" in second.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Showing 3 to 4 of 5" in second
    # The pages link to each other and keep the queue chosen.
    pagination = second.split('class="govuk-pagination"', 1)[1].split("</nav>", 1)[0]
    assert 'rel="prev"' in pagination
    assert 'rel="next"' in pagination
    assert "show=allocate&amp;page=3" in pagination
    # The counts are of the whole team's queue on every page, and so is the count logged.
    for html in (first, second, third):
        assert _counts(html)["Cases to allocate"] == 5
    logged = AuditEvent.objects.filter(action=AuditAction.LIST, actor=supervisor, object_type="cases.WorkItem")
    assert [entry.details["count"] for entry in logged] == [5, 5, 5]


def test_team_work_without_a_choice_of_queue_is_in_pages_too(to_allocate, supervisor, signed_in):
    everything = queues._unique(
        work_items_for(user=supervisor, queue=TEAM_WORK) + work_items_for(user=supervisor, queue=APPROVALS)
    )
    assert len(everything) > 4

    html = signed_in(supervisor).get("/team-work/", {"page": "2"}).content.decode()

    table = html.split('data-testid="work-items"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<td class="govuk-table__cell"><a class="govuk-link" href="([^"]+)"', table) == [
        item.url for item in everything[2:4]
    ]
    assert f"Showing 3 to 4 of {len(everything)}" in html


@pytest.mark.parametrize(("asked", "shown"), [("0", 1), ("x", 1), ("-1", 1), ("99", 3)])
def test_a_page_that_does_not_exist_shows_the_first_or_the_last(to_allocate, supervisor, signed_in, asked, shown):
    # As on Team cases: a page that is not a number shows the first page, one past the end the last.
    response = signed_in(supervisor).get("/team-work/", {"show": "allocate", "page": asked})

    assert response.status_code == 200
    html = response.content.decode()
    assert f"(page {shown} of 3)" in html
    expected = {1: to_allocate[:2], 3: to_allocate[4:]}[shown]
    assert _table_references(html) == [case.crime_reference for case in expected]


def test_a_short_queue_has_no_pages(case, supervisor, signed_in):
    CaseFactory.create(team=case.team, officer=None)

    html = signed_in(supervisor).get("/team-work/").content.decode()

    assert "govuk-pagination" not in html
    assert "Showing" not in html
    assert "(page " not in html
