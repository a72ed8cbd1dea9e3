from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from bluestone.victims.services import portal_access_issue
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
