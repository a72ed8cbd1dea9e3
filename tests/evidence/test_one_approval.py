"""One approval for a victim-focused action and its request (issue 14, defect 5): approving the action
in the plan authorises the request in the evidence register that stands for it, in one transaction,
each written to the s.62 log; authorising the request approves the action; a request recorded from an
approved action starts authorised; none can be recorded for a refused one."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bluestone.audit.models import AuditEvent
from bluestone.evidence.models import DigitalRequest, RequestStatus
from bluestone.evidence.services import digital_request_create, digital_request_decide
from bluestone.investigation.models import ApprovalState, IntrusiveKind, LineGroup
from bluestone.investigation.services import (
    line_add,
    plan_create,
    victim_action_add,
    victim_action_decide,
    victim_action_decision_record,
)
from tests.evidence.factories import device_details, third_party_details

pytestmark = pytest.mark.django_db

RATIONALE = "Messages between the victim and the suspect on the night are a reasonable line of enquiry."


@pytest.fixture
def action(officer, case):
    """ "Download the victim's phone", added with its rationale and agreement and waiting for approval."""
    return victim_action_add(
        actor=officer,
        plan=plan_create(actor=officer, case=case),
        title="Messages on the victim's phone from the night",
        intrusive_kind=IntrusiveKind.PHONE_DOWNLOAD,
        rationale=RATIONALE,
        less_intrusive_considered="Screenshots the victim offered cannot show deletions.",
        victim_agreed=True,
        victim_notice_given=False,
    )


@pytest.fixture
def phone_request(officer, case, victim, action):
    return digital_request_create(actor=officer, case=case, details=device_details(person=victim, plan_line=action))


def _request_audit(entry: DigitalRequest) -> list[dict]:
    return [
        event.details
        for event in AuditEvent.objects.filter(object_type="evidence.DigitalRequest", object_id=str(entry.pk)).order_by(
            "sequence"
        )
    ]


def test_approving_the_action_authorises_its_request(supervisor, action, phone_request):
    assert phone_request.status == RequestStatus.AWAITING_AUTHORISATION

    decision = victim_action_decision_record(actor=supervisor, line=action, approve=True)

    phone_request.refresh_from_db()
    assert decision.line.approval_state == ApprovalState.APPROVED
    assert phone_request.status == RequestStatus.AUTHORISED
    assert phone_request.decided_by == supervisor
    assert decision.also_decided == ["The request for data from a victim's device (PCSCA 2022 s.37) is authorised too."]
    assert _request_audit(phone_request)[-1]["what"] == "request decided with its line of enquiry"
    assert _request_audit(phone_request)[-1]["line"] == str(action.pk)


def test_refusing_the_action_declines_its_request_with_the_same_reason(supervisor, action, phone_request):
    victim_action_decide(actor=supervisor, line=action, approve=False, note="Screenshots are enough for now.")

    phone_request.refresh_from_db()
    assert phone_request.status == RequestStatus.NOT_AUTHORISED
    assert phone_request.decision_note == "Screenshots are enough for now."


def test_authorising_the_request_approves_the_action(supervisor, action, phone_request):
    digital_request_decide(actor=supervisor, digital_request=phone_request, authorise=True)

    action.refresh_from_db()
    assert action.approval_state == ApprovalState.APPROVED
    assert action.decided_by == supervisor
    assert (
        AuditEvent.objects.filter(object_type="investigation.LineOfEnquiry", object_id=str(action.pk))
        .filter(details__approval="approved")
        .exists()
    )


def test_declining_the_request_refuses_the_action(supervisor, action, phone_request):
    digital_request_decide(
        actor=supervisor, digital_request=phone_request, authorise=False, note="Ask for screenshots first."
    )

    action.refresh_from_db()
    assert action.approval_state == ApprovalState.REFUSED
    assert action.decision_note == "Ask for screenshots first."


def test_a_supervisor_cannot_authorise_through_the_action_a_request_they_recorded(supervisor, case, victim, action):
    own = digital_request_create(actor=supervisor, case=case, details=device_details(person=victim, plan_line=action))
    audit_before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        victim_action_decide(actor=supervisor, line=action, approve=True)

    assert "another supervisor must decide it" in refused.value.messages[0]
    action.refresh_from_db()
    own.refresh_from_db()
    assert action.approval_state == ApprovalState.REQUESTED
    assert own.status == RequestStatus.AWAITING_AUTHORISATION
    assert AuditEvent.objects.count() == audit_before


def test_a_request_from_an_approved_action_starts_authorised_by_that_approval(
    officer, supervisor, case, victim, action
):
    victim_action_decide(actor=supervisor, line=action, approve=True)

    entry = digital_request_create(actor=officer, case=case, details=device_details(person=victim, plan_line=action))

    assert entry.status == RequestStatus.AUTHORISED
    assert entry.decided_by == supervisor
    assert action.title in entry.decision_note
    assert _request_audit(entry)[0]["authorised_with_line"] is True


def test_a_request_of_another_kind_is_not_authorised_by_the_action(officer, supervisor, case, victim, action):
    victim_action_decide(actor=supervisor, line=action, approve=True)

    records = digital_request_create(
        actor=officer, case=case, details=third_party_details(person=victim, plan_line=action)
    )

    assert records.status == RequestStatus.AWAITING_AUTHORISATION


def test_no_request_can_be_recorded_for_a_refused_action(officer, supervisor, case, victim, action):
    victim_action_decide(actor=supervisor, line=action, approve=False, note="Not proportionate yet.")
    before = DigitalRequest.objects.count()

    with pytest.raises(ValidationError) as refused:
        digital_request_create(actor=officer, case=case, details=device_details(person=victim, plan_line=action))

    assert "refused the action" in refused.value.message_dict["plan_line"][0]
    assert DigitalRequest.objects.count() == before


def test_a_request_for_an_ordinary_line_keeps_its_own_authorisation(officer, supervisor, case, victim):
    line = line_add(
        actor=officer,
        plan=plan_create(actor=officer, case=case),
        group=LineGroup.CONTEXT,
        title="Timeline of the night",
    )
    entry = digital_request_create(actor=officer, case=case, details=device_details(person=victim, plan_line=line))

    digital_request_decide(actor=supervisor, digital_request=entry, authorise=True)

    line.refresh_from_db()
    assert entry.status == RequestStatus.AUTHORISED
    assert line.approval_state == ApprovalState.NOT_NEEDED


def test_the_decision_page_names_the_request_and_the_banner_says_both_were_decided(
    signed_in, supervisor, case, action, phone_request
):
    client = signed_in(supervisor)
    url = reverse("investigation:line-decide", kwargs={"pk": case.pk, "line": action.pk})

    page = client.get(url).content.decode()
    # A phone download asks for the victim's agreement (s.37); written notice is for records held by others.
    assert "The victim's agreement" in page
    assert "Written notice to the victim" not in page
    listed = page.split('data-testid="decided-with-line"')[1].split("</ul>")[0]
    assert "Data from a victim&#x27;s device (PCSCA 2022 s.37)" in listed
    assert "Awaiting authorisation" in listed or "awaiting authorisation" in listed

    response = client.post(url, {"decision": "approve", "note": ""}, follow=True)
    banner = response.content.decode()
    assert "Your decision is recorded. The request for data from a victim&#x27;s device" in banner
    phone_request.refresh_from_db()
    assert phone_request.status == RequestStatus.AUTHORISED


def test_the_request_decision_page_says_it_decides_the_action_too(signed_in, supervisor, case, action, phone_request):
    client = signed_in(supervisor)
    url = reverse("evidence:request-decision", kwargs={"pk": case.pk, "request_id": phone_request.pk})

    assert 'data-testid="decides-line-too"' in client.get(url).content.decode()

    response = client.post(url, {"decision": "authorise", "note": ""}, follow=True)
    assert "The action it serves is approved too" in response.content.decode()


def _approvals_of(user, case):
    from bluestone.cases.extensions import APPROVALS, work_items_for  # noqa: PLC0415

    return [item for item in work_items_for(user=user, queue=APPROVALS) if item.case_reference == case.crime_reference]


def _landing_counts(html: str) -> dict[str, int]:
    block = html.split('data-testid="queue-counts"', 1)[1].split("</ul>", 1)[0]
    pairs = re.findall(
        r'app-queue-counts__count">(\d+)</span>\s*<span class="app-queue-counts__label">([^<]+)</span>', block
    )
    return {label: int(count) for count, label in pairs}


def test_an_action_and_the_request_it_authorises_are_one_entry_under_approvals(
    signed_in, supervisor, case, action, phone_request
):
    (entry,) = _approvals_of(supervisor, case)
    assert entry.kind == "Victim-focused action"
    assert entry.url == reverse("investigation:line-decide", kwargs={"pk": case.pk, "line": action.pk})
    assert entry.description == (
        "Download the victim's phone: approve or refuse. Approving it also authorises its request for data "
        "from a victim's device (PCSCA 2022 s.37)"
    )

    client = signed_in(supervisor)
    approvals = client.get(reverse("investigation:approvals")).content.decode()
    table = approvals.split('data-testid="work-items"', 1)[1]
    assert table.count(case.crime_reference) == 1  # the case column's link text, once: one row
    assert "Request to authorise" not in table
    # The landing page counts the one decision once, under Approvals.
    counts = _landing_counts(client.get(reverse("investigation:team-work")).content.decode())
    assert (counts["Approvals"], counts["Requests to authorise"]) == (1, 0)
    # Requests to authorise lists it apart, as decided with its action, linking to the action's decision.
    page = client.get(reverse("evidence:requests-to-authorise")).content.decode()
    assert 'data-testid="no-requests"' in page
    with_action = page.split('data-testid="requests-with-action"', 1)[1].split("</table>", 1)[0]
    assert 'With the victim-focused action "Messages on the victim&#x27;s phone from the night"' in with_action
    assert reverse("investigation:line-decide", kwargs={"pk": case.pk, "line": action.pk}) in with_action

    victim_action_decision_record(actor=supervisor, line=action, approve=True)

    assert _approvals_of(supervisor, case) == []


def test_a_request_decided_on_its_own_is_counted_and_listed_under_requests_to_authorise(
    signed_in, officer, supervisor, case, victim
):
    line = line_add(
        actor=officer, plan=plan_create(actor=officer, case=case), group=LineGroup.CONTEXT, title="Timeline"
    )
    digital_request_create(actor=officer, case=case, details=device_details(person=victim, plan_line=line))

    (entry,) = _approvals_of(supervisor, case)
    assert entry.kind == "Request to authorise"
    assert entry.description == "Data from a victim's device (PCSCA 2022 s.37), recorded by Sam Rivers"
    client = signed_in(supervisor)
    counts = _landing_counts(client.get(reverse("investigation:team-work")).content.decode())
    assert (counts["Approvals"], counts["Requests to authorise"]) == (0, 1)
    # Each count matches the list it links to: the request is on Requests to authorise, not on Approvals.
    assert case.crime_reference not in client.get(reverse("investigation:approvals")).content.decode()
    page = client.get(reverse("evidence:requests-to-authorise")).content.decode()
    assert case.crime_reference in page.split('data-testid="requests-to-authorise"', 1)[1].split("</table>", 1)[0]
    assert 'data-testid="requests-with-action"' not in page


def test_a_refused_action_offers_no_request_and_says_why(signed_in, officer, supervisor, case, action):
    victim_action_decide(actor=supervisor, line=action, approve=False, note="Screenshots first.")

    page = signed_in(officer).get(reverse("investigation:line", kwargs={"pk": case.pk, "line": action.pk}))

    html = page.content.decode()
    assert "A supervisor refused this action, so no request can serve it" in html
    assert "Record the request for the victim&#x27;s device" not in html
