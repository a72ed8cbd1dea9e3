"""Re-verify the hash chain of the audit log, in sequence order, a chunk at a time.

Each entry must: carry the next sequence number (a gap means entries were deleted), name the
previous entry's hash as its `prev_hash` (otherwise entries were deleted, inserted, reordered, or
one was altered and re-hashed), hash to its own `hash` (otherwise it was altered), keep its ids and
time in the form the application stores them (a rewritten spelling hides it from searches), and
carry a signature of its hash under the audit key (otherwise it was written straight into the
database). Checkpoints kept outside the database must still be found in the log (otherwise its end
was cut). The walk stops at the first entry that fails and says which and why.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from bluestone.audit.chain import HASHED_FIELDS, entry_hash
from bluestone.audit.checkpoints import Checkpoint, CheckpointFileError, checkpoints_read
from bluestone.audit.models import GENESIS_HASH, AuditEvent
from bluestone.audit.signing import Keyring, entry_signature_ok, keyring

DEFAULT_CHUNK_SIZE = 2000


class Breakage(enum.StrEnum):
    ALTERED = "altered"
    DELETED = "deleted"
    REORDERED = "reordered"
    TRUNCATED = "truncated"
    FORGED = "forged"
    CHECKPOINTS = "checkpoint file"


@dataclass(frozen=True)
class ChainBreak:
    """The first entry that fails verification (none for a truncated tail) and what is wrong."""

    kind: Breakage
    sequence: int | None
    id: uuid.UUID | None
    message: str


@dataclass(frozen=True)
class VerifyResult:
    entries: int
    last_hash: str
    last_sequence: int
    broken: ChainBreak | None
    # The newest entry that carries a valid signature (0: none), and the newest checkpoint from the
    # checkpoint file, if one was given.
    last_signed_sequence: int = 0
    checkpoint: Checkpoint | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _broken_link(row: dict[str, Any], expected_prev_hash: str, prev_sequence: int) -> ChainBreak:
    """Why this entry's prev_hash does not name the entry before it."""
    sequence, pk = row["sequence"], row["id"]
    # Only on failure: one indexed lookup to tell a reordering from a deletion.
    named = AuditEvent.objects.filter(hash=row["prev_hash"]).values_list("sequence", "id").first()
    if named is not None and named[0] != prev_sequence:
        return ChainBreak(
            Breakage.REORDERED,
            sequence,
            pk,
            f"entry #{sequence} (id {pk}) follows entry #{named[0]} (id {named[1]}) in the chain but now "
            f"comes after entry #{prev_sequence}: entries were reordered (sequence numbers changed).",
        )
    if row["prev_hash"] == GENESIS_HASH and prev_sequence > 0:
        return ChainBreak(
            Breakage.REORDERED,
            sequence,
            pk,
            f"entry #{sequence} (id {pk}) claims to be the first entry of the chain but comes after "
            f"entry #{prev_sequence}: entries were reordered (sequence numbers changed).",
        )
    return ChainBreak(
        Breakage.DELETED,
        sequence,
        pk,
        f"entry #{sequence} (id {pk}) does not follow entry #{prev_sequence}: its prev_hash "
        f"{row['prev_hash']} matches no entry in the log (expected {expected_prev_hash}). The entry "
        "before it was deleted (and the rest renumbered), or altered and re-hashed.",
    )


def _check(row: dict[str, Any], prev_sequence: int, prev_hash: str) -> ChainBreak | None:
    sequence, pk = row["sequence"], row["id"]
    if sequence == prev_sequence:
        return ChainBreak(
            Breakage.REORDERED,
            sequence,
            pk,
            f"entry #{sequence} (id {pk}) repeats the sequence number of the entry before it.",
        )
    if sequence != prev_sequence + 1:
        missing = (
            f"entry #{prev_sequence + 1}"
            if sequence == prev_sequence + 2
            else f"entries #{prev_sequence + 1} to #{sequence - 1}"
        )
        return ChainBreak(
            Breakage.DELETED,
            sequence,
            pk,
            f"entry #{sequence} (id {pk}) comes after entry #{prev_sequence}: {missing} missing (deleted).",
        )
    if row["prev_hash"] != prev_hash:
        return _broken_link(row, prev_hash, prev_sequence)
    if entry_hash(row) != row["hash"]:
        return ChainBreak(
            Breakage.ALTERED,
            sequence,
            pk,
            f"entry #{sequence} (id {pk}) was altered: its content no longer matches its hash {row['hash']}.",
        )
    return None


