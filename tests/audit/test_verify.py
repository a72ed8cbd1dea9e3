"""audit_log_verify and `bluestone audit verify`: an intact chain passes, every kind of tampering is named."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bluestone.accounts.models import User
from bluestone.audit.models import GENESIS_HASH, AuditAction, AuditEvent
from bluestone.audit.services import audit_record, audit_record_many
from bluestone.audit.verify import Breakage, audit_log_verify
from tests.audit import tamper

pytestmark = pytest.mark.django_db


def test_an_untouched_chain_verifies(chain: list[AuditEvent]) -> None:
    result = audit_log_verify(chunk_size=2)
    assert result.intact
    assert (result.entries, result.last_sequence, result.last_hash) == (5, 5, chain[-1].hash)


def test_an_empty_log_verifies() -> None:
    result = audit_log_verify()
    assert result.intact
    assert (result.entries, result.last_hash) == (0, GENESIS_HASH)


def test_progress_is_reported_per_chunk_and_at_the_end(chain: list[AuditEvent]) -> None:
    seen: list[int] = []
    audit_log_verify(chunk_size=2, progress=seen.append)
    assert seen == [2, 4, 5]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("justification", "nothing to see"),
        ("actor_username", "someone.else"),
        ("action", AuditAction.SIGN_IN.value),
        ("occurred_at", "2020-01-01 00:00:00+00:00"),
        ("recipient", "A journalist"),
    ],
)
def test_an_altered_entry_is_named(chain: list[AuditEvent], column: str, value: str) -> None:
    tamper.set_column(3, column, value)

    broken = audit_log_verify(chunk_size=2).broken
    assert broken is not None
    assert (broken.kind, broken.sequence, broken.id) == (Breakage.ALTERED, 3, chain[2].id)
    assert "was altered" in broken.message


def test_an_altered_details_document_is_named(chain: list[AuditEvent]) -> None:
    tamper.set_column(4, "details", '{"fields": ["summary", "victim_address"]}')
    broken = audit_log_verify().broken
    assert broken is not None
    assert (broken.kind, broken.sequence) == (Breakage.ALTERED, 4)


def test_a_deleted_entry_is_named_by_the_gap_it_leaves(chain: list[AuditEvent]) -> None:
    tamper.delete_entry(3)

    result = audit_log_verify()
    assert result.broken is not None
    assert (result.broken.kind, result.broken.sequence, result.broken.id) == (Breakage.DELETED, 4, chain[3].id)
    assert "entry #3 missing (deleted)" in result.broken.message
    assert result.entries == 2


def test_deleting_the_first_entry_is_detected(chain: list[AuditEvent]) -> None:
    tamper.delete_entry(1)
    broken = audit_log_verify().broken
    assert broken is not None
    assert (broken.kind, broken.sequence) == (Breakage.DELETED, 2)


def test_several_deleted_entries_are_counted(chain: list[AuditEvent]) -> None:
    tamper.delete_entry(2)
    tamper.delete_entry(3)
    broken = audit_log_verify().broken
    assert broken is not None
    assert "entries #2 to #3 missing" in broken.message


def test_a_deletion_hidden_by_renumbering_is_detected(chain: list[AuditEvent]) -> None:
    tamper.delete_and_renumber(2)

    broken = audit_log_verify().broken
    assert broken is not None
    # The old #3 is now #2; its prev_hash names the deleted entry, which is nowhere in the log.
    assert (broken.kind, broken.sequence, broken.id) == (Breakage.DELETED, 2, chain[2].id)
    assert "matches no entry in the log" in broken.message


def test_an_entry_altered_and_re_hashed_is_caught_at_the_next_link(chain: list[AuditEvent]) -> None:
    tamper.set_column(2, "hash", "e" * 64)
    tamper.set_column(2, "justification", "rewritten")

    broken = audit_log_verify().broken
    assert broken is not None
    # #2 no longer matches its (forged) hash either, but the chain check comes first and names #2:
    # the forged hash would let #2 pass only if recomputed, and then #3 breaks, as below.
    assert broken.sequence == 2


def test_a_re_hashed_entry_is_caught_by_its_signature(chain: list[AuditEvent]) -> None:
    from bluestone.audit.chain import HASHED_FIELDS, entry_hash  # noqa: PLC0415

    tamper.set_column(2, "justification", "rewritten")
    row = AuditEvent.objects.values(*HASHED_FIELDS).get(sequence=2)
    tamper.set_column(2, "hash", entry_hash(row))

    broken = audit_log_verify().broken
    assert broken is not None
    # Its hash is right again, but the signature (of the old hash) no longer matches: caught at #2 itself.
    assert (broken.kind, broken.sequence, broken.id) == (Breakage.FORGED, 2, chain[1].id)
    assert "not a valid signature of the audit key" in broken.message


def test_two_swapped_entries_are_named_as_reordered(chain: list[AuditEvent]) -> None:
    tamper.swap_sequences(2, 3)

    broken = audit_log_verify().broken
    assert broken is not None
    # The entry now at #2 is the old #3: its prev_hash names the old #2, which now comes after it.
    assert (broken.kind, broken.sequence, broken.id) == (Breakage.REORDERED, 2, chain[2].id)
    assert f"follows entry #3 (id {chain[1].id})" in broken.message


def test_swapping_the_first_entry_is_named_as_reordered(chain: list[AuditEvent]) -> None:
    tamper.swap_sequences(1, 4)
    broken = audit_log_verify().broken
    assert broken is not None
    assert (broken.kind, broken.sequence, broken.id) == (Breakage.REORDERED, 1, chain[3].id)


def test_a_truncated_tail_is_caught_only_against_a_kept_hash(chain: list[AuditEvent]) -> None:
    kept = audit_log_verify().last_hash
    tamper.delete_entry(5)
    tamper.delete_entry(4)

    assert audit_log_verify().intact  # nothing inside the database can tell
    result = audit_log_verify(expected_hash=kept)
    assert result.broken is not None
    assert result.broken.kind == Breakage.TRUNCATED
    assert "now ends at entry #3" in result.broken.message


def test_a_kept_hash_still_in_the_log_passes(chain: list[AuditEvent], investigator: User) -> None:
    kept = audit_log_verify().last_hash
    audit_record(actor=investigator, action=AuditAction.SIGN_OUT)
    assert audit_log_verify(expected_hash=kept).intact


def test_the_command_reports_an_intact_log_and_its_last_hash(chain: list[AuditEvent]) -> None:
    out = io.StringIO()
    call_command("audit", "verify", "--chunk-size", "2", stdout=out)
    assert f"Audit log intact: 5 entries, last hash {chain[-1].hash}" in out.getvalue()


def test_the_command_fails_naming_the_first_broken_entry(chain: list[AuditEvent]) -> None:
    tamper.set_column(2, "justification", "changed")
    tamper.set_column(4, "justification", "changed too")

    with pytest.raises(CommandError, match=rf"entry #2 \(id {chain[1].id}\) was altered"):
        call_command("audit", "verify", stdout=io.StringIO())


def test_the_command_checks_a_kept_hash(chain: list[AuditEvent]) -> None:
    tamper.delete_entry(5)
    with pytest.raises(CommandError, match="truncated"):
        call_command("audit", "verify", "--expect-hash", chain[-1].hash.upper(), stdout=io.StringIO())
    with pytest.raises(CommandError, match="64 hexadecimal characters"):
        call_command("audit", "verify", "--expect-hash", "abc", stdout=io.StringIO())


def _bluestone(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bluestone.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(
        [sys.executable, "-m", "bluestone.cli", *args], env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.own_database
def test_the_console_script_exits_zero_then_non_zero_once_tampered(migrated_sqlite: Path) -> None:
    """End to end through `bluestone audit verify`, on a migrated database file of its own."""
    database = migrated_sqlite
    append = (
        "from bluestone.audit.services import audit_record\n"
        "for _ in range(3): audit_record(actor=None, action='sign_in')"
    )
    assert _bluestone(database, "shell", "--command", append).returncode == 0

    intact = _bluestone(database, "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert "Audit log intact: 3 entries, last hash " in intact.stdout

    with sqlite3.connect(database) as db:
        db.execute("DROP TRIGGER audit_event_no_update")
        db.execute("UPDATE audit_event SET actor_username = 'ghost' WHERE sequence = 2")
    broken = _bluestone(database, "audit", "verify")
    assert broken.returncode == 1
    assert "entry #2" in broken.stderr
    assert "was altered" in broken.stderr


def test_entries_appended_together_chain_and_verify_like_single_ones(
    chain: list[AuditEvent], investigator: User
) -> None:
    person_ids = [str(uuid.uuid4()) for _ in range(3)]

    written = audit_record_many(
        actor=investigator,
        action=AuditAction.CONSULTATION,
        entries=[{"person": pk, "object_type": "cases.PersonRecord", "object_id": pk} for pk in person_ids],
    )
    audit_record(actor=investigator, action=AuditAction.CONSULTATION, object_type="cases.Case")

    stored = list(AuditEvent.objects.filter(sequence__gt=5).order_by("sequence"))
    assert [(e.sequence, str(e.person_id)) for e in stored[:3]] == [
        (6, person_ids[0]),
        (7, person_ids[1]),
        (8, person_ids[2]),
    ]
    assert [e.prev_hash for e in stored] == [chain[-1].hash, *(e.hash for e in stored[:-1])]
    assert [e.hash for e in written] == [e.hash for e in stored[:3]]
    result = audit_log_verify()
    assert (result.intact, result.entries) == (True, 9)


def test_appending_no_entries_writes_nothing(investigator: User) -> None:
    assert audit_record_many(actor=investigator, action=AuditAction.CONSULTATION, entries=[]) == []
    assert AuditEvent.objects.count() == 0
