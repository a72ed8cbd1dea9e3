"""The investigation's part of `bluestone demo`: the demo investigator's newest open case has a plan,
a suspect-first line of enquiry due tomorrow, and a supervisory review due; the demo supervisor holds
inspector authority for bail. Safe to run again: it sets the same dates again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from bluestone.accounts.models import Role
from bluestone.cases.models import Case, CaseStatus
from bluestone.core import clock
from bluestone.investigation.models import (
    AuthorityLevel,
    BailAuthority,
    Focus,
    InvestigationPlan,
    LineOfEnquiry,
    LineStatus,
)
from bluestone.investigation.services import plan_create


@transaction.atomic
def seed_demo(*, users: dict[str, Any], stdout: Any) -> list[str]:
    investigator = users.get(Role.INVESTIGATOR)
    supervisor = users.get(Role.SUPERVISOR)
    if investigator is None:
        return []
    if supervisor is not None:
        BailAuthority.objects.update_or_create(user=supervisor, defaults={"level": AuthorityLevel.INSPECTOR})
    case = (
        Case.objects.filter(officer__user=investigator, status=CaseStatus.UNDER_INVESTIGATION, restricted=False)
        .order_by("-reported_at", "crime_reference")
        .first()
    )
    if case is None:
        return []
    plan = InvestigationPlan.objects.filter(case=case).first() or plan_create(actor=investigator, case=case)
    tomorrow = clock.today() + dt.timedelta(days=1)
    first_suspect_line = (
        LineOfEnquiry.objects.filter(plan=plan, focus=Focus.SUSPECT).order_by("order", "created_at").first()
    )
    if first_suspect_line is not None:
        first_suspect_line.due_on = tomorrow
        first_suspect_line.status = LineStatus.NOT_STARTED
        first_suspect_line.owner = investigator
        first_suspect_line.save(update_fields=["due_on", "status", "owner", "updated_at"])
    plan.next_review_due_at = clock.now() + dt.timedelta(hours=6)
    plan.save(update_fields=["next_review_due_at", "updated_at"])
    return [f"  Investigation: case {case.crime_reference} has a plan, a suspect line due tomorrow and a review due."]
