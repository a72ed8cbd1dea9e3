"""The linkage store (suspects.services.store): standardised suspect records with their blocking keys,
filled by a full run, kept current when records are scored, rebuilt for a new model, and the
incremental scoring that reads only a new record's candidates from it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections import defaultdict

import pyarrow as pa
import pytest

from bluestone.cases.entry import case_create
from bluestone.cases.models import Involvement, PersonRecord, Role
from bluestone.core import clock
from bluestone.core.models import OffenceClass
from bluestone.linkage import LINKAGE_COLUMNS, LinkageModel, blocking_keys, store_version
from bluestone.suspects.models import (
    BlockingKey,
    IdentityMember,
    LinkageRun,
    LinkExplanation,
    RunKind,
    RunStatus,
    StoredRecord,
)
from bluestone.suspects.records import suspect_person_ids
from bluestone.suspects.services import linkage_score_people
from bluestone.suspects.services.store import store_candidates, store_current
from tests.factories import BASE_TIME, OfficerFactory, TeamFactory
from tests.suspects.conftest import Linked
from tests.suspects.test_linkage_runs import _copy_of

pytestmark = pytest.mark.django_db


def _stored_keys(person_id: uuid.UUID) -> set[int]:
    return set(BlockingKey.objects.filter(record__person_id=person_id).values_list("key", flat=True))


def _expected_keys(person_id: uuid.UUID, model: LinkageModel) -> set[int]:
    row = StoredRecord.objects.get(person_id=person_id).standardised
    table = pa.Table.from_pylist([{c: row.get(c) for c in LINKAGE_COLUMNS}])
    return {int(k) for k in blocking_keys(table, model).column("key").to_pylist()}


def _partition(person_ids: list[uuid.UUID]) -> dict[uuid.UUID, frozenset[uuid.UUID]]:
    """Each record's fellow members (itself alone when in no identity)."""
    identity_of = dict(IdentityMember.objects.values_list("person_id", "identity_id"))
    members: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for person, identity in identity_of.items():
        members[identity].add(person)
    return {p: frozenset(members[identity_of[p]]) if p in identity_of else frozenset({p}) for p in person_ids}


def test_a_full_run_stores_every_suspect_record_with_its_keys(linked: Linked) -> None:
    suspects = suspect_person_ids()
    assert StoredRecord.objects.count() == len(suspects)
    assert set(StoredRecord.objects.values_list("version", flat=True)) == {store_version(linked.model)}
    assert store_current(linked.model)
    named = StoredRecord.objects.filter(first_name__isnull=False, last_name__isnull=False)
    for person_id in named.values_list("person_id", flat=True)[:5]:
        keys = _stored_keys(person_id)
        assert keys
        assert keys == _expected_keys(person_id, linked.model)


def test_records_added_one_by_one_give_the_full_run_s_identities(linked: Linked) -> None:
    """Take records out of a full run's result and the store, score them back one at a time: each lands
    in the identity the full run gave it."""
    suspects = suspect_person_ids()
    full = _partition(suspects)
    shared = sorted((p for p in suspects if len(full[p]) > 1), key=str)
    alone = sorted((p for p in suspects if len(full[p]) == 1), key=str)
    # From identities of three or more, one record each (the rest still link it), and a few loners.
    removed: list[uuid.UUID] = []
    seen: set[frozenset[uuid.UUID]] = set()
    for person in shared:
        if len(full[person]) >= 3 and full[person] not in seen:
            removed.append(person)
            seen.add(full[person])
        if len(removed) == 8:
            break
    removed += alone[:4]
    assert len(removed) >= 8
    IdentityMember.objects.filter(person_id__in=removed).delete()
    StoredRecord.objects.filter(person_id__in=removed).delete()

    for person in removed:
        linkage_score_people(person_ids=[person])

    again = _partition(suspects)
    assert {p: again[p] for p in removed} == {p: full[p] for p in removed}
    assert StoredRecord.objects.count() == len(suspects)
    for person in removed:
        assert _stored_keys(person) == _expected_keys(person, linked.model)


def test_an_edited_record_s_stored_row_and_keys_follow_the_edit(linked: Linked) -> None:
    person_id = StoredRecord.objects.filter(last_name__isnull=False).values_list("person_id", flat=True).first()
    assert person_id is not None
    before = _stored_keys(person_id)
    person = PersonRecord.objects.get(pk=person_id)
    person.last_name, person.date_of_birth = "Quennell-Abernathy", dt.date(1971, 3, 9)
    person.save()

    linkage_score_people(person_ids=[person_id])  # what the background task does for an edited case

    row = StoredRecord.objects.get(person_id=person_id).standardised
    assert row["last_name"] == "quennell-abernathy" or row["last_name"].startswith("quennell")
    assert row["dob"] == "1971-03-09"
    after = _stored_keys(person_id)
    assert after != before
    assert after == _expected_keys(person_id, linked.model)


def test_a_new_model_makes_the_store_stale_and_the_next_scoring_rebuilds_it(linked: Linked) -> None:
    newer = dataclasses.replace(linked.model, threshold=0.95)
    assert store_version(newer) != store_version(linked.model)
    LinkageRun.objects.create(
        kind=RunKind.FULL,
        requested_at=clock.now(),
        status=RunStatus.FINISHED,
        finished_at=clock.now() + dt.timedelta(minutes=1),
        threshold=0.95,
        model=newer.to_dict(),
        model_version="newer",
    )
    assert not store_current(newer)
    person_id = suspect_person_ids()[0]

    linkage_score_people(person_ids=[person_id])

    assert store_current(newer)
    assert set(StoredRecord.objects.values_list("version", flat=True)) == {store_version(newer)}
    assert StoredRecord.objects.count() == len(suspect_person_ids())


def test_a_record_on_a_restricted_case_is_no_candidate_and_leaves_the_store(
    linked: Linked, django_capture_on_commit_callbacks: object
) -> None:
    member = IdentityMember.objects.select_related("person").order_by("person__last_name").first()
    assert member is not None
    hidden = member.person
    for involvement in Involvement.objects.filter(person=hidden).select_related("case"):
        involvement.case.restricted = True
        involvement.case.save(update_fields=["restricted"])
    team = TeamFactory.create()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        case = case_create(
            actor=linked.analyst,
            offence_class=OffenceClass.objects.get(code="19C"),
            team=team,
            officer=OfficerFactory.create(team=team),
            reported_at=BASE_TIME,
            offence_from=BASE_TIME.date() - dt.timedelta(days=2),
            how_reported="online",
            people=[_copy_of(hidden)],
        )
    copy = Involvement.objects.get(case=case, role=Role.SUSPECT).person
    copy_row = StoredRecord.objects.get(person_id=copy.pk).standardised
    candidates, _ = store_candidates(
        pa.Table.from_pylist([{c: copy_row.get(c) for c in LINKAGE_COLUMNS}]), linked.model
    )
    assert str(hidden.pk) not in candidates.column("unique_id").to_pylist()
    assert not LinkExplanation.objects.filter(person_a__in=[hidden, copy], person_b__in=[hidden, copy]).exists()
    # Scoring the hidden record (its case was edited) takes it out of the store.
    linkage_score_people(person_ids=[hidden.pk])
    assert not StoredRecord.objects.filter(person_id=hidden.pk).exists()
