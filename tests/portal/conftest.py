from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from bluestone.accounts.models import Role, User
from tests.factories import TeamFactory, UserFactory

# A complete report made for oneself, page by page, as a browser would post it.
MYSELF_ANSWERS: list[tuple[str, dict[str, Any]]] = [
    ("who", {"kind": "myself"}),
    ("what", {"what_happened": "A man I met at a party assaulted me."}),
    ("when", {"when_happened": "last_week"}),
    ("where", {"where_happened": "A flat in Testborough"}),
    ("your-name", {"first_name": "Morgan", "last_name": "Quillfeather"}),
    ("contact", {"contact_channel": "phone", "phone": "07700 900 321", "email": ""}),
    ("safe-times", {"safe_times": ["morning", "weekend"], "safe_times_note": "Not when my partner is home"}),
    ("message", {"message_allowed": "no"}),
]

ANONYMOUS_ANSWERS: list[tuple[str, dict[str, Any]]] = [
    ("who", {"kind": "anonymous"}),
    ("what", {"what_happened": "I saw a coach touching a pupil."}),
    ("when", {"when_happened": "last_year"}),
    ("where", {"where_happened": ""}),
]


@pytest.fixture
def answer() -> Callable[..., Any]:
    """Post a list of (page, answer) to the report pages; asserts each page moves on."""

    def post(client: Client, answers: list[tuple[str, dict[str, Any]]]) -> None:
        for step, data in answers:
            response = client.post(f"/portal/report/{step}/", data)
            assert response.status_code == 302, (step, response.content.decode()[:2000])

    return post


@pytest.fixture
def triage_user() -> User:
    return UserFactory.create(username="tess", first_name="Tess", last_name="Riley", role=Role.TRIAGE)


@pytest.fixture
def team():
    return TeamFactory.create(code="RN", name="RASSO North")


@pytest.fixture
def triage_client(client: Client, triage_user: User) -> Client:
    client.force_login(triage_user)
    return client
