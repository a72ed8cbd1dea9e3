from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client

from bluestone.victims.models import OutboxMessage
from bluestone.victims.services import portal_access_issue, victim_profile_update
from tests.victims.conftest import fixed_now  # noqa: F401 (a fixture)
from tests.victims.factories import VictimCase, victim_case_create


@dataclass
class Follower:
    vc: VictimCase
    code: str

    @property
    def reference(self) -> str:
        return self.vc.case.crime_reference


@pytest.fixture
def follower(db, fixed_now) -> Follower:  # noqa: F811
    vc = victim_case_create()
    _access, code = portal_access_issue(actor=vc.investigator, profile=vc.profile)
    return Follower(vc=vc, code=code)


def sign_in(client: Client, reference: str, code: str, check: str = ""):
    return client.post("/portal/follow/", {"reference": reference, "code": code, "check": check})


def sign_in_and_set_check(client: Client, follower: Follower, check: str = "blue-heron-7"):
    response = sign_in(client, follower.reference, follower.code)
    assert response.status_code == 302
    assert response["Location"] == "/portal/follow/secret-word/"
    response = client.post("/portal/follow/secret-word/", {"check": check, "confirm": check})
    assert response.status_code == 302
    assert response["Location"] == "/portal/follow/updates/"
    return response


CODE_IN_MESSAGE = re.compile(r"Your code to sign in is ([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})")


def ask_for_a_code(follower: Follower, *, client: Client | None = None, phone: str = "07700 900111") -> str:
    """The victim asks for a new code on the portal; returns the code the outbox would send them."""
    profile = follower.vc.profile
    if not profile.safe_phone:
        victim_profile_update(actor=follower.vc.investigator, profile=profile, changes={"safe_phone": phone})
    before = set(OutboxMessage.objects.filter(profile=profile).values_list("pk", flat=True))
    response = (client or Client()).post("/portal/follow/new-code/", {"reference": follower.reference})
    assert response.status_code == 200
    message = OutboxMessage.objects.filter(profile=profile, purpose="access_code").exclude(pk__in=before).get()
    found = CODE_IN_MESSAGE.search(message.body)
    assert found is not None
    return found.group(1)
