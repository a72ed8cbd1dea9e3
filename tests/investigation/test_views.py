"""The pages: the plan tab, forms that refuse bad input on the page and write nothing, the queues,
the templates page, and the New case page that starts everything."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.models import Case, CaseEvent, EventKind, Involvement
from bluestone.investigation.models import InvestigationPlan, LineGroup, PlanTemplateLine, SuspectEvent
from bluestone.investigation.services import plan_create
from tests.dates import date_boxes
from tests.factories import InvolvementFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_plan_tab_shows_the_suspect_first_with_the_balance(case, suspect, investigator, signed_in):
    plan_create(actor=investigator, case=case)
    response = signed_in(investigator).get(f"/cases/{case.pk}/plan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        html.index('data-group="suspect"')
        < html.index('data-group="context"')
        < html.index('data-group="victim_account"')
    )
    assert "Suspect focus: 9 suspect-focused actions, 2 victim-focused actions" in html
    assert "No arrest, interview, bail or charge is recorded yet." in html
    assert "The victim must be told within the Victims&#x27; Code deadline (see the Victim tab)" in html
    tabs = [label for label in ("Investigation plan", "Timeline", "Outcome") if label in html]
    assert tabs == ["Investigation plan", "Timeline", "Outcome"]
    assert AuditEvent.objects.filter(
        case_id=case.pk, action=AuditAction.CONSULTATION, actor=investigator, person_id=suspect.person_id
    ).exists()


def test_a_loaded_case_offers_create_plan(case, investigator, signed_in):
    client = signed_in(investigator)
    assert "Create plan" in client.get(f"/cases/{case.pk}/plan/").content.decode()
    client.post(f"/cases/{case.pk}/plan/create/", {})
    assert not InvestigationPlan.objects.filter(case=case).exists()
    response = client.post(f"/cases/{case.pk}/plan/create/", {"confirm": "yes"})
    assert response.status_code == 302
    assert InvestigationPlan.objects.filter(case=case).exists()


def test_charging_with_no_named_suspect_is_refused_on_the_page(case, investigator, signed_in):
    unnamed = InvolvementFactory.create(case=case, role="suspect", person__first_name="", person__last_name="")
    response = signed_in(investigator).post(
        f"/cases/{case.pk}/plan/charge/",
        {"suspect": str(unnamed.pk), **date_boxes("occurred_on", "3/3/2026"), "details": "Rape"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "A suspect can be charged only once they are named" in html
    assert not SuspectEvent.objects.exists()


def test_recording_an_arrest_on_the_page(case, suspect, investigator, signed_in):
    arrest = {"kind": EventKind.SUSPECT_ARRESTED, "suspect": str(suspect.pk), **date_boxes("occurred_on", "3/3/2026")}
    client = signed_in(investigator)
    # Without its custody record and the time of arrival, an arrest is refused beside those fields.
    response = client.post(f"/cases/{case.pk}/plan/suspect-event/", arrest)
    assert response.status_code == 200
    assert "Enter the custody record number" in response.content.decode()
    response = client.post(
        f"/cases/{case.pk}/plan/suspect-event/", arrest | {"custody_number": "01/4471/26", "custody_time": "09:15"}
    )
    assert response.status_code == 302
    event = SuspectEvent.objects.get(case=case, kind=EventKind.SUSPECT_ARRESTED)
    assert event.custody_number == "01/4471/26"
    assert timezone.localtime(event.relevant_time).strftime("%d/%m/%Y %H:%M") == "03/03/2026 09:15"
    # The plan shows the 24-hour detention clock from the relevant time.
    html = client.get(f"/cases/{case.pk}/plan/").content.decode()
    assert 'data-testid="custody-clock"' in html
    assert "4 March 2026 at 9:15am" in html


def test_an_arrest_dated_in_the_future_is_refused_not_recorded_as_today(case, suspect, investigator, signed_in):
    response = signed_in(investigator).post(
        f"/cases/{case.pk}/plan/suspect-event/",
        {
            "kind": EventKind.SUSPECT_ARRESTED,
            "suspect": str(suspect.pk),
            **date_boxes("occurred_on", "1/1/2030"),
            "custody_number": "01/4471/26",
            "custody_time": "09:15",
        },
    )
    assert response.status_code == 200
    assert "The date must be today or in the past" in response.content.decode()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.SUSPECT_ARRESTED).exists()


def test_a_bail_extension_beyond_authority_is_refused_on_the_page(case, suspect, investigator, signed_in):
    client = signed_in(investigator)
    client.post(
        f"/cases/{case.pk}/plan/bail/",
        {"suspect": str(suspect.pk), **date_boxes("starts_on", "2/3/2026"), "conditions": "", "victim_views": "Asked"},
    )
    bail = case.bails.get()
    response = client.post(
        f"/cases/{case.pk}/plan/bail/{bail.pk}/extend/",
        {**date_boxes("until", "1/8/2026"), "reason": "Awaiting results", "action": "extend"},
    )
    assert response.status_code == 200
    assert "which you do not hold" in response.content.decode()
    response = client.post(
        f"/cases/{case.pk}/plan/bail/{bail.pk}/extend/",
        {**date_boxes("until", "1/8/2026"), "reason": "Awaiting results", "action": "ask"},
    )
    assert response.status_code == 302
    bail.refresh_from_db()
    assert bail.extension_requested_until == dt.date(2026, 8, 1)
    assert bail.expires_on == dt.date(2026, 6, 2)


def test_the_review_form_asks_every_prompt(case, investigator, supervisor, signed_in):
    plan_create(actor=investigator, case=case)
    client = signed_in(supervisor)
    response = client.post(f"/cases/{case.pk}/plan/review/", {"suspect_history_answer": "yes"})
    assert response.status_code == 200
    assert "Answer: Has early arrest and interview of the suspect been considered or done?" in response.content.decode()


def test_the_timeline_tab_lists_every_event(case, investigator, signed_in):
    plan_create(actor=investigator, case=case)
    response = signed_in(investigator).get(f"/cases/{case.pk}/timeline/")
    assert response.status_code == 200
    assert "Investigation plan created" in response.content.decode()


def test_my_work_shows_cards_and_items(case, investigator, signed_in):
    plan = plan_create(actor=investigator, case=case)
    plan.lines.update(due_on=dt.date(2026, 3, 3))
    response = signed_in(investigator).get("/my-work/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="work-cards"' in html
    assert "due today, 3 March" in html
    assert AuditEvent.objects.filter(action=AuditAction.LIST, actor=investigator).exists()
    # The case column links to the case page.
    assert f'<a class="govuk-link" href="/cases/{case.pk}/">{case.crime_reference}</a>' in html


def test_the_investigator_lands_on_my_work(investigator, signed_in):
    response = signed_in(investigator).get("/")
    assert response["Location"] == "/my-work/"


def test_the_new_case_page_creates_the_case_and_its_plan(team, investigator, officer, signed_in):
    client = signed_in(investigator)
    response = client.post(
        "/cases/new/",
        {
            "offence_class": "19C",
            **date_boxes("reported_on", "3/3/2026"),
            **date_boxes("offence_from", "1/3/2026"),
            "how_reported": "in_person",
            "victim_first_name": "Jo",
            "victim_last_name": "Bloggs",
            "suspect_first_name": "Sam",
            "suspect_last_name": "Smith",
            "suspect_relationship": "ex_partner",
        },
    )
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.officer == officer
    assert case.team == team
    assert Involvement.objects.filter(case=case).count() == 2
    plan = InvestigationPlan.objects.get(case=case)
    assert plan.lines.order_by("order").first().group == LineGroup.SUSPECT  # type: ignore[union-attr]


def test_the_new_case_page_refuses_bad_input_and_writes_nothing(investigator, officer, signed_in):
    response = signed_in(investigator).post(
        "/cases/new/",
        {
            "offence_class": "19C",
            **date_boxes("reported_on", "1/3/2026"),
            **date_boxes("offence_from", "3/3/2026"),
            "how_reported": "in_person",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the victim&#x27;s name" in html
    assert not Case.objects.exists()


def test_an_administrator_edits_a_template_line(signed_in):
    administrator = UserFactory.create(role="administrator", team=None)
    line = PlanTemplateLine.objects.get(code="suspect_history")
    client = signed_in(administrator)
    assert "Check the suspect&#x27;s history" in client.get("/templates/").content.decode()
    response = client.post(
        f"/templates/lines/{line.pk}/",
        {
            "group": "suspect",
            "title": "Check the suspect's full history",
            "guidance": "",
            "order": 5,
            "due_days": 1,
            "active": "on",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.title == "Check the suspect's full history"
    assert line.order == 5


def test_the_case_summary_shows_the_next_things_to_do(case, investigator, signed_in):
    plan = plan_create(actor=investigator, case=case)
    first = plan.lines.order_by("order").first()
    assert first is not None
    html = signed_in(investigator).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="next-things-to-do"' in html
    assert f"{first.title}</a>: due tomorrow, 4 March" in html.replace("&#x27;", "'")
    assert "Supervisory review due tomorrow, 4 March" in html


def test_the_case_summary_has_no_panel_without_a_plan(case, investigator, signed_in):
    html = signed_in(investigator).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="next-things-to-do"' not in html


def test_editing_a_line_of_enquiry_accepts_its_own_date(case, investigator, signed_in):
    plan = plan_create(actor=investigator, case=case)
    line = plan.lines.order_by("order")[0]
    line.due_on = dt.date(2026, 12, 3)
    line.save()
    client = signed_in(investigator)
    html = client.get(f"/cases/{case.pk}/plan/lines/{line.pk}/").content.decode()
    assert 'class="govuk-date-input"' in html
    # The page fills the three boxes from the stored date; sent back unchanged they are accepted.
    for name, value in date_boxes("due_on", "3/12/2026").items():
        assert f'name="{name}" value="{value}"' in html
    response = client.post(
        f"/cases/{case.pk}/plan/lines/{line.pk}/",
        {**date_boxes("due_on", "3/12/2026"), "status": "in_progress", "result": "", "linked_evidence": ""},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.due_on, line.status) == (dt.date(2026, 12, 3), "in_progress")
