"""The case core's own rows on the work queues: on a supervisor's Team work, the team's open cases
that have no officer in the case yet (a case triage made from an online report arrives like that)."""

from __future__ import annotations

from typing import Any

import rules
from django.urls import reverse

from bluestone.cases.extensions import TEAM_WORK, WorkItem
from bluestone.cases.models import Case, CaseStatus


def work_items(user: Any, queue: str) -> list[WorkItem]:
    if queue != TEAM_WORK or not getattr(user, "is_authenticated", False) or user.team_id is None:
        return []
    if not rules.test_rule("cases.view_team_cases", user):
        return []
    waiting = (
        Case.objects.filter(team_id=user.team_id, officer__isnull=True)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("team")
        .order_by("reported_at")
    )
    return [
        WorkItem(
            queue=queue,
            kind="Case to allocate",
            description=f"Choose the officer in the case ({case.crime_reference})",
            url=reverse("cases:allocate", kwargs={"pk": case.pk}),
            due_at=None,
            case_reference=case.crime_reference,
        )
        for case in waiting
        # Only the supervisors who may allocate it (on a restricted case, the named ones).
        if rules.test_rule("cases.allocate_case", user, case)
    ]
