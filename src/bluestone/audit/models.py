"""The s.62 log: one row per logged operation, each chained to the one before by a SHA-256 hash.

Entries are written only by `bluestone.audit.services.audit_record`. Nothing in the application can
change or delete one: `save()` refuses an update, `delete()` refuses, and the manager's queryset
refuses bulk writes. The database refuses too (triggers added by migration 0002), and
`bluestone audit verify` detects what a database administrator with full rights might still do.
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AuditLogIsAppendOnly(Exception):  # noqa: N818 (it names the rule broken, as PermissionDenied does)
    """Raised by any attempt, through the ORM, to change or delete an audit entry."""

    def __init__(self, operation: str) -> None:
        super().__init__(
            f"The audit log is append-only: {operation} is not allowed. "
            "Record a new entry with bluestone.audit.services.audit_record instead."
        )


class AuditAction(models.TextChoices):
    """What was done. The first seven are the operations DPA 2018 s.62 says must be logged."""

    CONSULTATION = "consultation", "Consultation (viewed a record)"
    LIST = "list", "Consultation (a list or search showing personal data)"
    COLLECTION = "collection", "Collection (created)"
    ALTERATION = "alteration", "Alteration"
    DISCLOSURE = "disclosure", "Disclosure (export, API read or print view)"
    COMBINATION = "combination", "Combination (linkage results)"
    ERASURE = "erasure", "Erasure"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    LOCKOUT = "lockout", "Locked out"
    BREAK_GLASS = "break_glass", "Break-glass access"


# The s.62(1) operation each action evidences; security events are logged for integrity and security.
S62_OPERATION: dict[str, str] = {
    AuditAction.CONSULTATION: "consultation",
    AuditAction.LIST: "consultation",
    AuditAction.COLLECTION: "collection",
    AuditAction.ALTERATION: "alteration",
    AuditAction.DISCLOSURE: "disclosure",
    AuditAction.COMBINATION: "combination",
    AuditAction.ERASURE: "erasure",
    AuditAction.BREAK_GLASS: "consultation",
}

# The prev_hash of the first entry in the chain.
GENESIS_HASH = "0" * 64


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """A queryset that can read and nothing else: every bulk write raises `AuditLogIsAppendOnly`."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("update()")

    def delete(self) -> NoReturn:
        raise AuditLogIsAppendOnly("delete()")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise AuditLogIsAppendOnly("bulk_update()")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> NoReturn:
        # Not a change, but it would skip the chain: entries are appended one by one by audit_record.
        raise AuditLogIsAppendOnly("bulk_create()")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("update_or_create()")


AuditEventManager = models.Manager.from_queryset(AuditEventQuerySet)


class AuditEvent(models.Model):
    """One logged operation. Read the module docstring before adding a field: it changes the hash."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The chain order: 1, 2, 3, ... with no gaps. A gap means an entry was deleted.
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(editable=False)

    # Who. Null for actions the system takes itself (a nightly linkage run, a failed sign-in as
    # nobody). The username and role are copied so that the entry reads as it did on the day.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        editable=False,
    )
    actor_username = models.CharField(max_length=150, blank=True, editable=False)
    actor_role = models.CharField(max_length=32, blank=True, editable=False)

    action = models.CharField(max_length=32, choices=AuditAction.choices, editable=False)

    # What. Case and person ids are plain indexed columns, not foreign keys: the log must outlive
    # the records it speaks of (erasure), and a foreign key could only block that (PROTECT),
    # destroy the log (CASCADE) or rewrite it (SET_NULL).
    object_type = models.CharField(max_length=100, blank=True, editable=False)
    object_id = models.CharField(max_length=64, blank=True, editable=False)
    case_id = models.UUIDField(null=True, blank=True, editable=False)
    person_id = models.UUIDField(null=True, blank=True, editable=False)

    # Why, from where, and to whom.
    justification = models.TextField(blank=True, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    user_agent = models.CharField(max_length=512, blank=True, editable=False)
    recipient = models.CharField(max_length=300, blank=True, editable=False)
    # Ids, counts and filters only: never the personal data itself.
    details = models.JSONField(default=dict, blank=True, editable=False)

    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    # HMAC-SHA256 of `hash` under the audit key (bluestone.audit.signing), and which key signed it.
    # Outside the hash: the signature vouches for the hash, which vouches for everything else.
    signature = models.CharField(max_length=64, blank=True, editable=False)
    key_id = models.CharField(max_length=16, blank=True, editable=False)

    objects = AuditEventManager()

    class Meta:
        db_table = "audit_event"
        ordering = ["sequence"]
        # Related lookups and Model.save() go through the base manager: make it the refusing one too.
        base_manager_name = "objects"
        # Nobody can be granted the right to add, change or delete an entry through Django.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["case_id", "occurred_at"], name="audit_case_occurred"),
            models.Index(fields=["person_id", "occurred_at"], name="audit_person_occurred"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_occurred"),
            models.Index(fields=["occurred_at"], name="audit_occurred"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} by {self.actor_username or 'system'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditLogIsAppendOnly("changing a saved entry")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("delete()")
