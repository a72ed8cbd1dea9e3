"""Signed checkpoints of the audit log's head, kept in a file outside the database.

Deleting the newest entries leaves a chain that is still consistent, and no signature inside the
database can show that something is missing from the end. So `bluestone audit checkpoint` (run by
the scheduler every few minutes) checks the entries added since the last checkpoint and appends one
line to the checkpoint file: the last entry's sequence number and hash, the time, and an HMAC under
the audit key over those and the previous line's HMAC. `verify` then fails if the log no longer
reaches a checkpointed entry, or holds a different entry there.

The file is JSON Lines, one object per line with the keys `v`, `sequence`, `hash`, `at`,
`key_id`, `prev_mac` and `mac`; `mac` is HMAC-SHA256 (hex), under the key named by `key_id`, of
``bluestone.audit.checkpoint.v1:`` followed by the other six as JSON with sorted keys and no
whitespace. Keep the file where the database's administrators cannot write (docs/deployment.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bluestone.audit.chain import format_timestamp
from bluestone.audit.signing import CHECKPOINT_LABEL, Keyring

FORMAT_VERSION = 1


class CheckpointFileError(Exception):
    """The checkpoint file is unreadable or was changed: a line is malformed, forged, or missing."""


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    at: str
    key_id: str
    prev_mac: str
    mac: str

    def signed_fields(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "sequence": self.sequence,
            "hash": self.hash,
            "at": self.at,
            "key_id": self.key_id,
            "prev_mac": self.prev_mac,
        }

    def line(self) -> str:
        return json.dumps({**self.signed_fields(), "mac": self.mac}, sort_keys=True, separators=(",", ":"))


def _message(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"))


def _parse(text: str, number: int, path: Path) -> Checkpoint:
    try:
        data = json.loads(text)
        if data.get("v") != FORMAT_VERSION:
            raise ValueError("unknown format version")
        return Checkpoint(
            sequence=int(data["sequence"]),
            hash=str(data["hash"]),
            at=str(data["at"]),
            key_id=str(data["key_id"]),
            prev_mac=str(data["prev_mac"]),
            mac=str(data["mac"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CheckpointFileError(f"{path}, line {number}: not a checkpoint ({error}).") from error


def checkpoints_read(path: Path, ring: Keyring) -> list[Checkpoint]:
    """Every checkpoint in the file, each checked against its HMAC and the line before it.

    A missing file is an empty list (no checkpoint yet). Raises CheckpointFileError naming the line
    of a checkpoint that is malformed, not signed with a key of the keyring, out of order, or not
    the successor of the line before it (a line was removed or inserted).
    """
    if not path.exists():
        return []
    checkpoints: list[Checkpoint] = []
    prev_mac, prev_sequence = "", 0
    with path.open(encoding="utf-8") as file:
        for number, text in enumerate(file, start=1):
            if not text.strip():
                continue
            checkpoint = _parse(text, number, path)
            message = _message(checkpoint.signed_fields())
            if not ring.check(CHECKPOINT_LABEL, message, checkpoint.mac, checkpoint.key_id):
                raise CheckpointFileError(
                    f"{path}, line {number}: the checkpoint's signature does not match (it was changed or written "
                    "without the audit key, or it was signed with a key this server does not hold)."
                )
            if checkpoint.prev_mac != prev_mac:
                raise CheckpointFileError(
                    f"{path}, line {number}: the checkpoint does not follow the line before it (a line was removed, "
                    "inserted or reordered)."
                )
            if checkpoint.sequence < prev_sequence:
                raise CheckpointFileError(f"{path}, line {number}: the checkpoint goes back to an earlier entry.")
            checkpoints.append(checkpoint)
            prev_mac, prev_sequence = checkpoint.mac, checkpoint.sequence
    return checkpoints


def checkpoint_append(path: Path, ring: Keyring, *, sequence: int, hash: str, at: dt.datetime) -> Checkpoint:
    """Sign the given head of the log and append it to the file, holding an exclusive lock on the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        try:
            existing = checkpoints_read(path, ring)
            unsigned = Checkpoint(
                sequence=sequence,
                hash=hash,
                at=format_timestamp(at),
                key_id=ring.current_id,
                prev_mac=existing[-1].mac if existing else "",
                mac="",
            )
            mac = ring.sign(CHECKPOINT_LABEL, _message(unsigned.signed_fields()))
            checkpoint = dataclasses.replace(unsigned, mac=mac)
            file.write(checkpoint.line() + "\n")
            file.flush()
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)
    return checkpoint
