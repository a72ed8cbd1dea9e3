"""The end of the chain is anchored: signed entries and signed checkpoints outside the database.

Each test is an attack by someone with full rights over the database but not the servers'
environment (so not the audit key): the append-only triggers are lifted, then an entry is appended
with a correct hash, the newest entries are cut, or an id's spelling is rewritten.
"""

# ruff: noqa: S608  (table and column names are constants)
from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from pytest_django.fixtures import Settings as SettingsWrapper

from bluestone.accounts.models import User
from bluestone.audit.checkpoints import CheckpointFileError, checkpoints_read
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.audit.services import audit_record
from bluestone.audit.signing import entry_signature, key_id, keyring, keyring_from
from bluestone.audit.verify import Breakage, audit_log_verify
from bluestone.cases.models import Case
from tests.audit import tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoint_file(tmp_path: Path, settings: SettingsWrapper) -> Path:
    path = tmp_path / "checkpoints" / "audit.jsonl"
    settings.BLUESTONE_AUDIT_CHECKPOINT_FILE = str(path)
    return path


def _verify(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def test_every_entry_is_signed_with_the_current_key(chain: list[AuditEvent]) -> None:
    ring = keyring()
    for event in AuditEvent.objects.all():
        assert event.key_id == ring.current_id
        assert event.signature == entry_signature(ring, event.hash)
    result = audit_log_verify()
    assert result.intact
    assert result.last_signed_sequence == 5


def test_nothing_is_logged_without_a_key(settings: SettingsWrapper) -> None:
    settings.BLUESTONE_AUDIT_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="BLUESTONE_AUDIT_KEY"):
        audit_record(actor=None, action=AuditAction.SIGN_IN)
    assert not AuditEvent.objects.exists()


def test_an_appended_entry_with_a_correct_hash_is_forged(chain: list[AuditEvent]) -> None:
    kept = audit_log_verify().last_hash
    forged = tamper.append_forged(justification="a reason nobody gave")

    result = audit_log_verify(expected_hash=kept)  # the kept hash is still in the log: that alone passes
    assert result.broken is not None
    assert (result.broken.kind, result.broken.sequence, result.broken.id) == (Breakage.FORGED, 6, forged.id)
    assert "is not signed" in result.broken.message
    with pytest.raises(CommandError, match=r"BROKEN \(forged\): entry #6"):
        _verify("--expect-hash", kept)


def test_an_appended_entry_signed_with_another_key_is_forged(chain: list[AuditEvent]) -> None:
    guessed = keyring_from("a key the forger made up, not the force's audit key")
    head_hash = chain[-1].hash
    forged = tamper.append_forged(key_id=keyring().current_id, signature=entry_signature(guessed, head_hash))
    broken = audit_log_verify().broken
    assert broken is not None
    assert (broken.kind, broken.sequence, broken.id) == (Breakage.FORGED, 6, forged.id)

    # Copying a real signature from another entry does not help either: it signs that entry's hash.
    tamper.cut_tail(1)
    tamper.append_forged(key_id=chain[-1].key_id, signature=chain[-1].signature)
    broken = audit_log_verify().broken
    assert broken is not None
    assert (broken.kind, broken.sequence) == (Breakage.FORGED, 6)
    assert "not a valid signature" in broken.message


def test_a_removed_signature_is_caught(chain: list[AuditEvent]) -> None:
    tamper.set_column(4, "signature", "")
    broken = audit_log_verify().broken
    assert broken is not None
    assert (broken.kind, broken.sequence) == (Breakage.FORGED, 4)


def test_a_log_with_no_signed_entry_fails(chain: list[AuditEvent]) -> None:
    for sequence in range(1, 6):
        tamper.set_column(sequence, "signature", "")
    broken = audit_log_verify().broken
    assert broken is not None
    assert broken.kind == Breakage.FORGED
    assert "no entry of the log is signed" in broken.message


def test_entries_from_before_signing_are_vouched_for_by_the_first_signed_entry(chain: list[AuditEvent]) -> None:
    # A log that predates signing: its first entries carry none, the next signed entry covers them.
    for sequence in (1, 2, 3):
        tamper.set_column(sequence, "signature", "")
        tamper.set_column(sequence, "key_id", "")
    result = audit_log_verify()
    assert result.intact
    assert result.last_signed_sequence == 5


def test_a_rotated_key_verifies_old_entries_only_while_it_is_listed(
    chain: list[AuditEvent], investigator: User, settings: SettingsWrapper
) -> None:
    old_key = settings.BLUESTONE_AUDIT_KEY
    settings.BLUESTONE_AUDIT_KEY = "the force's new audit key after rotation, fifty characters or more"
    settings.BLUESTONE_AUDIT_PREVIOUS_KEYS = [old_key]
    newer = audit_record(actor=investigator, action=AuditAction.SIGN_OUT)
    assert newer.key_id == key_id(settings.BLUESTONE_AUDIT_KEY) != chain[0].key_id
    assert audit_log_verify().intact

    settings.BLUESTONE_AUDIT_PREVIOUS_KEYS = []
    broken = audit_log_verify().broken
    assert broken is not None
    assert (broken.kind, broken.sequence) == (Breakage.FORGED, 1)
    assert "BLUESTONE_AUDIT_PREVIOUS_KEYS" in broken.message


def test_verify_reports_the_last_signed_checkpoint(chain: list[AuditEvent], checkpoint_file: Path) -> None:
    assert "No checkpoint yet" in _verify()
    out = io.StringIO()
    call_command("audit", "checkpoint", stdout=out)
    assert f"Checkpoint written to {checkpoint_file}: entry #5, hash {chain[-1].hash}" in out.getvalue()

    report = _verify()
    assert "Audit log intact: 5 entries" in report
    assert "every entry signed with the audit key up to entry #5" in report
    assert f"Last signed checkpoint: entry #5, hash {chain[-1].hash}" in report
    (checkpoint,) = checkpoints_read(checkpoint_file, keyring())
    assert (checkpoint.sequence, checkpoint.hash) == (5, chain[-1].hash)


