"""The victims step of `bluestone demo`."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client

from bluestone.core.demo import demo_steps
from bluestone.victims.demo import victims_demo
from bluestone.victims.models import Obligation, ObligationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_case_gets_a_profile_plan_a_duty_due_and_a_printed_code(victim_case, settings, tmp_path):
    settings.BLUESTONE_OUTBOX_DIR = str(tmp_path)
    assert "victims" in [step.name for step in demo_steps()]
    lines = victims_demo(users={"investigator": victim_case.investigator}, stdout=io.StringIO())
    text = "\n".join(lines)
    assert victim_case.case.crime_reference in text
    code = re.search(r"access code (\S+)", text)
    assert code is not None
    profile = victim_case.profile
    profile.refresh_from_db()
    assert profile.has_plan
    assert profile.plan_cadence_days == 28
    duty = Obligation.objects.get(case=victim_case.case, right__code="update_arrest", status=ObligationStatus.OPEN)
    assert str(duty.due_on) == "2026-03-04"  # tomorrow, the next working day

    # Again: still one arrest duty, and a fresh code that works.
    lines = victims_demo(users={"investigator": victim_case.investigator}, stdout=io.StringIO())
    assert Obligation.objects.filter(case=victim_case.case, right__code="update_arrest").count() == 1
    code = re.search(r"access code (\S+)", "\n".join(lines))
    assert code is not None
    response = Client().post(
        "/portal/follow/", {"reference": victim_case.case.crime_reference, "code": code.group(1), "check": ""}
    )
    assert response.status_code == 302
