"""The evidence demo step: the story SERVICE-MAP.md tells, built twice without doubling."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from bluestone.accounts.models import Role
from bluestone.cases.models import Involvement
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core.demo import demo_steps
from bluestone.evidence.demo import evidence_demo
from bluestone.evidence.models import DigitalRequest, Exhibit, RequestStatus, SarcSample
from bluestone.evidence.selectors import sarc_register
from tests.factories import PersonRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_phone_the_pending_request_and_the_sarc_samples(
    officer, supervisor, case, liaison, fixed_now
):
    Involvement.objects.create(case=case, person=PersonRecordFactory.create(), role=InvolvementRole.VICTIM)
    Involvement.objects.create(case=case, person=PersonRecordFactory.create(), role=InvolvementRole.SUSPECT)
    users = {
        Role.INVESTIGATOR.value: officer,
        Role.SUPERVISOR.value: supervisor,
        Role.SARC_LIAISON.value: liaison,
        Role.ANALYST.value: UserFactory.create(role=Role.ANALYST, team=None),
    }

    lines = evidence_demo(users=users, stdout=io.StringIO())
    evidence_demo(users=users, stdout=io.StringIO())  # again: nothing doubles

    phone = Exhibit.objects.get(case=case)
    assert phone.return_due_at == fixed_now + dt.timedelta(hours=4)
    assert DigitalRequest.objects.filter(case=case, status=RequestStatus.AWAITING_AUTHORISATION).count() == 1
    assert DigitalRequest.objects.filter(case=case).count() == 3
    assert SarcSample.objects.count() == 3
    levels = [row.warning.level for row in sarc_register(user=liaison) if row.warning]
    assert "30" in levels
    assert any(case.crime_reference in line for line in lines)
    assert "evidence" in [step.name for step in demo_steps()]
