"""The victims part of `bluestone demo`: the demo investigator's case gets a victim profile, an agreed
contact plan, a Victims' Code update due the next working day, and portal access whose crime
reference and one-time code are printed at the end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from bluestone.accounts.models import User
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import Case, CaseStatus, EventKind, Role
from bluestone.core import clock
from bluestone.victims import conf
from bluestone.victims.models import Obligation, ObligationStatus
from bluestone.victims.notifications import outbox_send_pending
from bluestone.victims.services import (
    contact_plan_set,
    portal_access_issue,
    victim_profile_update,
    victim_profiles_ensure,
)


def demo_case(investigator: User) -> Case | None:
    """The investigator's newest open case with a victim: the same one on every run of the demo."""
    return (
        Case.objects.filter(officer__user=investigator, involvements__role=Role.VICTIM, restricted=False)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("-reported_at", "crime_reference")
        .first()
    )


def victims_demo(*, users: dict[str, Any], stdout: Any) -> list[str]:
    investigator = users.get("investigator")
    if investigator is None:
        return []
    case = demo_case(investigator)
    if case is None:
        return ["Follow my case: the demo investigator has no open case with a victim."]
    with transaction.atomic():
        profile = victim_profiles_ensure(case_id=case.pk, actor=investigator)[0]
        victim_profile_update(
            actor=investigator,
            profile=profile,
            changes={
                "channel": "phone",
                "safe_phone": "07700 900461",
                "safe_times": "Weekdays after 6pm",
                "may_leave_message": False,
                "notify_by": "sms",
                "isva_status": "accepted",
                "isva_provider": "Demo Rape Crisis centre",
                "isva_date": clock.today() - dt.timedelta(days=10),
            },
        )
        if not profile.has_plan:
            contact_plan_set(
                actor=investigator,
                profile=profile,
                cadence_days=conf.contact_cadence_days(),
                agreed_on=clock.today() - dt.timedelta(days=7),
                notes="Phone after 6pm on weekdays. Do not leave a message.",
            )
        _access, code = portal_access_issue(actor=investigator, profile=profile)
        arrest_open = Obligation.objects.filter(
            profile=profile, right__code="update_arrest", status=ObligationStatus.OPEN
        ).exists()
        if not arrest_open:
            # An arrest recorded now opens the duty to tell the victim within one working day.
            case_event_record(
                actor=investigator, case=case, kind=EventKind.SUSPECT_ARRESTED, summary="Suspect arrested"
            )
    outbox_send_pending()
    return [
        "Follow my case (portal) at /portal/follow/ for the demo investigator's case:",
        f"  crime reference {case.crime_reference}, one-time access code {code}",
    ]
