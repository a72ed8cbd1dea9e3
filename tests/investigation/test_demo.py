"""The investigation's demo step: the demo investigator's case has a plan, a suspect line due
tomorrow and a review due; running it again changes nothing more."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from bluestone.investigation.demo import seed_demo
from bluestone.investigation.models import AuthorityLevel, BailAuthority, Focus, InvestigationPlan
from bluestone.investigation.services import user_bail_authority

pytestmark = pytest.mark.django_db


def test_the_demo_case_has_a_plan_a_suspect_line_due_tomorrow_and_a_review_due(case, investigator, supervisor):
    users = {"investigator": investigator, "supervisor": supervisor}
    lines = seed_demo(users=users, stdout=io.StringIO())
    assert case.crime_reference in lines[0]
    seed_demo(users=users, stdout=io.StringIO())

    plan = InvestigationPlan.objects.get(case=case)
    first = plan.lines.filter(focus=Focus.SUSPECT).order_by("order").first()
    assert first is not None
    assert first.due_on == dt.date(2026, 3, 4)
    assert first.owner == investigator
    assert plan.next_review_due_at is not None
    assert InvestigationPlan.objects.count() == 1
    assert BailAuthority.objects.get(user=supervisor).level == AuthorityLevel.INSPECTOR
    assert user_bail_authority(supervisor) == AuthorityLevel.INSPECTOR
