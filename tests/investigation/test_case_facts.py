"""The per-case facts the measures read follow every service that changes a case's records: after a
run of entries, timeline events, outcomes and a reopening, the table is what a rebuild writes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from bluestone.cases.entry import PersonDetails, case_create, case_event_record
from bluestone.cases.facts import facts_rebuild
from bluestone.cases.models import CaseFacts, EventKind, HowReported, Relationship, Role
from bluestone.core.models import OffenceClass, OutcomeType
from bluestone.investigation.services import case_reopen, outcome_propose, outcome_sign_off
from tests.factories import BASE_TIME

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 3)


def _table() -> dict[object, dict[str, object]]:
    return {row["case_id"]: dict(row) for row in CaseFacts.objects.values()}


def _sign_off(case, investigator, supervisor, code):
    decision = outcome_propose(
        actor=investigator,
        case=case,
        outcome_type=OutcomeType.objects.get(code=code),
        decided_on=DAY,
        rationale="The victim no longer supports the investigation and the evidence is insufficient.",
        victim_informed=True,
        victim_informed_on=DAY,
        victim_told_right_to_review=True,
    )
    outcome_sign_off(actor=supervisor, decision=decision, approve=True)


def test_facts_follow_the_services_and_equal_a_rebuild(case, suspect, investigator, supervisor):
    new = case_create(
        actor=investigator,
        offence_class=OffenceClass.objects.get(code="19C"),
        team=case.team,
        officer=case.officer,
        reported_at=BASE_TIME - dt.timedelta(hours=5),
        offence_from=dt.date(2026, 2, 27),
        how_reported=HowReported.IN_PERSON,
        people=[
            PersonDetails(role=Role.VICTIM, first_name="Jo", last_name="Bloggs", date_of_birth=dt.date(2008, 2, 28)),
            PersonDetails(role=Role.VICTIM, first_name="Al", last_name="Bloggs"),
            PersonDetails(
                role=Role.SUSPECT, first_name="Sam", last_name="Smith", relationship_to_victim=Relationship.EX_PARTNER
            ),
        ],
    )
    facts = CaseFacts.objects.get(case=new)
    # Jo is 17 on the offence's first day (her birthday is the day after); Al's date of birth is not known.
    assert (facts.has_suspect, facts.relationships, facts.victim_age_bands) == (
        True,
        "|ex_partner|",
        "|16_17|not_known|",
    )
    assert facts.recorded_on == BASE_TIME.date()

    case_event_record(actor=investigator, case=new, kind=EventKind.SUSPECT_INTERVIEWED, occurred_at=BASE_TIME)
    case_event_record(
        actor=investigator, case=new, kind=EventKind.SUSPECT_ARRESTED, occurred_at=BASE_TIME - dt.timedelta(hours=1)
    )
    case_event_record(
        actor=investigator, case=case, kind=EventKind.VICTIM_WITHDREW, occurred_at=BASE_TIME - dt.timedelta(hours=3)
    )
    assert CaseFacts.objects.get(case=case).victim_withdrew_on == DAY
    _sign_off(case, investigator, supervisor, 16)
    assert (CaseFacts.objects.get(case=case).outcome_code, CaseFacts.objects.get(case=case).decided_on) == (16, DAY)
    case_reopen(actor=supervisor, case=case, reason="The victim supports the investigation again")
    assert CaseFacts.objects.get(case=case).outcome_code is None
    _sign_off(case, investigator, supervisor, 15)

    kept = _table()
    assert kept[new.pk]["arrested_or_interviewed_on"] == DAY
    assert kept[case.pk]["outcome_code"] == 15
    assert facts_rebuild() == len(kept) == 2
    assert _table() == kept
    CaseFacts.objects.filter(case=case).update(outcome_code=None, relationships="")  # as if gone stale
    said = io.StringIO()
    call_command("measures", "--rebuild", stderr=said)
    assert said.getvalue().strip() == "Wrote the facts of 2 cases."
    assert _table() == kept