# Raw column values, as text, for the columns whose stored spelling the ORM would hide.
_RAW_UUID_COLUMNS = ("id", "case_id", "person_id")
_RAW = {f"raw_{column}": Cast(column, output_field=TextField()) for column in (*_RAW_UUID_COLUMNS, "occurred_at")}


def _stored_form_problem(row: dict[str, Any]) -> str | None:
    """The column whose stored text is not the form the application writes, and what it holds.

    The hash covers the values, not their spelling: on SQLite `case_id` is text, and the ORM reads
    "ABCD…" or a hyphenated UUID back as the same value, so a rewritten spelling would still hash the
    same while searches by case (which compare text) no longer find the entry.
    """
    for column in _RAW_UUID_COLUMNS:
        raw, value = row[f"raw_{column}"], row[column]
        if value is None:
            continue
        canonical = value.hex if connection.vendor == "sqlite" else str(value)
        if raw != canonical:
            return f"{column} is stored as {raw!r} rather than {canonical!r}"
    if connection.vendor == "sqlite":
        canonical_time = connection.ops.adapt_datetimefield_value(row["occurred_at"])
        if row["raw_occurred_at"] != canonical_time:
            return f"occurred_at is stored as {row['raw_occurred_at']!r} rather than {canonical_time!r}"
    return None


def _check_stored_form(row: dict[str, Any]) -> ChainBreak | None:
    problem = _stored_form_problem(row)
    if problem is None:
        return None
    sequence, pk = row["sequence"], row["id"]
    return ChainBreak(
        Breakage.ALTERED,
        sequence,
        pk,
        f"entry #{sequence} (id {pk}) was altered: its {problem}, which hides it from searches.",
    )


def _check_signed(row: dict[str, Any], ring: Keyring) -> ChainBreak | None:
    sequence, pk = row["sequence"], row["id"]
    if not row["signature"]:
        return ChainBreak(
            Breakage.FORGED,
            sequence,
            pk,
            f"entry #{sequence} (id {pk}) is not signed: it was written straight into the database, not by "
            "Bluestone (forged), or its signature was removed.",
        )
    if row["key_id"] not in ring.keys:
        return ChainBreak(
            Breakage.FORGED,
            sequence,
            pk,
            f"entry #{sequence} (id {pk}) is signed with key {row['key_id']!r}, which this server does not hold: "
            "if the audit key was rotated, list the old key in BLUESTONE_AUDIT_PREVIOUS_KEYS; otherwise the "
            "entry is forged.",
        )
    if not entry_signature_ok(ring, entry_hash=row["hash"], signature=row["signature"], signed_with=row["key_id"]):
        return ChainBreak(
            Breakage.FORGED,
            sequence,
            pk,
            f"entry #{sequence} (id {pk}) has a correct hash but not a valid signature of the audit key: it was "
            "written or re-hashed straight into the database (forged).",
        )
    return None


def _checkpoint_break(checkpoint: Checkpoint, row: dict[str, Any] | None, last_sequence: int) -> ChainBreak:
    if row is None:
        return ChainBreak(
            Breakage.TRUNCATED,
            None,
            None,
            f"the checkpoint of {checkpoint.at} recorded entry #{checkpoint.sequence}, but the log now ends at "
            f"entry #{last_sequence}: entries were removed from the end of the log.",
        )
    return ChainBreak(
        Breakage.TRUNCATED,
        row["sequence"],
        row["id"],
        f"the checkpoint of {checkpoint.at} recorded entry #{checkpoint.sequence} with the hash {checkpoint.hash}, "
        f"but entry #{row['sequence']} (id {row['id']}) now has the hash {row['hash']}: the entries up to it were "
        "removed from the end of the log and others written in their place, or the log was rewritten.",
    )


def _check_row(
    row: dict[str, Any], prev_sequence: int, prev_hash: str, *, signed_before: bool, ring: Keyring
) -> ChainBreak | None:
    broken = _check(row, prev_sequence, prev_hash) or _check_stored_form(row)
    if broken is None and (row["signature"] or signed_before):
        broken = _check_signed(row, ring)
    return broken


