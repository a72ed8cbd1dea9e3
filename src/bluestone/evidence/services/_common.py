"""What several of the evidence services share: what counts as a blank answer, and the permission check."""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied

from bluestone.accounts.models import User
from bluestone.cases.models import Case


def _blank(value: str) -> bool:
    return not value.strip()


def _require(rule: str, user: User, case: Case, message: str) -> None:
    if not rules.test_rule(rule, user, case):
        raise PermissionDenied(message)
