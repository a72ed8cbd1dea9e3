"""Django's username-and-password sign-in, which a force may turn off (BLUESTONE_LOCAL_PASSWORDS)
once everybody signs in through its identity provider (bluestone.accounts.sso)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from bluestone.accounts.models import User


class LocalPasswordBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not settings.BLUESTONE_LOCAL_PASSWORDS:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id: int) -> User | None:
        # A session signed in with a password ends once passwords are turned off.
        if not settings.BLUESTONE_LOCAL_PASSWORDS:
            return None
        return super().get_user(user_id)
