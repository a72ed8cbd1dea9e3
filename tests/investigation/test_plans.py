"""Plans: made for every new case from the template, suspect lines first; made on request for a
loaded case; the template is reference data an administrator edits; the suspect-focus balance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.entry import PersonDetails, case_create
from bluestone.cases.models import CaseEvent, EventKind, HowReported, Role
from bluestone.core.models import OffenceClass
from bluestone.investigation.models import (
    Focus,
    InvestigationPlan,
    LineGroup,
    LineOfEnquiry,
    LineStatus,
    PlanTemplate,
    PlanTemplateLine,
)
from bluestone.investigation.reference import read_default_plan
from bluestone.investigation.selectors import balance_of, plan_page_get
from bluestone.investigation.services import line_update, plan_create, template_line_save
from tests.factories import BASE_TIME, UserFactory

pytestmark = pytest.mark.django_db


def _new_case(actor, team, officer=None):
    return case_create(
        actor=actor,
        offence_class=OffenceClass.objects.get(code="19C"),
        team=team,
        reported_at=BASE_TIME - dt.timedelta(hours=1),
        offence_from=dt.date(2026, 3, 1),
        how_reported=HowReported.IN_PERSON,
        officer=officer,
        people=[PersonDetails(role=Role.VICTIM, first_name="Jo", last_name="Bloggs")],
    )


def test_the_default_template_is_loaded_from_its_csv_suspect_lines_first():
    template = PlanTemplate.objects.get(is_default=True)
    rows = read_default_plan()
    assert template.lines.count() == len(rows)
    groups = list(template.lines.order_by("order").values_list("group", flat=True))
    first_other = next(i for i, g in enumerate(groups) if g != LineGroup.SUSPECT)
    assert all(g == LineGroup.SUSPECT for g in groups[:first_other])
    assert groups[first_other:].count(LineGroup.SUSPECT) == 0
    assert groups[-1] == LineGroup.VICTIM_ACCOUNT


def test_a_new_case_gets_a_suspect_first_plan_in_the_same_transaction(investigator, officer, team):
    case = _new_case(investigator, team, officer)

    plan = InvestigationPlan.objects.get(case=case)
    lines = list(plan.lines.order_by("order"))
    assert len(lines) == PlanTemplateLine.objects.filter(template__is_default=True, active=True).count()
    assert lines[0].group == LineGroup.SUSPECT
    assert lines[0].title == "Check the suspect's history and intelligence"
    assert lines[0].due_on == dt.date(2026, 3, 4)  # due the next day
    assert {line.owner for line in lines} == {investigator}
    assert plan.next_review_due_at == BASE_TIME + dt.timedelta(hours=24)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.PLAN_CREATED).count() == 1
    assert AuditEvent.objects.filter(
        case_id=case.pk, action=AuditAction.COLLECTION, object_type="investigation.InvestigationPlan"
    ).exists()


def test_the_initial_review_delay_is_a_setting(investigator, officer, team, settings):
    settings.BLUESTONE_REVIEW_INITIAL_HOURS = 12
    case = _new_case(investigator, team, officer)
    assert InvestigationPlan.objects.get(case=case).next_review_due_at == BASE_TIME + dt.timedelta(hours=12)


def test_a_loaded_case_without_a_plan_gets_one_on_request_and_only_once(case, investigator):
    assert not InvestigationPlan.objects.filter(case=case).exists()
    plan = plan_create(actor=investigator, case=case)
    assert plan.lines.filter(group=LineGroup.SUSPECT).exists()
    with pytest.raises(ValidationError):
        plan_create(actor=investigator, case=case)
    assert InvestigationPlan.objects.filter(case=case).count() == 1


def test_an_administrators_template_change_applies_to_new_plans(investigator, officer, team):
    administrator = UserFactory.create(role="administrator", team=None)
    template = PlanTemplate.objects.get(is_default=True)
    template_line_save(
        actor=administrator,
        template=template,
        line=None,
        group=LineGroup.SUSPECT,
        title="Check the suspect's online dating profiles",
        guidance="",
        order=15,
        due_days=3,
        active=True,
    )
    retired = template.lines.get(code="first_account")
    template_line_save(
        actor=administrator,
        template=template,
        line=retired,
        group=retired.group,
        title=retired.title,
        guidance=retired.guidance,
        order=retired.order,
        due_days=retired.due_days,
        active=False,
    )

    case = _new_case(investigator, team, officer)
    titles = list(InvestigationPlan.objects.get(case=case).lines.order_by("order").values_list("title", flat=True))
    assert titles[1] == "Check the suspect's online dating profiles"
    assert retired.title not in titles


def test_only_an_administrator_edits_templates(investigator):
    with pytest.raises(PermissionDenied):
        template_line_save(
            actor=investigator,
            template=PlanTemplate.objects.get(is_default=True),
            line=None,
            group=LineGroup.SUSPECT,
            title="Anything",
            guidance="",
            order=1,
            due_days=1,
            active=True,
        )


def test_the_balance_counts_suspect_and_victim_actions_and_which_started_first(case, investigator, fixed_clock):
    plan = plan_create(actor=investigator, case=case)
    suspect_line = plan.lines.filter(focus=Focus.SUSPECT).first()
    victim_line = plan.lines.filter(focus=Focus.VICTIM).first()
    assert suspect_line is not None
    assert victim_line is not None

    page = plan_page_get(user=investigator, case=case)
    assert page.balance is not None
    assert page.balance.suspect == 9
    assert page.balance.victim == 2
    assert page.balance.first == ""

    line_update(actor=investigator, line=victim_line, owner=None, due_on=None, status=LineStatus.IN_PROGRESS)
    fixed_clock["now"] = BASE_TIME + dt.timedelta(hours=1)
    line_update(actor=investigator, line=suspect_line, owner=None, due_on=None, status=LineStatus.IN_PROGRESS)
    assert balance_of(list(LineOfEnquiry.objects.filter(plan=plan))).first == "victim"

    # A line marked not needed is left out of the counts.
    line_update(actor=investigator, line=victim_line, owner=None, due_on=None, status=LineStatus.NOT_NEEDED)
    balance = balance_of(list(LineOfEnquiry.objects.filter(plan=plan)))
    assert balance.victim == 1


def test_the_plan_groups_come_suspect_context_victim(case, investigator):
    plan_create(actor=investigator, case=case)
    page = plan_page_get(user=investigator, case=case)
    assert [g.group for g in page.groups] == [LineGroup.SUSPECT, LineGroup.CONTEXT, LineGroup.VICTIM_ACCOUNT]


def test_another_teams_investigator_cannot_read_the_plan(case, investigator):
    plan_create(actor=investigator, case=case)
    outsider = UserFactory.create(role="investigator")
    with pytest.raises(PermissionDenied):
        plan_page_get(user=outsider, case=case)
