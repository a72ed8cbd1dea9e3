"""The portal's part of `bluestone demo`: two online reports waiting for triage, one of them overdue
for its callback, so that signing in as triage shows a live queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bluestone.core import clock
from bluestone.portal.models import ContactChannel, OnlineReport, ReporterKind, SafeTime, WhenHappened
from bluestone.portal.report.services import callback_hours

# Fixed references make the step safe to run again: it updates the same two reports.
DEMO_REPORTS: list[dict[str, Any]] = [
    {
        "reference": "DEMO2345",
        "hours_ago": 15,  # past the 12-hour callback: shows as overdue
        "kind": ReporterKind.MYSELF,
        "what_happened": (
            "I was at a party at a friend's flat on Saturday night. Someone I had met that evening followed me "
            "into the bedroom and would not stop when I told him to. I left in the morning and have not told anyone."
        ),
        "when_happened": WhenHappened.LAST_WEEK,
        "where_happened": "A flat in the town centre",
        "first_name": "Alex",
        "last_name": "Demo-Reporter",
        "contact_channel": ContactChannel.PHONE,
        "phone": "07700 900 111",
        "safe_times": f"{SafeTime.MORNING},{SafeTime.AFTERNOON}",
        "safe_times_note": "Not after 6pm, my flatmate is home then",
        "message_allowed": False,
    },
    {
        "reference": "DEMO6789",
        "hours_ago": 2,
        "kind": ReporterKind.SOMEONE_ELSE,
        "what_happened": (
            "My younger sister told me that her tutor touched her and told her to keep it a secret. "
            "She is 15. She said I could report it for her."
        ),
        "when_happened": WhenHappened.LAST_YEAR,
        "where_happened": "",
        "victim_first_name": "Sam",
        "victim_last_name": "Demo-Sister",
        "relationship_to_victim": "Sister",
        "victim_knows": "yes",
        "first_name": "Jordan",
        "last_name": "Demo-Reporter",
        "contact_channel": ContactChannel.EMAIL,
        "email": "jordan@example.com",
        "safe_times": f"{SafeTime.EVENING},{SafeTime.WEEKEND}",
    },
]


def demo_online_reports(*, users: dict[str, Any], stdout: Any) -> list[str]:
    now = clock.now()
    for spec in DEMO_REPORTS:
        values = {key: value for key, value in spec.items() if key not in ("reference", "hours_ago")}
        submitted = now - dt.timedelta(hours=spec["hours_ago"])
        values |= {
            "submitted_at": submitted,
            "callback_due_at": submitted + dt.timedelta(hours=callback_hours()),
        }
        OnlineReport.objects.update_or_create(reference=spec["reference"], defaults=values)
    return ["Triage: two online reports are waiting (one overdue for its callback). Sign in as the triage user."]
