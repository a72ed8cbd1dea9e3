"""Factories for the suspects app's records (identities, runs, explanations), for tests that need
a few of them without a linkage run."""

from __future__ import annotations

import datetime as dt
import uuid

from bluestone.accounts.models import User
from bluestone.cases.models import Case, Involvement, PersonRecord, Role
from bluestone.core import clock
from bluestone.suspects.models import (
    Identity,
    IdentityMember,
    LinkageRun,
    LinkExplanation,
    RunKind,
    RunStatus,
    TacticRecord,
    TacticStatus,
    TacticType,
)
from bluestone.suspects.services import identity_priorities_refresh, pair
from tests.factories import InvolvementFactory, PersonRecordFactory

WEIGHTS = {"prior": -13.0, "first_name": 7.5, "last_name": 8.0, "date_of_birth": 6.0, "residence": -1.0, "phone": 0.0}


def finished_run(*, threshold: float = 0.9) -> LinkageRun:
    now = clock.now()
    return LinkageRun.objects.create(
        kind=RunKind.FULL,
        requested_at=now,
        started_at=now,
        finished_at=now,
        status=RunStatus.FINISHED,
        threshold=threshold,
    )


def suspect_on(case: Case, **person: object) -> PersonRecord:
    record = PersonRecordFactory.create(**person)
    InvolvementFactory.create(case=case, person=record, role=Role.SUSPECT)
    return record


def explanation(
    a: PersonRecord, b: PersonRecord, *, probability: float, run: LinkageRun | None = None
) -> LinkExplanation:
    first, second = pair(a.pk, b.pk)
    return LinkExplanation.objects.create(
        run=run or finished_run(),
        person_a_id=first,
        person_b_id=second,
        match_probability=probability,
        match_weight=5.0,
        weights=WEIGHTS,
    )


def identity_of(*records: PersonRecord, run: LinkageRun | None = None) -> Identity:
    run = run or finished_run()
    identity = Identity.objects.create(first_run=run, last_run=run)
    for record in records:
        IdentityMember.objects.create(identity=identity, person=record, run=run, match_probability=0.99)
    identity_priorities_refresh(identity_ids=[identity.pk])
    identity.refresh_from_db()
    return identity


def tactic_for(identity: Identity, *, owner: User, review_on: dt.date | None) -> TacticRecord:
    return TacticRecord.objects.create(
        identity=identity,
        tactic=TacticType.objects.get(code="sro"),
        status=TacticStatus.APPLIED_FOR,
        status_on=clock.today(),
        owner=owner,
        review_on=review_on,
    )


def victim_on(case: Case) -> Involvement:
    return InvolvementFactory.create(case=case, role=Role.VICTIM, person=PersonRecordFactory.create(id=uuid.uuid4()))
