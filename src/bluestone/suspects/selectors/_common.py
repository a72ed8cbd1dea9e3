"""What several of the suspects app's reads share: the label of an identity and the permission check."""

from __future__ import annotations

import uuid

import rules
from django.core.exceptions import PermissionDenied

from bluestone.accounts.models import User
from bluestone.core.pseudonyms import pseudonym_code


def identity_label(identity_id: uuid.UUID | str) -> str:
    """ "Identity 7F3K-92QD-H4MX": the same for everyone, meaning nothing outside Bluestone."""
    return f"Identity {pseudonym_code('identity', identity_id)}"


def _require(user: User, rule: str, message: str) -> None:
    if not rules.test_rule(rule, user):
        raise PermissionDenied(message)
