"""What the workforce app adds to pages it does not own: the officers' load on the allocation page,
overdue refreshers, check-ins and screenings in My work and Team work, and its demo step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules
from django.urls import reverse
from django.utils import timezone

from bluestone.cases.extensions import MY_WORK, TEAM_WORK, AllocationAdvice, WorkItem
from bluestone.core import clock
from bluestone.workforce.caseload import officer_loads


def allocation_advice(officers: list[Any]) -> dict[int, AllocationAdvice]:
    return {
        officer_id: AllocationAdvice(summary=load.summary, over_threshold=load.over_threshold)
        for officer_id, load in officer_loads(officers=officers).items()
    }


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def workforce_work_items(user: Any, queue: str) -> list[WorkItem]:
    """Overdue refreshers: the officer's own in My work; the team's, with check-ins and screenings due, in Team work."""
    from bluestone.workforce.selectors import overdue_refreshers, team_workforce  # noqa: PLC0415

    if not getattr(user, "is_authenticated", False):
        return []
    today = clock.today()
    if queue == MY_WORK and rules.test_rule("workforce.view_own", user):
        return [
            WorkItem(
                queue=queue,
                kind="Training refresher overdue" if status.state != "Expired" else "Accreditation expired",
                description=f"{status.record.course.name}: {status.state.lower()}",
                url=reverse("workforce:mine"),
                due_at=_start_of(status.record.refresher_due_on or status.record.expires_on or today),
                overdue=True,
            )
            for status in overdue_refreshers(officers=[user.officer])
        ]
    if queue == TEAM_WORK and rules.test_rule("workforce.view_workforce", user):
        team = team_workforce(user=user, caseloads=False)
        items = [
            WorkItem(
                queue=queue,
                kind="Training refresher overdue" if status.state != "Expired" else "Accreditation expired",
                description=f"{status.record.officer}: {status.record.course.name}",
                url=reverse("workforce:officer", kwargs={"pk": status.record.officer_id}),
                due_at=_start_of(status.record.refresher_due_on or status.record.expires_on or today),
                overdue=True,
            )
            for status in overdue_refreshers(officers=[row.officer for row in team.rows])
        ]
        for row in team.overdue_check_ins:
            items.append(
                WorkItem(
                    queue=queue,
                    kind="Wellbeing check-in due",
                    description=f"{row.officer}",
                    url=reverse("workforce:check-in-new", kwargs={"pk": row.officer.pk}),
                    due_at=_start_of(row.check_in_due) if row.check_in_due else None,
                    overdue=True,
                )
            )
        return items
    return []
