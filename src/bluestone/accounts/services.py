"""Writes for users and their sessions."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from bluestone.accounts.models import User


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> None:
    """End every session the user has, on every device, including the current one."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