def test_a_cut_tail_fails_against_the_checkpoint(
    chain: list[AuditEvent], checkpoint_file: Path, investigator: User
) -> None:
    call_command("audit", "checkpoint", stdout=io.StringIO())
    tamper.cut_tail(2)

    result = audit_log_verify(checkpoints=checkpoints_read(checkpoint_file, keyring()))
    assert result.broken is not None
    assert result.broken.kind == Breakage.TRUNCATED
    assert "recorded entry #5, but the log now ends at entry #3" in result.broken.message
    with pytest.raises(CommandError, match=r"BROKEN \(truncated\)"):
        _verify()
    with pytest.raises(CommandError, match="No checkpoint written"):
        call_command("audit", "checkpoint", stdout=io.StringIO())

    # The application carries on appending: the log grows past #5 again, with other entries there.
    for _ in range(3):
        audit_record(actor=investigator, action=AuditAction.SIGN_IN)
    assert audit_log_verify().intact  # nothing inside the database can tell
    with pytest.raises(CommandError, match=r"recorded entry #5 with the hash .* now has the hash"):
        _verify()


def test_a_cut_within_checkpointed_entries_fails_only_after_the_next_checkpoint(
    chain: list[AuditEvent], checkpoint_file: Path, investigator: User
) -> None:
    """Documents the window: entries after the newest checkpoint can be cut until the next one is written."""
    call_command("audit", "checkpoint", stdout=io.StringIO())
    audit_record(actor=investigator, action=AuditAction.SIGN_OUT)
    call_command("audit", "checkpoint", stdout=io.StringIO())
    assert [c.sequence for c in checkpoints_read(checkpoint_file, keyring())] == [5, 6]
    tamper.cut_tail(1)
    with pytest.raises(CommandError, match="recorded entry #6, but the log now ends at entry #5"):
        _verify()


def test_a_changed_checkpoint_file_is_refused(chain: list[AuditEvent], checkpoint_file: Path) -> None:
    call_command("audit", "checkpoint", stdout=io.StringIO())
    call_command("audit", "checkpoint", stdout=io.StringIO())
    lines = checkpoint_file.read_text().splitlines()

    # Moving the checkpoint back to an earlier entry, to hide a cut, breaks its signature.
    edited = json.loads(lines[1]) | {"sequence": 3, "hash": chain[2].hash}
    checkpoint_file.write_text(lines[0] + "\n" + json.dumps(edited) + "\n")
    with pytest.raises(CheckpointFileError, match="line 2: the checkpoint's signature does not match"):
        checkpoints_read(checkpoint_file, keyring())
    with pytest.raises(CommandError, match="checkpoint file BROKEN"):
        _verify()

    # Dropping the first line breaks the chain of checkpoints.
    checkpoint_file.write_text(lines[1] + "\n")
    with pytest.raises(CheckpointFileError, match="line 1: the checkpoint does not follow"):
        checkpoints_read(checkpoint_file, keyring())


def test_checkpoint_checks_only_the_new_entries_and_refuses_a_forged_one(
    chain: list[AuditEvent], checkpoint_file: Path
) -> None:
    call_command("audit", "checkpoint", stdout=io.StringIO())
    tamper.append_forged()
    with pytest.raises(CommandError, match=r"No checkpoint written: .*\(forged\): entry #6"):
        call_command("audit", "checkpoint", stdout=io.StringIO())
    assert len(checkpoints_read(checkpoint_file, keyring())) == 1


def _case_id_column(sequence: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT case_id FROM {tamper.TABLE} WHERE sequence = %s", [sequence])
        return str(cursor.fetchone()[0])


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="PostgreSQL's uuid type stores one spelling only")
@pytest.mark.parametrize(
    "respell",
    [
        pytest.param(lambda value: value.upper(), id="upper-case"),
        pytest.param(lambda value: str(uuid.UUID(value)), id="hyphenated"),
    ],
)
def test_a_rewritten_case_id_spelling_is_caught(chain: list[AuditEvent], case: Case, respell: object) -> None:
    stored = _case_id_column(2)
    assert stored == case.pk.hex
    tamper.set_column(2, "case_id", respell(stored))  # type: ignore[operator]

    # The entry now hides from "who looked at this case", though its hash still matches.
    assert AuditEvent.objects.filter(case_id=case.pk).count() == 4
    broken = audit_log_verify().broken
    assert broken is not None
    assert (broken.kind, broken.sequence) == (Breakage.ALTERED, 2)
    assert "case_id is stored as" in broken.message


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="PostgreSQL's timestamptz stores one form only")
def test_a_rewritten_time_spelling_is_caught(chain: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT occurred_at FROM {tamper.TABLE} WHERE sequence = 3")
        stored = cursor.fetchone()[0]
    tamper.set_column(3, "occurred_at", str(stored).replace(" ", "T"))
    broken = audit_log_verify().broken
    assert broken is not None
    assert (broken.kind, broken.sequence) == (Breakage.ALTERED, 3)
    assert "occurred_at is stored as" in broken.message


def test_the_stored_form_of_ids_is_checked_on_every_engine(chain: list[AuditEvent], case: Case) -> None:
    # The check compares against the engine's own form, so an untouched log passes on both.
    assert audit_log_verify().intact
    assert uuid.UUID(_case_id_column(1)) == case.pk
