"""The events `accounts` publishes (see bluestone.core.events) for the apps above it.

`accounts` sits at the bottom of the house, below `audit`, so it never calls the log itself:
`audit` subscribes and writes the entry, inside the publisher's transaction. Signing in, signing
out, failures and lockouts need no event of ours: Django and django-axes send signals for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from bluestone.accounts.models import User


@dataclass(frozen=True)
class SecurityCodeVerified:
    """The second step of sign-in passed: the session is verified and the sign-in is complete.

    It carries the user and the request, as Django's `user_logged_in` does, because the log records
    where the sign-in came from.
    """

    user: User
    request: HttpRequest


@dataclass(frozen=True)
class SingleSignOnRefused:
    """A sign-in through the force's identity provider was refused (bluestone.accounts.sso).

    `identity` is the value of the claim that names the person (such as their email address), when
    the provider got as far as sending one; `reason` is one of `sso.Refusal`'s values.
    """

    request: HttpRequest
    reason: str
    identity: str


@dataclass(frozen=True)
class SingleSignOnAccountChanged:
    """A sign-in through the provider created the user (just-in-time creation is on) or changed
    their role or team to what the provider's claims say. `changed` names the fields."""

    user: User
    request: HttpRequest
    created: bool
    changed: tuple[str, ...]