def _end_break(
    last_checkpoint: Checkpoint | None, last_sequence: int, last_signed: int, missing_hash: str | None
) -> ChainBreak | None:
    """What is wrong with the end of the log: a checkpoint beyond it, no signature at all, a kept hash not found."""
    if last_checkpoint is not None and last_checkpoint.sequence > last_sequence:
        return _checkpoint_break(last_checkpoint, None, last_sequence)
    if last_sequence > last_signed:
        return ChainBreak(
            Breakage.FORGED,
            None,
            None,
            f"no entry of the log is signed with the audit key (it ends at entry #{last_sequence}): it cannot "
            "be shown to have been written by Bluestone.",
        )
    if missing_hash is not None:
        return ChainBreak(
            Breakage.TRUNCATED,
            None,
            None,
            f"no entry has the hash {missing_hash} kept from an earlier check: entries were removed "
            f"from the end of the log (it now ends at entry #{last_sequence}), or that entry was altered.",
        )
    return None


def audit_log_verify(
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    expected_hash: str | None = None,
    checkpoints: list[Checkpoint] | None = None,
    since: Checkpoint | None = None,
    progress: Callable[[int], None] | None = None,
) -> VerifyResult:
    """Walk the log in sequence order, recompute every hash and check every signature; stop at the first break.

    `expected_hash` is a hash kept outside the database from an earlier run (the "last hash" it
    printed): if no entry in the log has it, the log was truncated (or that entry altered).
    `checkpoints` come from the checkpoint file (bluestone.audit.checkpoints): each checkpointed
    entry must still be in the log with the same hash. `since` starts the walk at a checkpoint
    instead of the first entry (the entries before it were checked when it was written).
    `progress` is called with the number of entries checked so far, once per chunk.

    Entries written before signing began (no signature) pass only while no signed entry has been
    seen: the first signed entry vouches for them through the chain. After it, and in a log where
    no entry at all is signed, an unsigned entry is a break.
    """
    ring = keyring()
    entries = 0
    prev_sequence, prev_hash = 0, GENESIS_HASH
    last_signed = 0
    seen_expected = expected_hash is None
    by_sequence = {checkpoint.sequence: checkpoint for checkpoint in checkpoints or []}
    last_checkpoint = checkpoints[-1] if checkpoints else None

    def result(broken: ChainBreak | None) -> VerifyResult:
        return VerifyResult(entries, prev_hash, prev_sequence, broken, last_signed, last_checkpoint)

    # One transaction gives the walk one consistent snapshot (on PostgreSQL, a server-side cursor
    # that is not materialised up front) while appends carry on behind it.
    with transaction.atomic():
        query = AuditEvent.objects.order_by("sequence")
        if since is not None:
            start = query.filter(sequence=since.sequence).values(*HASHED_FIELDS, "hash").first()
            if start is None or start["hash"] != since.hash:
                return result(_checkpoint_break(since, start, query.values_list("sequence", flat=True).last() or 0))
            query = query.filter(sequence__gt=since.sequence)
            prev_sequence, prev_hash, last_signed = since.sequence, since.hash, since.sequence
            seen_expected = seen_expected or since.hash == expected_hash
        rows = query.values(*HASHED_FIELDS, "hash", "signature", "key_id", **_RAW).iterator(chunk_size=chunk_size)
        for row in rows:
            broken = _check_row(row, prev_sequence, prev_hash, signed_before=last_signed > 0, ring=ring)
            checkpoint = by_sequence.get(row["sequence"])
            if broken is None and checkpoint is not None and checkpoint.hash != row["hash"]:
                broken = _checkpoint_break(checkpoint, row, prev_sequence)
            if broken is not None:
                return result(broken)
            entries += 1
            prev_sequence, prev_hash = row["sequence"], row["hash"]
            if row["signature"]:
                last_signed = row["sequence"]
            seen_expected = seen_expected or row["hash"] == expected_hash
            if progress is not None and entries % chunk_size == 0:
                progress(entries)
    if progress is not None:
        progress(entries)
    return result(_end_break(last_checkpoint, prev_sequence, last_signed, expected_hash if not seen_expected else None))


def audit_log_verify_with_checkpoints(*, expected_hash: str | None = None) -> VerifyResult:
    """`audit_log_verify` against the checkpoint file of the settings (if any), for the auditor's page.

    A checkpoint file that is unreadable or was changed is reported as a break of its own kind.
    """
    path = getattr(settings, "BLUESTONE_AUDIT_CHECKPOINT_FILE", "")
    try:
        checkpoints = checkpoints_read(Path(path), keyring()) if path else None
    except CheckpointFileError as error:
        return VerifyResult(0, GENESIS_HASH, 0, ChainBreak(Breakage.CHECKPOINTS, None, None, str(error)))
    return audit_log_verify(expected_hash=expected_hash, checkpoints=checkpoints)
