"""Factories for online reports (named and anonymous) and their drafts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from bluestone.core import clock
from bluestone.portal.models import ContactChannel, OnlineReport, ReporterKind, SafeTime, WhenHappened


class OnlineReportFactory(factory.django.DjangoModelFactory):
    """A report made for oneself, with a safe phone number, sent just now."""

    class Meta:
        model = OnlineReport

    reference = factory.Sequence(lambda n: f"T{n:07d}")
    kind = ReporterKind.MYSELF
    # Looked up when a report is made, not when this module is imported, so that a test that sets the
    # clock (monkeypatching bluestone.core.clock.now) gets reports made at its time.
    submitted_at = factory.LazyFunction(lambda: clock.now())  # noqa: PLW0108 (not clock.now: see above)
    callback_due_at = factory.LazyAttribute(lambda o: o.submitted_at + dt.timedelta(hours=12))
    what_happened = "Someone I know assaulted me after a night out."
    when_happened = WhenHappened.LAST_WEEK
    where_happened = "A house in the town"
    first_name = "Robin"
    last_name = "Testperson"
    contact_channel = ContactChannel.PHONE
    phone = "07700 900 456"
    safe_times = f"{SafeTime.MORNING},{SafeTime.WEEKEND}"
    message_allowed = False


def anonymous_report(**overrides: Any) -> OnlineReport:
    values: dict[str, Any] = {
        "kind": ReporterKind.ANONYMOUS,
        "callback_due_at": None,
        "first_name": "",
        "last_name": "",
        "contact_channel": "",
        "phone": "",
        "safe_times": "",
        "message_allowed": None,
    }
    return OnlineReportFactory.create(**(values | overrides))
