"""Evidence decisions with a "must be awaiting X" rule: of two at once, the second is told it is already
decided and writes nothing (see tests/races.py for how the two are made to overlap)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bluestone.accounts.models import Role, User
from bluestone.cases.models import Case, CaseEvent, CaseStatus, PersonRecord
from bluestone.core import clock
from bluestone.evidence.models import (
    DigitalRequest,
    Exhibit,
    ExhibitMovement,
    ExhibitStatus,
    RequestStatus,
    SampleStatus,
    SarcSample,
)
from bluestone.evidence.services import (
    digital_request_complete,
    digital_request_create,
    digital_request_decide,
    digital_request_refusal_record,
    exhibit_destroy,
    exhibit_move,
    exhibit_replacement_record,
    exhibit_return,
    sarc_sample_destroy,
    sarc_sample_link,
)
from bluestone.investigation.models import ApprovalState, IntrusiveKind, LineOfEnquiry
from bluestone.investigation.services import plan_create, victim_action_add, victim_action_decide
from tests.evidence.factories import authorised_device_request, device_details, sarc_sample, scene_exhibit, victim_phone
from tests.factories import UserFactory
from tests.races import Scenario, audited, decide_at_once, exactly_one_won


@dataclass
class World:
    case: Case
    victim: PersonRecord
    officer: User
    supervisor: User
    second_supervisor: User
    liaison: User
    second_liaison: User


def digital_request_decision(w: World) -> Scenario:
    pk = digital_request_create(actor=w.officer, case=w.case, details=device_details(person=w.victim)).pk

    def check() -> None:
        assert DigitalRequest.objects.get(pk=pk).status == RequestStatus.AUTHORISED
        assert audited(pk, what="request decided") == 1
        assert CaseEvent.objects.filter(case=w.case, summary__startswith="Request ").count() == 1

    return Scenario(
        load=lambda: DigitalRequest.objects.get(pk=pk),
        first=lambda entry: digital_request_decide(actor=w.supervisor, digital_request=entry, authorise=True),
        second=lambda entry: digital_request_decide(
            actor=w.second_supervisor,
            digital_request=entry,
            authorise=False,
            note="Screenshots of the messages would be enough.",
        ),
        refused_with="already been decided",
        check=check,
    )


def _action_with_its_request(w: World) -> tuple[uuid.UUID, uuid.UUID]:
    line = victim_action_add(
        actor=w.officer,
        plan=plan_create(actor=w.officer, case=w.case),
        title="Messages on the victim's phone from the night",
        intrusive_kind=IntrusiveKind.PHONE_DOWNLOAD,
        rationale="The messages on the night are a reasonable line of enquiry for what the suspect said.",
        less_intrusive_considered="Screenshots cannot show deleted messages.",
        victim_agreed=True,
        victim_notice_given=False,
    )
    entry = digital_request_create(
        actor=w.officer, case=w.case, details=device_details(person=w.victim, plan_line=line)
    )
    return line.pk, entry.pk


def _one_decision_for_both(line_pk: uuid.UUID, request_pk: uuid.UUID) -> None:
    line = LineOfEnquiry.objects.get(pk=line_pk)
    entry = DigitalRequest.objects.get(pk=request_pk)
    assert (line.approval_state, entry.status) in {
        (ApprovalState.APPROVED, RequestStatus.AUTHORISED),
        (ApprovalState.REFUSED, RequestStatus.NOT_AUTHORISED),
    }
    assert line.decided_by == entry.decided_by
    assert audited(line_pk, approval=[ApprovalState.APPROVED, ApprovalState.REFUSED]) == 1
    assert audited(request_pk, what=["request decided", "request decided with its line of enquiry"]) == 1


def action_then_its_request(w: World) -> Scenario:
    line_pk, request_pk = _action_with_its_request(w)
    return Scenario(
        load=lambda: (LineOfEnquiry.objects.get(pk=line_pk), DigitalRequest.objects.get(pk=request_pk)),
        first=lambda rows: victim_action_decide(actor=w.supervisor, line=rows[0], approve=True),
        second=lambda rows: digital_request_decide(
            actor=w.second_supervisor, digital_request=rows[1], authorise=False, note="Screenshots are enough."
        ),
        refused_with="already been decided",
        check=lambda: _one_decision_for_both(line_pk, request_pk),
    )


def request_then_its_action(w: World) -> Scenario:
    line_pk, request_pk = _action_with_its_request(w)
    return Scenario(
        load=lambda: (LineOfEnquiry.objects.get(pk=line_pk), DigitalRequest.objects.get(pk=request_pk)),
        first=lambda rows: digital_request_decide(actor=w.supervisor, digital_request=rows[1], authorise=True),
        second=lambda rows: victim_action_decide(
            actor=w.second_supervisor, line=rows[0], approve=False, note="Screenshots are enough."
        ),
        refused_with="already been decided",
        check=lambda: _one_decision_for_both(line_pk, request_pk),
    )


def digital_request_completion(w: World) -> Scenario:
    pk = authorised_device_request(officer=w.officer, supervisor=w.supervisor, case=w.case, person=w.victim).pk

    def check() -> None:
        assert DigitalRequest.objects.get(pk=pk).completion_note == "Messages extracted"
        assert audited(pk, what="request completed") == 1

    return Scenario(
        load=lambda: DigitalRequest.objects.get(pk=pk),
        first=lambda entry: digital_request_complete(actor=w.officer, digital_request=entry, note="Messages extracted"),
        second=lambda entry: digital_request_complete(actor=w.supervisor, digital_request=entry, note="Done"),
        refused_with="already been completed",
        check=check,
    )


def digital_request_victim_refusal(w: World) -> Scenario:
    pk = authorised_device_request(officer=w.officer, supervisor=w.supervisor, case=w.case, person=w.victim).pk

    def check() -> None:
        assert DigitalRequest.objects.get(pk=pk).status == RequestStatus.COMPLETED
        assert audited(pk, what="victim refused") == 0

    return Scenario(
        load=lambda: DigitalRequest.objects.get(pk=pk),
        first=lambda entry: digital_request_complete(actor=w.officer, digital_request=entry, note="Extracted"),
        second=lambda entry: digital_request_refusal_record(actor=w.officer, digital_request=entry),
        refused_with="already completed",
        check=check,
    )


def exhibit_movement(w: World) -> Scenario:
    pk = scene_exhibit(officer=w.officer, case=w.case).pk

    def move(to: str) -> Callable[[Exhibit], ExhibitMovement]:
        return lambda exhibit: exhibit_move(
            actor=w.officer,
            exhibit=exhibit,
            to_location=to,
            handled_by="PC Example 99",
            moved_at=clock.now(),
            reason="For examination",
        )

    def check() -> None:
        exhibit = Exhibit.objects.get(pk=pk)
        assert exhibit.location == "Forensic lab"
        # The continuity has no gap and no fork: one link from the store to the lab.
        assert list(exhibit.movements.order_by("moved_at").values_list("to_location", flat=True)) == [
            "Property store, locker 14",
            "Forensic lab",
        ]

    return Scenario(
        load=lambda: Exhibit.objects.get(pk=pk),
        first=move("Forensic lab"),
        second=move("Court"),
        refused_with="has been moved since you opened the page",
        check=check,
    )


def exhibit_giving_back(w: World) -> Scenario:
    pk = victim_phone(officer=w.officer, supervisor=w.supervisor, case=w.case, person=w.victim).pk

    def give_back(exhibit: Exhibit) -> Exhibit:
        return exhibit_return(
            actor=w.officer,
            exhibit=exhibit,
            returned_to="The victim",
            returned_at=clock.now(),
            authority="Download complete",
            handled_by="DC Example 1234",
        )

    def check() -> None:
        assert Exhibit.objects.get(pk=pk).status == ExhibitStatus.RETURNED
        assert ExhibitMovement.objects.filter(exhibit_id=pk, reason="Returned").count() == 1
        assert audited(pk, what="exhibit returned") == 1

    return Scenario(
        load=lambda: Exhibit.objects.get(pk=pk),
        first=give_back,
        second=give_back,
        refused_with="has been returned",
        check=check,
    )


def exhibit_replacement(w: World) -> Scenario:
    pk = victim_phone(officer=w.officer, supervisor=w.supervisor, case=w.case, person=w.victim).pk

    def replace(exhibit: Exhibit) -> Exhibit:
        return exhibit_replacement_record(actor=w.officer, exhibit=exhibit, provided_at=clock.now())

    def check() -> None:
        assert audited(pk, what="replacement phone provided") == 1

    return Scenario(
        load=lambda: Exhibit.objects.get(pk=pk),
        first=replace,
        second=replace,
        refused_with="already has their phone back or a replacement",
        check=check,
    )


def exhibit_destruction(w: World) -> Scenario:
    pk = scene_exhibit(officer=w.officer, case=w.case).pk
    Case.objects.filter(pk=w.case.pk).update(status=CaseStatus.CLOSED)

    def destroy(actor: User) -> Callable[[Exhibit], Exhibit]:
        return lambda exhibit: exhibit_destroy(
            actor=actor, exhibit=exhibit, authority="MoPI review", destroyed_at=clock.now(), confirmed=True
        )

    def check() -> None:
        assert ExhibitMovement.objects.filter(exhibit_id=pk, reason="Destroyed").count() == 1
        assert audited(pk, what="exhibit destroyed") == 1

    return Scenario(
        load=lambda: Exhibit.objects.get(pk=pk),
        first=destroy(w.supervisor),
        second=destroy(w.second_supervisor),
        refused_with="has been destroyed",
        check=check,
    )


def _old_sample(w: World) -> SarcSample:
    return sarc_sample(liaison=w.liaison, collected_on=clock.today() - dt.timedelta(days=3 * 365))


def sarc_destruction(w: World) -> Scenario:
    pk = _old_sample(w).pk

    def destroy(actor: User) -> Callable[[SarcSample], SarcSample]:
        return lambda sample: sarc_sample_destroy(
            actor=actor, sample=sample, authority="End of retention, SARC manager", confirmed=True
        )

    def check() -> None:
        sample = SarcSample.objects.get(pk=pk)
        assert (sample.status, sample.destroyed_by_id) == (SampleStatus.DESTROYED, w.liaison.pk)
        assert audited(pk, what="SARC samples destroyed") == 1

    return Scenario(
        load=lambda: SarcSample.objects.get(pk=pk),
        first=destroy(w.liaison),
        second=destroy(w.second_liaison),
        refused_with="already been destroyed",
        check=check,
    )


def sarc_link_or_destroy(w: World) -> Scenario:
    pk = _old_sample(w).pk

    def check() -> None:
        assert SarcSample.objects.get(pk=pk).status == SampleStatus.DESTROYED
        assert audited(pk, what="SARC samples linked to a case") == 0

    return Scenario(
        load=lambda: SarcSample.objects.get(pk=pk),
        first=lambda sample: sarc_sample_destroy(
            actor=w.liaison, sample=sample, authority="End of retention", confirmed=True
        ),
        second=lambda sample: sarc_sample_link(
            actor=w.second_liaison, sample=sample, crime_reference=w.case.crime_reference
        ),
        refused_with="already destroyed",
        check=check,
    )


SCENARIOS: dict[str, Callable[[World], Scenario]] = {
    "digital_request_decision": digital_request_decision,
    "action_then_its_request": action_then_its_request,
    "request_then_its_action": request_then_its_action,
    "digital_request_completion": digital_request_completion,
    "digital_request_victim_refusal": digital_request_victim_refusal,
    "exhibit_movement": exhibit_movement,
    "exhibit_return": exhibit_giving_back,
    "exhibit_replacement": exhibit_replacement,
    "exhibit_destruction": exhibit_destruction,
    "sarc_destruction": sarc_destruction,
    "sarc_link_or_destroy": sarc_link_or_destroy,
}


@pytest.fixture
def world(case, victim, officer, supervisor, liaison) -> World:
    return World(
        case=case,
        victim=victim,
        officer=officer,
        supervisor=supervisor,
        second_supervisor=UserFactory.create(username="ds.second", role=Role.SUPERVISOR, team=case.team),
        liaison=liaison,
        second_liaison=UserFactory.create(username="sarc.second", role=Role.SARC_LIAISON, team=None),
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", SCENARIOS)
def test_two_decisions_at_once_the_second_is_told_already_decided(name: str, world: World) -> None:
    scenario = SCENARIOS[name](world)
    exactly_one_won(scenario.at_once(), refused_with=scenario.refused_with)
    scenario.check()


@pytest.mark.django_db
@pytest.mark.parametrize("name", SCENARIOS)
def test_a_decision_on_an_out_of_date_page_is_told_already_decided(name: str, world: World) -> None:
    scenario = SCENARIOS[name](world)
    exactly_one_won(scenario.one_after_the_other(), refused_with=scenario.refused_with)
    scenario.check()


def _decision_page(client: Client, case: Case, entry_pk: uuid.UUID, data: dict[str, str]) -> Any:
    url = reverse("evidence:request-decision", kwargs={"pk": case.pk, "request_id": entry_pk})
    return client.post(url, data)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_posting_at_once_the_second_page_says_already_decided(world: World) -> None:
    pk = digital_request_create(actor=world.officer, case=world.case, details=device_details(person=world.victim)).pk
    clients = [Client(), Client()]
    clients[0].force_login(world.supervisor)
    clients[1].force_login(world.second_supervisor)

    first, second = decide_at_once(
        lambda: _decision_page(clients[0], world.case, pk, {"decision": "authorise", "note": ""}),
        lambda: _decision_page(clients[1], world.case, pk, {"decision": "decline", "note": "Screenshots instead"}),
    )

    assert first.error is None
    assert second.error is None
    assert first.value.status_code == 302
    assert second.value.status_code == 200
    assert "This request has already been decided: it is authorised" in second.value.content.decode()
    assert DigitalRequest.objects.get(pk=pk).status == RequestStatus.AUTHORISED
    assert audited(pk, what="request decided") == 1
