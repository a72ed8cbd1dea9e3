"""Closing a case (issue 14, defect 1): the sign-off is refused while the case still holds live
obligations (bail, a held exhibit, an open request, a Victims' Code duty, the victim not told of the
outcome or of the right to review); each is resolved where it lives; a kept phone stays on the work
queues after the case closes, and a closed case has no "next things to do"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bluestone.audit.models import AuditEvent
from bluestone.cases.extensions import MY_WORK, work_items_for
from bluestone.cases.models import Case, CaseStatus, Involvement
from bluestone.core.models import OutcomeType
from bluestone.evidence.models import RequestStatus
from bluestone.evidence.services import (
    digital_request_complete,
    digital_request_create,
    digital_request_withdraw,
    exhibit_retain,
)
from bluestone.investigation.models import Bail, BailStatus
from bluestone.investigation.selectors import case_panel_context
from bluestone.investigation.services import (
    bail_end,
    bail_record,
    closure_checklist,
    outcome_propose,
    outcome_sign_off,
    plan_create,
)
from bluestone.victims.models import Obligation, ObligationStatus
from bluestone.victims.services import obligation_not_applicable
from tests.evidence.factories import third_party_details, victim_phone

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 3)


@pytest.fixture
def live_case(case, officer, supervisor, victim, suspect):
    """A case as the issue found it: the suspect on bail, the victim's phone held, a third-party
    request waiting for authorisation, a Code duty open."""
    plan_create(actor=officer, case=case)
    suspect_involvement = Involvement.objects.get(case=case, person=suspect)
    bail_record(
        actor=officer,
        case=case,
        suspect=suspect_involvement,
        starts_on=dt.date(2026, 3, 2),
        conditions="Not to contact the victim",
        victim_views="The victim asked for a no-contact condition.",
    )
    phone = victim_phone(officer=officer, supervisor=supervisor, case=case, person=victim, reference="EV/1")
    request = digital_request_create(actor=officer, case=case, details=third_party_details(person=victim))
    return case, phone, request


def _propose(case, officer, *, told=True):
    return outcome_propose(
        actor=officer,
        case=case,
        outcome_type=OutcomeType.objects.get(code=10),
        decided_on=TODAY,
        rationale="Formal action is not in the public interest.",
        victim_informed=told,
        victim_informed_on=TODAY if told else None,
        victim_told_right_to_review=told,
    )


def test_sign_off_is_refused_while_anything_is_left_open(live_case, officer, supervisor):
    case, _phone, _request = live_case
    decision = _propose(case, officer, told=False)
    areas = {item.area for item in closure_checklist(case=case, decision=decision) if not item.resolved}
    assert areas == {"Bail", "Exhibits", "Requests", "Victims' Code", "The victim"}

    with pytest.raises(ValidationError) as raised:
        outcome_sign_off(actor=supervisor, decision=decision, approve=True)
    text = " ".join(raised.value.messages)
    assert "pre-charge bail" in text
    assert "Exhibit EV/1" in text
    assert "Third-party material" in text
    assert "Told of bail" in text
    assert "right to ask for a review" in text
    assert Case.objects.get(pk=case.pk).status != CaseStatus.CLOSED


def test_each_obligation_resolved_lets_the_case_close(live_case, officer, supervisor, signed_in):
    case, phone, request = live_case
    decision = _propose(case, officer)

    bail_end(
        actor=officer,
        bail=Bail.objects.get(case=case),
        ended_on=TODAY,
        reason="The suspect was told in writing that bail is cancelled.",
    )
    with pytest.raises(ValidationError):
        exhibit_retain(actor=officer, exhibit=phone, reason="  ")
    exhibit_retain(actor=officer, exhibit=phone, reason="Needed for a possible review of the decision.")
    digital_request_withdraw(actor=officer, digital_request=request, note="Not needed: the case is closing.")
    assert phone.request is not None
    digital_request_complete(actor=officer, digital_request=phone.request, note="Messages of 1 to 3 March extracted.")
    for duty in Obligation.objects.filter(case=case, status=ObligationStatus.OPEN):
        obligation_not_applicable(actor=officer, obligation=duty, reason="The victim asked not to be told of bail.")

    assert [item.description for item in closure_checklist(case=case, decision=decision) if not item.resolved] == []
    # The sign-off page lists what was resolved, and a supervisor may now close the case.
    page = signed_in(supervisor).get(f"/cases/{case.pk}/outcome/{decision.pk}/sign-off/").content.decode()
    assert 'data-testid="closure-checklist"' in page
    assert "Needed for a possible review of the decision." in page
    outcome_sign_off(actor=supervisor, decision=decision, approve=True)

    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    assert Bail.objects.get(case=case).status == BailStatus.ENDED
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    # The victim was told before sign-off: the duty the outcome opens is met at once.
    outcome_duty = Obligation.objects.get(case=case, right_id="outcome_review")
    assert outcome_duty.status == ObligationStatus.MET
    # Closed: nothing to do on the summary, but the kept phone is still on the officer's queue.
    assert case_panel_context(officer, case) is None
    assert "Phone to return" in [item.kind for item in work_items_for(user=officer, queue=MY_WORK)]
    assert AuditEvent.objects.filter(object_id=str(phone.pk), details__what="exhibit kept with a reason").exists()
