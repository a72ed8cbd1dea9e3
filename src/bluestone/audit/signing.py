"""The audit log's signing key: each entry's hash is signed (HMAC-SHA256) with a key the database never sees.

Why: the hash chain alone lets someone with full rights over the database append an entry with a
correct hash, or rewrite and re-hash every entry from the one they changed to the end. The
signature needs the key, which lives only in the servers' environment (`BLUESTONE_AUDIT_KEY`), so an
entry written straight into the table cannot carry a valid one.

Each entry stores the signature and the id of the key that made it. The key id is itself an HMAC
(of a fixed label), so it names a key without revealing anything about it. Rotation: a new key
signs from the moment it is set; the old ones stay in `BLUESTONE_AUDIT_PREVIOUS_KEYS` (comma-separated)
so that `verify` can still check the entries they signed (docs/security.md, "Rotating the audit key").
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ENTRY_LABEL = b"bluestone.audit.entry.v1:"
CHECKPOINT_LABEL = b"bluestone.audit.checkpoint.v1:"
KEY_ID_LABEL = b"bluestone.audit.key-id.v1"
KEY_ID_LENGTH = 16


def key_id(key: str) -> str:
    """A short public name for a key: the first 16 hex digits of HMAC(key, a fixed label)."""
    return hmac.new(key.encode(), KEY_ID_LABEL, hashlib.sha256).hexdigest()[:KEY_ID_LENGTH]


@dataclass(frozen=True)
class Keyring:
    """The key that signs now and every key `verify` accepts, by key id."""

    current_id: str
    keys: dict[str, bytes]

    def sign(self, label: bytes, message: str) -> str:
        return _mac(self.keys[self.current_id], label, message)

    def check(self, label: bytes, message: str, signature: str, signed_with: str) -> bool:
        key = self.keys.get(signed_with)
        return key is not None and hmac.compare_digest(_mac(key, label, message), signature)


def _mac(key: bytes, label: bytes, message: str) -> str:
    return hmac.new(key, label + message.encode(), hashlib.sha256).hexdigest()


def keyring_from(current: str, previous: Iterable[str] = ()) -> Keyring:
    if not current:
        raise ImproperlyConfigured(
            "Set BLUESTONE_AUDIT_KEY: the audit log cannot be signed without it (docs/security.md)."
        )
    keys = {key_id(value): value.encode() for value in (*previous, current) if value}
    return Keyring(current_id=key_id(current), keys=keys)


def keyring() -> Keyring:
    """The keyring from the settings; raises ImproperlyConfigured when no key is set."""
    return keyring_from(
        getattr(settings, "BLUESTONE_AUDIT_KEY", "") or "",
        getattr(settings, "BLUESTONE_AUDIT_PREVIOUS_KEYS", ()) or (),
    )


def entry_signature(ring: Keyring, entry_hash: str) -> str:
    return ring.sign(ENTRY_LABEL, entry_hash)


def entry_signature_ok(ring: Keyring, *, entry_hash: str, signature: str, signed_with: str) -> bool:
    return ring.check(ENTRY_LABEL, entry_hash, signature, signed_with)
