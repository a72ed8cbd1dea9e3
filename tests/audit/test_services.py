"""audit_record: what an entry holds, how it chains, and that it lives and dies with its transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json

import pytest
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from bluestone.accounts.models import Role, Team, User
from bluestone.audit import services
from bluestone.audit.models import GENESIS_HASH, AuditAction, AuditEvent
from bluestone.audit.services import audit_record
from bluestone.audit.verify import audit_log_verify
from bluestone.cases.models import Case, PersonRecord
from bluestone.core import clock
from tests.factories import BASE_TIME, TeamFactory

pytestmark = pytest.mark.django_db


def test_an_entry_records_who_what_when_why_and_from_where(
    monkeypatch: pytest.MonkeyPatch, investigator: User, case: Case, person: PersonRecord
) -> None:
    monkeypatch.setattr(clock, "now", lambda: BASE_TIME)
    request = RequestFactory().get("/cases/", REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Firefox/128.0")

    event = audit_record(
        actor=investigator,
        action=AuditAction.CONSULTATION,
        request=request,
        case=case,
        person=person,
        object_type="cases.PersonRecord",
        object_id=person.pk,
        justification="Officer in the case",
        details={"tab": "people"},
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.sequence == 1
    assert stored.occurred_at == BASE_TIME
    assert stored.actor == investigator
    assert (stored.actor_username, stored.actor_role) == ("amira", Role.INVESTIGATOR)
    assert stored.action == AuditAction.CONSULTATION
    assert (stored.case_id, stored.person_id) == (case.pk, person.pk)
    assert (stored.object_type, stored.object_id) == ("cases.PersonRecord", str(person.pk))
    assert stored.justification == "Officer in the case"
    assert (stored.ip_address, stored.user_agent) == ("192.0.2.10", "Firefox/128.0")
    assert stored.details == {"tab": "people"}
    assert stored.prev_hash == GENESIS_HASH
    assert len(stored.hash) == 64


def test_each_entry_names_the_hash_of_the_one_before(chain: list[AuditEvent]) -> None:
    stored = list(AuditEvent.objects.order_by("sequence"))
    assert [event.sequence for event in stored] == [1, 2, 3, 4, 5]
    assert stored[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(stored):
        assert after.prev_hash == before.hash


def test_the_actor_snapshot_survives_a_change_of_username_and_role(investigator: User) -> None:
    event = audit_record(actor=investigator, action=AuditAction.SIGN_IN)
    investigator.username, investigator.role = "amira.shah", Role.SUPERVISOR
    investigator.save()

    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_username, stored.actor_role) == ("amira", Role.INVESTIGATOR)
    assert audit_log_verify().intact


def test_a_system_action_has_no_actor() -> None:
    event = audit_record(actor=None, action=AuditAction.COMBINATION, details={"links": 12})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.actor_username, stored.actor_role) == (None, "", "")


def test_values_the_database_normalises_are_hashed_as_stored(investigator: User) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0DB8:0000:0000::0001", HTTP_USER_AGENT="x" * 600)
    audit_record(
        actor=investigator,
        action=AuditAction.LIST,
        request=request,
        justification='Zoë — 証拠 "quoted" \\ and a\nnewline',
        details={"filters": {"ñ": [1, True, None, "b"], "a": 2**40}, "page": 3},
    )

    stored = AuditEvent.objects.get()
    assert stored.ip_address == "2001:db8::1"
    assert len(stored.user_agent) == 512
    # verify recomputes every hash from the values as the database gives them back.
    assert audit_log_verify().intact


def test_an_unparseable_client_address_is_left_out(investigator: User) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-address")
    event = audit_record(actor=investigator, action=AuditAction.SIGN_IN, request=request)
    assert AuditEvent.objects.get(pk=event.pk).ip_address is None


def test_the_hash_is_sha256_of_the_documented_canonical_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 3, 3, 14, 30, 5, 120, tzinfo=dt.UTC))
    event = audit_record(actor=None, action=AuditAction.ERASURE, object_type="cases.PersonRecord", object_id="42")

    # Written out by hand, as docs/security.md describes it, so a change to the form fails here.
    document = (
        '{"action":"erasure","actor_id":null,"actor_role":"","actor_username":"","case_id":null,"details":{},'
        f'"id":"{event.id}","ip_address":null,"justification":"","object_id":"42",'
        '"object_type":"cases.PersonRecord","occurred_at":"2026-03-03T14:30:05.000120Z","person_id":null,'
        f'"prev_hash":"{GENESIS_HASH}","recipient":"","sequence":1,"user_agent":"","v":1}}'
    )
    assert event.hash == hashlib.sha256(document.encode("utf-8")).hexdigest()
    assert json.loads(document)["id"] == str(event.id)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": AuditAction.BREAK_GLASS, "justification": "  "}, "Break-glass access needs a justification"),
        ({"action": AuditAction.DISCLOSURE}, "A disclosure needs a recipient"),
        ({"action": AuditAction.LIST, "details": {"score": 0.9}}, "details.score holds a float"),
        ({"action": AuditAction.LIST, "details": {"when": dt.date(2026, 1, 1)}}, "details.when holds a date"),
        ({"action": "peeked"}, "'peeked' is not a valid AuditAction"),
    ],
)
def test_entries_the_log_must_not_hold_are_refused(investigator: User, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        audit_record(actor=investigator, **kwargs)  # type: ignore[arg-type]
    assert not AuditEvent.objects.exists()


def test_break_glass_with_a_justification_is_recorded(investigator: User, case: Case) -> None:
    event = audit_record(
        actor=investigator, action=AuditAction.BREAK_GLASS, case=case, justification="Threat to life, call 123"
    )
    assert AuditEvent.objects.get(pk=event.pk).justification == "Threat to life, call 123"


def test_the_entry_rolls_back_with_the_audited_write(investigator: User) -> None:
    def audited_work() -> None:
        with transaction.atomic():
            TeamFactory.create(code="ROLLED")
            audit_record(actor=investigator, action=AuditAction.COLLECTION, object_type="accounts.Team")
            raise RuntimeError("the audited work failed")

    with pytest.raises(RuntimeError):
        audited_work()

    assert not Team.objects.filter(code="ROLLED").exists()
    assert not AuditEvent.objects.exists()


def test_the_audited_write_rolls_back_when_its_entry_cannot_be_written(
    monkeypatch: pytest.MonkeyPatch, investigator: User
) -> None:
    first = audit_record(actor=investigator, action=AuditAction.SIGN_IN)
    # A hash that is already taken makes the insert fail in the database, after the caller's write.
    monkeypatch.setattr(services, "entry_hash", lambda entry: first.hash)

    def audited_work() -> None:
        with transaction.atomic():
            TeamFactory.create(code="UNLOGGED")
            audit_record(actor=investigator, action=AuditAction.COLLECTION, object_type="accounts.Team")

    with pytest.raises(IntegrityError):
        audited_work()

    assert not Team.objects.filter(code="UNLOGGED").exists()
    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == [1]


def test_a_rolled_back_entry_leaves_no_gap(investigator: User) -> None:
    audit_record(actor=investigator, action=AuditAction.SIGN_IN)

    def audited_work() -> None:
        with transaction.atomic():
            audit_record(actor=investigator, action=AuditAction.CONSULTATION)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        audited_work()
    audit_record(actor=investigator, action=AuditAction.SIGN_OUT)

    assert list(AuditEvent.objects.values_list("sequence", "action")) == [(1, "sign_in"), (2, "sign_out")]
    assert audit_log_verify().intact
