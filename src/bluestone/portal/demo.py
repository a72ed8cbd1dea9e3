"""The portal's part of `bluestone demo`: two online reports waiting for triage, one of them overdue
for its callback, so that signing in as triage shows a live queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bluestone.core import clock
from bluestone.portal.models import ContactChannel, OnlineReport, ReporterKind, SafeTime, SupportService, WhenHappened
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


# Made-up organisations for the demo's support page: none is real. The phone numbers are in the
# range Ofcom keeps for drama (01632 960xxx), and the addresses use the reserved example domains.
DEMO_SUPPORT_SERVICES: list[dict[str, Any]] = [
    {
        "name": "Hollowmere Sexual Violence Support",
        "offer": (
            "Independent sexual violence advisers (ISVAs) who can talk through your options, help you whether "
            "or not you report, and stay with you through any investigation and court case."
        ),
        "area": "The whole force area",
        "phone": "01632 960 101",
        "website": "https://hollowmere-support.example.org",
        "email": "help@hollowmere-support.example.org",
        "position": 10,
    },
    {
        "name": "Eastbrook Counselling Collective",
        "offer": "Free counselling for adults who have experienced sexual violence, recently or in the past.",
        "area": "Eastbrook and the villages around it",
        "phone": "01632 960 202",
        "website": "https://eastbrook-counselling.example.org",
        "email": "",
        "position": 20,
    },
    {
        "name": "Young People's Safe Space (demo)",
        "offer": "Support and advice for anyone aged 13 to 18, by phone or online chat.",
        "area": "The whole force area",
        "phone": "01632 960 303",
        "website": "https://young-safe-space.example.org",
        "email": "",
        "position": 30,
    },
]


def demo_support_services(*, users: dict[str, Any], stdout: Any) -> list[str]:
    """Put the made-up support services on the portal's support page (the same three on every run)."""
    for values in DEMO_SUPPORT_SERVICES:
        SupportService.objects.update_or_create(name=values["name"], defaults=values)
    return ["Portal: the support page lists three made-up local services; administrators edit them."]
