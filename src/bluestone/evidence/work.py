"""What evidence adds to the work queues (cases.extensions): victims' phones to give back (the
officer's My work, the supervisor's Team work) and requests about victims waiting for a supervisor's
decision of their own (Approvals; one that its victim-focused action's approval decides is that
action's entry), and the phone to give back among a case's next things to do. Descriptions never name the
victim: queues may be on a shared screen."""

from __future__ import annotations

from typing import Any

import rules
from django.urls import reverse

from bluestone.cases.extensions import APPROVALS, MY_WORK, TEAM_WORK, WorkItem
from bluestone.evidence.clocks import PhoneClock, duration_words
from bluestone.evidence.selectors import case_phones_on_clock, exhibit_url, phones_on_clock, requests_to_authorise
from bluestone.evidence.services.plan_lines import decided_with_action
from bluestone.investigation.extensions import NextThing


def evidence_work_items(user: Any, queue: str) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    if queue in (MY_WORK, TEAM_WORK):
        rows = phones_on_clock(user=user, mine=queue == MY_WORK)
        items = []
        for row in rows:
            assert row.clock is not None  # noqa: S101 (phones on the clock have one)
            exhibit = row.exhibit
            when = _when(row.clock)
            items.append(
                WorkItem(
                    queue=queue,
                    kind="Phone to return",
                    description=f"Victim's phone, exhibit {exhibit.reference}: {when}",
                    url=exhibit_url(exhibit),
                    due_at=row.clock.due_at,
                    case_reference=exhibit.case.crime_reference,
                    overdue=row.clock.overdue,
                )
            )
        return items
    if queue == APPROVALS:
        if not rules.test_rule("evidence.view_requests_to_authorise", user):
            return []
        # A request decided with its victim-focused action is not an entry of its own: the action's
        # entry (from the investigation) says that approving it authorises the request too.
        waiting = [entry for entry in requests_to_authorise(user=user) if not decided_with_action(entry)]
        return [
            WorkItem(
                queue=queue,
                kind="Request to authorise",
                description=f"{entry.get_kind_display()}, recorded by {entry.created_by}",
                url=reverse("evidence:request", kwargs={"pk": entry.case_id, "request_id": entry.pk}),
                due_at=None,
                case_reference=entry.case.crime_reference,
            )
            for entry in waiting
        ]
    return []


def _when(clock: PhoneClock) -> str:
    if clock.overdue:
        return f"overdue by {duration_words(-clock.remaining)}"
    return f"due in {duration_words(clock.remaining)}"


def evidence_next_things(user: Any, case: Any) -> list[NextThing]:
    """The victim's phones the case still holds on the return clock, for whoever may see its evidence."""
    if not rules.test_rule("evidence.view_evidence", user, case):
        return []
    things = []
    for row in case_phones_on_clock(case=case):
        assert row.clock is not None  # noqa: S101 (phones on the clock have one)
        things.append(
            NextThing(
                text=f"Give the victim's phone back (exhibit {row.exhibit.reference})",
                url=exhibit_url(row.exhibit),
                due_at=row.clock.due_at,
                due_words=_when(row.clock),
                overdue=row.clock.overdue,
            )
        )
    return things
