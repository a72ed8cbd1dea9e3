"""The requests register: what a request about a victim must hold, the supervisor's decision, the
victim's refusal, and the balance of suspect and victim intrusion."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bluestone.audit.models import AuditEvent
from bluestone.cases.models import CaseEvent, CaseStatus, EventKind
from bluestone.evidence.models import DigitalRequest, NoticeElement, RequestStatus
from bluestone.evidence.selectors import case_evidence_get, requests_to_authorise, team_balance
from bluestone.evidence.services import (
    digital_request_complete,
    digital_request_create,
    digital_request_decide,
    digital_request_refusal_record,
)
from tests.evidence.factories import device_details, suspect_details, third_party_details

pytestmark = pytest.mark.django_db


def _refused(errors: ValidationError) -> dict[str, list[str]]:
    return errors.message_dict


def test_a_complete_victim_device_request_waits_for_a_supervisor(officer, case, victim):
    entry = digital_request_create(actor=officer, case=case, details=device_details(person=victim))

    assert entry.status == RequestStatus.AWAITING_AUTHORISATION
    assert entry.victim_agreed is True
    assert entry.given_voluntarily is True
    assert set(entry.notice_elements.values_list("code", flat=True)) == set(
        NoticeElement.objects.filter(kind="victim_device").values_list("code", flat=True)
    )
    assert [c.code for c in entry.data_categories.all()] == ["messages"]
    logged = AuditEvent.objects.get(object_id=str(entry.pk))
    assert logged.action == "collection"
    assert logged.person_id == victim.pk


def test_a_victim_device_request_without_notice_agreement_or_rationale_is_refused_with_each_reason(officer, case):
    details = device_details(
        notice_given_on=None,
        notice_elements=[],
        victim_agreed=None,
        given_voluntarily=None,
        necessity_rationale="",
        less_intrusive_options="",
    )
    with pytest.raises(ValidationError) as refused:
        digital_request_create(actor=officer, case=case, details=details)

    errors = _refused(refused.value)
    assert set(errors) >= {
        "notice_given_on",
        "notice_elements",
        "victim_agreed",
        "given_voluntarily",
        "necessity_rationale",
        "less_intrusive_options",
    }
    assert "Record whether the victim agreed" in errors["victim_agreed"][0]
    # Nothing is half-written: no request, no audit entry, no timeline entry.
    assert not DigitalRequest.objects.exists()
    assert not AuditEvent.objects.filter(object_type="evidence.DigitalRequest").exists()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.EVIDENCE_RECORDED).exists()


def test_a_notice_missing_one_element_names_it(officer, case):
    elements = list(NoticeElement.objects.filter(kind="victim_device").exclude(code="device_refusal_no_end"))
    with pytest.raises(ValidationError) as refused:
        digital_request_create(actor=officer, case=case, details=device_details(notice_elements=elements))

    message = _refused(refused.value)["notice_elements"][0]
    assert "refusing does not by itself end the investigation" in message
    assert not DigitalRequest.objects.exists()


def test_the_scope_must_name_data_and_dates_and_the_extraction_be_selective(officer, case):
    details = device_details(data_categories=[], scope_from=None, scope_to=None, selective_extraction=False)
    with pytest.raises(ValidationError) as refused:
        digital_request_create(actor=officer, case=case, details=details)

    assert set(_refused(refused.value)) >= {"data_categories", "scope_from", "scope_to", "selective_extraction"}


def test_a_reason_why_extraction_cannot_be_selective_is_accepted(officer, case):
    details = device_details(selective_extraction=False, selective_extraction_detail="The app stores no dates.")
    entry = digital_request_create(actor=officer, case=case, details=details)
    assert entry.selective_extraction is False


def test_the_person_must_be_a_victim_on_the_case(officer, case, suspect):
    with pytest.raises(ValidationError) as refused:
        digital_request_create(actor=officer, case=case, details=device_details(person=suspect))
    assert "person" in _refused(refused.value)


def test_a_refusal_at_the_outset_is_recorded_and_the_case_stays_open(officer, case, victim):
    entry = digital_request_create(
        actor=officer, case=case, details=device_details(person=victim, victim_agreed=False, given_voluntarily=None)
    )

    assert entry.status == RequestStatus.VICTIM_REFUSED
    assert entry.refused_at is not None
    case.refresh_from_db()
    assert case.status == CaseStatus.UNDER_INVESTIGATION
    event = CaseEvent.objects.get(case=case, kind=EventKind.EVIDENCE_RECORDED)
    assert "does not by itself close the case" in event.summary


def test_a_withdrawn_agreement_stops_the_request_but_never_closes_the_case(officer, supervisor, case, victim):
    entry = digital_request_create(actor=officer, case=case, details=device_details(person=victim))
    digital_request_decide(actor=supervisor, digital_request=entry, authorise=True)

    digital_request_refusal_record(actor=officer, digital_request=entry, note="She no longer wants to share it.")

    entry.refresh_from_db()
    case.refresh_from_db()
    assert entry.status == RequestStatus.VICTIM_REFUSED
    assert "She no longer wants to share it." in entry.refusal_note
    assert case.status == CaseStatus.UNDER_INVESTIGATION
    assert not CaseEvent.objects.filter(case=case, kind__in=[EventKind.CLOSED, EventKind.OUTCOME_RECORDED]).exists()


def test_a_suspect_request_cannot_be_refused_by_the_victim(officer, case):
    entry = digital_request_create(actor=officer, case=case, details=suspect_details())
    with pytest.raises(ValidationError):
        digital_request_refusal_record(actor=officer, digital_request=entry)


def test_a_supervisor_of_the_team_authorises_and_the_timeline_records_it(officer, supervisor, case):
    entry = digital_request_create(actor=officer, case=case, details=device_details())

    digital_request_decide(actor=supervisor, digital_request=entry, authorise=True, note="Tight scope.")

    entry.refresh_from_db()
    assert entry.status == RequestStatus.AUTHORISED
    assert entry.decided_by == supervisor
    event = CaseEvent.objects.get(case=case, summary__startswith="Request authorised by")
    # The kind reads mid-sentence with its Act's abbreviation kept: never "pcsca 2022 s.37".
    assert event.summary.endswith(": data from a victim's device (PCSCA 2022 s.37)")
    assert AuditEvent.objects.filter(object_id=str(entry.pk), action="alteration").exists()


def test_declining_needs_a_reason(officer, supervisor, case):
    entry = digital_request_create(actor=officer, case=case, details=device_details())
    with pytest.raises(ValidationError) as refused:
        digital_request_decide(actor=supervisor, digital_request=entry, authorise=False)
    assert "note" in refused.value.message_dict
    digital_request_decide(actor=supervisor, digital_request=entry, authorise=False, note="Ask for screenshots first.")
    entry.refresh_from_db()
    assert entry.status == RequestStatus.NOT_AUTHORISED


def test_only_a_supervisor_of_the_case_team_decides(officer, other_supervisor, case):
    entry = digital_request_create(actor=officer, case=case, details=device_details())
    with pytest.raises(PermissionDenied):
        digital_request_decide(actor=officer, digital_request=entry, authorise=True)
    with pytest.raises(PermissionDenied):
        digital_request_decide(actor=other_supervisor, digital_request=entry, authorise=True)
    entry.refresh_from_db()
    assert entry.status == RequestStatus.AWAITING_AUTHORISATION


def test_a_supervisor_does_not_authorise_their_own_request(supervisor, case):
    entry = digital_request_create(actor=supervisor, case=case, details=device_details())
    with pytest.raises(ValidationError) as refused:
        digital_request_decide(actor=supervisor, digital_request=entry, authorise=True)
    assert "another supervisor" in refused.value.message_dict["decision"][0]


def test_a_decided_request_cannot_be_decided_again(officer, supervisor, case):
    entry = digital_request_create(actor=officer, case=case, details=device_details())
    digital_request_decide(actor=supervisor, digital_request=entry, authorise=True)
    with pytest.raises(ValidationError):
        digital_request_decide(actor=supervisor, digital_request=entry, authorise=False, note="Changed my mind")


def test_third_party_material_needs_holder_relevance_and_notice_or_an_exception(officer, case):
    details = third_party_details(
        holder="", relevance="", holder_believed_to_hold=None, notice_given_on=None, notice_elements=[]
    )
    with pytest.raises(ValidationError) as refused:
        digital_request_create(actor=officer, case=case, details=details)
    assert set(refused.value.message_dict) >= {"holder", "relevance", "holder_believed_to_hold", "notice_given_on"}


def test_counselling_records_need_substantial_probative_value(officer, case):
    with pytest.raises(ValidationError) as refused:
        digital_request_create(actor=officer, case=case, details=third_party_details(holder_kind="counselling"))
    assert "substantial probative value" in refused.value.message_dict["substantial_probative_value"][0]

    entry = digital_request_create(
        actor=officer,
        case=case,
        details=third_party_details(
            holder_kind="counselling",
            substantial_probative_value="She described the assault to her counsellor the next morning.",
        ),
    )
    assert entry.status == RequestStatus.AWAITING_AUTHORISATION


def test_an_exception_replaces_the_notice_but_needs_its_reason(officer, case):
    with pytest.raises(ValidationError) as refused:
        digital_request_create(
            actor=officer,
            case=case,
            details=third_party_details(notice_given_on=None, notice_elements=[], notice_exception="risk_of_harm"),
        )
    assert "notice_exception_reason" in refused.value.message_dict

    entry = digital_request_create(
        actor=officer,
        case=case,
        details=third_party_details(
            notice_given_on=None,
            notice_elements=[],
            notice_exception="risk_of_harm",
            notice_exception_reason="The suspect lives with her and reads her post.",
        ),
    )
    assert entry.notice_exception == "risk_of_harm"


def test_suspect_requests_need_a_line_of_enquiry_but_no_authorisation(officer, case, suspect):
    with pytest.raises(ValidationError) as refused:
        digital_request_create(actor=officer, case=case, details=suspect_details(line_of_enquiry=""))
    assert "line_of_enquiry" in refused.value.message_dict

    entry = digital_request_create(actor=officer, case=case, details=suspect_details(person=suspect))
    assert entry.status == RequestStatus.AUTHORISED
    assert entry.decided_by is None


def test_completing_needs_an_authorised_request_and_a_note(officer, case):
    entry = digital_request_create(actor=officer, case=case, details=suspect_details())
    with pytest.raises(ValidationError):
        digital_request_complete(actor=officer, digital_request=entry, note="")
    digital_request_complete(actor=officer, digital_request=entry, note="Extraction report received")
    entry.refresh_from_db()
    assert entry.status == RequestStatus.COMPLETED


def test_the_balance_counts_suspect_and_victim_intrusion(officer, supervisor, case, other_team):
    digital_request_create(actor=officer, case=case, details=suspect_details())
    digital_request_create(actor=officer, case=case, details=suspect_details(kind="suspect_enquiry"))
    digital_request_create(actor=officer, case=case, details=device_details())
    declined = digital_request_create(actor=officer, case=case, details=third_party_details())
    digital_request_decide(actor=supervisor, digital_request=declined, authorise=False, note="Not needed yet")

    evidence = case_evidence_get(user=officer, case=case)
    assert (evidence.balance.suspect, evidence.balance.victim) == (2, 1)
    team = team_balance(user=supervisor)
    assert team.suspect == 2
    assert team.victim == 1
    assert team.suspect_share == pytest.approx(2 / 3)
    rows = {label: count for _, label, count in team.rows}
    assert rows["Data from a victim's device (PCSCA 2022 s.37)"] == 1
    assert rows["Third-party material about a victim (VPA 2024)"] == 0


def test_the_supervisor_queue_holds_the_team_requests_awaiting_a_decision(officer, supervisor, other_supervisor, case):
    waiting = digital_request_create(actor=officer, case=case, details=device_details())
    digital_request_create(actor=officer, case=case, details=suspect_details())

    assert [r.pk for r in requests_to_authorise(user=supervisor)] == [waiting.pk]
    assert requests_to_authorise(user=other_supervisor) == []
    with pytest.raises(PermissionDenied):
        requests_to_authorise(user=officer)
