"""The canonical form of an audit entry and its hash. docs/security.md specifies it for other tools.

The hash of an entry is the lowercase hex SHA-256 of the UTF-8 bytes of one JSON object holding the
entry's fields (``HASHED_FIELDS``) plus ``"v": 1``, keys sorted, no whitespace, non-ASCII characters
left as they are. Its ``prev_hash`` is one of those fields, which is what chains it to the entry before.
Change nothing here without a new ``v``: every existing hash depends on it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

FORMAT_VERSION = 1

# The model fields that go into the hash (the column is `actor_id` for the actor). Everything but `hash`.
HASHED_FIELDS: tuple[str, ...] = (
    "id",
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_username",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "person_id",
    "justification",
    "ip_address",
    "user_agent",
    "recipient",
    "details",
    "prev_hash",
)


def format_timestamp(value: dt.datetime) -> str:
    """UTC, always six fractional digits, a literal Z: ``2026-03-03T14:30:00.000000Z``."""
    if value.tzinfo is None:
        raise ValueError("Audit timestamps must be timezone-aware.")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _uuid_or_none(value: uuid.UUID | str | None) -> str | None:
    return None if value is None else str(uuid.UUID(str(value)))


def check_details(value: Any, path: str = "details") -> None:
    """Raise ValueError unless `value` is JSON with string keys and no floats (their text form varies).

    Floats are refused because two JSON libraries can write the same float differently, which would
    make the canonical form ambiguous; pass a measure such as a threshold as a string instead.
    """
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        raise ValueError(f"{path} holds a float ({value!r}); pass it as a string or a whole number.")
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_details(item, f"{path}[{index}]")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path} has a key that is not a string ({key!r}).")
            check_details(item, f"{path}.{key}")
        return
    raise ValueError(f"{path} holds a {type(value).__name__}, which is not JSON; pass ids and counts only.")


def canonical_document(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON object that is hashed, from a mapping of model field values (see HASHED_FIELDS)."""
    actor_id = entry["actor_id"]
    return {
        "v": FORMAT_VERSION,
        "id": _uuid_or_none(entry["id"]),
        "sequence": int(entry["sequence"]),
        "occurred_at": format_timestamp(entry["occurred_at"]),
        "actor_id": None if actor_id is None else int(actor_id),
        "actor_username": entry["actor_username"],
        "actor_role": entry["actor_role"],
        "action": entry["action"],
        "object_type": entry["object_type"],
        "object_id": entry["object_id"],
        "case_id": _uuid_or_none(entry["case_id"]),
        "person_id": _uuid_or_none(entry["person_id"]),
        "justification": entry["justification"],
        "ip_address": entry["ip_address"] or None,
        "user_agent": entry["user_agent"],
        "recipient": entry["recipient"],
        "details": entry["details"] if entry["details"] is not None else {},
        "prev_hash": entry["prev_hash"],
    }


def canonical_bytes(entry: Mapping[str, Any]) -> bytes:
    document = canonical_document(entry)
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def entry_hash(entry: Mapping[str, Any]) -> str:
    """The SHA-256 (lowercase hex) of the entry's canonical bytes."""
    return hashlib.sha256(canonical_bytes(entry)).hexdigest()
