"""The evidence pages: what they show, what they log, and bad input shown back with every reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bluestone.audit.models import AuditEvent
from bluestone.cases import extensions
from bluestone.cases.extensions import APPROVALS, MY_WORK, TEAM_WORK
from bluestone.core import clock
from bluestone.evidence.models import DigitalRequest, Exhibit, ExhibitStatus, NoticeElement, RequestStatus
from bluestone.evidence.services import digital_request_create
from bluestone.evidence.work import evidence_work_items
from tests.dates import date_boxes
from tests.evidence.factories import device_details, sarc_sample, victim_phone

pytestmark = pytest.mark.django_db


def test_the_evidence_tab_shows_the_phone_clock_and_logs_the_view(signed_in, officer, supervisor, case, victim):
    victim_phone(
        officer=officer, supervisor=supervisor, case=case, person=victim, taken_at=clock.now() - dt.timedelta(hours=20)
    )

    response = signed_in(officer).get(reverse("evidence:case-evidence", kwargs={"pk": case.pk}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Due back in 4 hours" in page
    assert "1 request about the victim" not in page  # sentence is about suspects first
    assert "0 requests about the suspect, 1 about the victim" in page
    logged = AuditEvent.objects.filter(actor=officer, action="consultation", case_id=case.pk)
    assert logged.filter(details__view="evidence tab").exists()
    assert logged.filter(person_id=victim.pk).exists()


def test_the_case_page_has_an_evidence_tab(signed_in, officer, case):
    response = signed_in(officer).get(reverse("cases:detail", kwargs={"pk": case.pk}))
    assert reverse("evidence:case-evidence", kwargs={"pk": case.pk}) in response.content.decode()


def test_a_victim_device_request_without_notice_agreement_or_rationale_is_shown_every_reason(signed_in, officer, case):
    url = reverse("evidence:request-new-kind", kwargs={"pk": case.pk, "kind": "victim_device"})

    response = signed_in(officer).post(url, {"line_of_enquiry": "Messages", "purpose": "Account"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    for reason in (
        "Enter the date the written notice was given",
        "The written notice must tell the person everything listed",
        "Record whether the victim agreed",
        "Enter why the request is necessary and proportionate",
        "only be examined if they give it voluntarily",
    ):
        assert reason in page, reason
    assert not DigitalRequest.objects.exists()


def test_a_complete_request_goes_through_the_form(signed_in, officer, case, victim):
    url = reverse("evidence:request-new-kind", kwargs={"pk": case.pk, "kind": "victim_device"})
    elements = list(NoticeElement.objects.filter(kind="victim_device").values_list("code", flat=True))
    data = {
        "person": str(victim.pk),
        "line_of_enquiry": "Messages from the suspect",
        "purpose": "His account in his words",
        "necessity_rationale": "Only that thread is needed",
        "less_intrusive_options": "Screenshots cannot show deletions",
        "data_categories": ["messages"],
        **date_boxes("scope_from", "1/2/2026"),
        **date_boxes("scope_to", "28/2/2026"),
        "selective_extraction": "on",
        "given_voluntarily": "on",
        "victim_agreed": "yes",
        **date_boxes("notice_given_on", "3/3/2026"),
        "notice_elements": elements,
    }

    response = signed_in(officer).post(url, data)

    entry = DigitalRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:request", kwargs={"pk": case.pk, "request_id": entry.pk})
    assert entry.status == RequestStatus.AWAITING_AUTHORISATION
    assert entry.scope_from == dt.date(2026, 2, 1)


def test_the_supervisor_authorises_from_their_queue(signed_in, officer, supervisor, case):
    entry = digital_request_create(actor=officer, case=case, details=device_details())
    client = signed_in(supervisor)

    queue = client.get(reverse("evidence:requests-to-authorise"))
    assert queue.status_code == 200
    decide_url = reverse("evidence:request-decision", kwargs={"pk": case.pk, "request_id": entry.pk})
    assert decide_url in queue.content.decode()
    assert AuditEvent.objects.filter(actor=supervisor, action="list", details__list="requests to authorise").exists()

    empty = client.post(decide_url, {})
    assert empty.status_code == 200
    assert "Choose whether to authorise the request" in empty.content.decode()

    response = client.post(decide_url, {"decision": "authorise", "note": ""})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == RequestStatus.AUTHORISED


def test_an_investigator_cannot_decide(signed_in, officer, case):
    entry = digital_request_create(actor=officer, case=case, details=device_details())
    url = reverse("evidence:request-decision", kwargs={"pk": case.pk, "request_id": entry.pk})
    assert signed_in(officer).post(url, {"decision": "authorise"}).status_code == 403
    entry.refresh_from_db()
    assert entry.status == RequestStatus.AWAITING_AUTHORISATION


def test_destroying_an_exhibit_of_an_open_case_is_refused_on_the_page(signed_in, officer, supervisor, case):
    phone = victim_phone(officer=officer, supervisor=supervisor, case=case)
    url = reverse("evidence:exhibit-destroy", kwargs={"pk": case.pk, "exhibit_id": phone.pk})

    response = signed_in(supervisor).post(
        url,
        {
            "authority": "Court order",
            **date_boxes("destroyed_at_date", "3/3/2026"),
            "destroyed_at_time": "2pm",
            "confirmed": "on",
        },
    )

    assert response.status_code == 200
    assert "still open, so it cannot be destroyed" in response.content.decode()
    phone.refresh_from_db()
    assert phone.status == ExhibitStatus.HELD


def test_giving_a_phone_back_through_the_page(signed_in, officer, supervisor, case):
    phone = victim_phone(
        officer=officer, supervisor=supervisor, case=case, taken_at=clock.now() - dt.timedelta(hours=3)
    )
    url = reverse("evidence:exhibit-return", kwargs={"pk": case.pk, "exhibit_id": phone.pk})

    response = signed_in(officer).post(
        url,
        {
            "returned_to": "The victim",
            "handled_by": "DC Rivers",
            **date_boxes("returned_at_date", "3/3/2026"),
            "returned_at_time": "2:30pm",
            "authority": "Extraction done",
        },
    )

    assert response.status_code == 302
    phone.refresh_from_db()
    assert phone.status == ExhibitStatus.RETURNED
    assert phone.seconds_to_return == 3 * 3600
    page = signed_in(officer).get(response["Location"]).content.decode()
    assert "after 3 hours" in page
    assert "Returned in time" in page


def test_work_queues_surface_phones_and_requests(officer, supervisor, case):
    victim_phone(officer=officer, supervisor=supervisor, case=case, taken_at=clock.now() - dt.timedelta(hours=26))
    digital_request_create(actor=officer, case=case, details=device_details())

    # Asked of this app's source directly, so that another app's queue items do not muddle the test.
    assert any(source.items is evidence_work_items for source in extensions._work_sources)
    mine = evidence_work_items(officer, MY_WORK)
    team = evidence_work_items(supervisor, TEAM_WORK)
    approvals = evidence_work_items(supervisor, APPROVALS)
    assert len(mine) == 1
    assert mine[0].overdue
    assert "overdue by 2 hours" in mine[0].description
    assert mine[0].case_reference == case.crime_reference
    assert len(team) == 1
    assert len(approvals) == 1
    assert approvals[0].kind == "Request to authorise"
    assert evidence_work_items(officer, APPROVALS) == []


def test_the_sarc_register_warns_and_logs(signed_in, liaison):
    today = clock.today()
    sarc_sample(liaison=liaison, collected_on=today.replace(year=today.year - 2) + dt.timedelta(days=20))

    response = signed_in(liaison).get(reverse("evidence:sarc-register"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "20 days left" in page
    assert AuditEvent.objects.filter(actor=liaison, action="list", object_type="evidence.SarcSample").exists()


def test_the_sarc_liaison_lands_on_the_register(signed_in, liaison):
    response = signed_in(liaison).get(reverse("cases:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:sarc-register")


def test_exhibit_form_bad_input_writes_nothing(signed_in, officer, case):
    response = signed_in(officer).post(reverse("evidence:exhibit-new", kwargs={"pk": case.pk}), {"reference": "A/1"})
    assert response.status_code == 200
    assert "Enter a description of the exhibit" in response.content.decode()
    assert not Exhibit.objects.exists()
