"""Re-verify the hash chain of the audit log, in sequence order, a chunk at a time.

Each entry must: carry the next sequence number (a gap means entries were deleted), name the
previous entry's hash as its `prev_hash` (otherwise entries were deleted, inserted, reordered, or
one was altered and re-hashed), and hash to its own `hash` (otherwise it was altered). The walk
stops at the first entry that fails and says which and why.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from bluestone.audit.chain import HASHED_FIELDS, entry_hash
from bluestone.audit.models import GENESIS_HASH, AuditEvent

DEFAULT_CHUNK_SIZE = 2000


class Breakage(enum.StrEnum):
    ALTERED = "altered"
    DELETED = "deleted"
    REORDERED = "reordered"
    TRUNCATED = "truncated"


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


def audit_log_verify(
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    expected_hash: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> VerifyResult:
    """Walk the whole log in sequence order and recompute every hash; stop at the first break.

    `expected_hash` is a hash kept outside the database from an earlier run (the "last hash" it
    printed): if no entry in the log has it, the log was truncated (or that entry altered).
    `progress` is called with the number of entries checked so far, once per chunk.
    """
    entries = 0
    prev_sequence, prev_hash = 0, GENESIS_HASH
    seen_expected = expected_hash is None
    # One transaction gives the walk one consistent snapshot (on PostgreSQL, a server-side cursor
    # that is not materialised up front) while appends carry on behind it.
    with transaction.atomic():
        rows = AuditEvent.objects.order_by("sequence").values(*HASHED_FIELDS, "hash").iterator(chunk_size=chunk_size)
        for row in rows:
            broken = _check(row, prev_sequence, prev_hash)
            if broken is not None:
                return VerifyResult(entries, prev_hash, prev_sequence, broken)
            entries += 1
            prev_sequence, prev_hash = row["sequence"], row["hash"]
            seen_expected = seen_expected or row["hash"] == expected_hash
            if progress is not None and entries % chunk_size == 0:
                progress(entries)
    if progress is not None:
        progress(entries)
    if not seen_expected:
        return VerifyResult(
            entries,
            prev_hash,
            prev_sequence,
            ChainBreak(
                Breakage.TRUNCATED,
                None,
                None,
                f"no entry has the hash {expected_hash} kept from an earlier check: entries were removed "
                f"from the end of the log (it now ends at entry #{prev_sequence}), or that entry was altered.",
            ),
        )
    return VerifyResult(entries, prev_hash, prev_sequence, None)
