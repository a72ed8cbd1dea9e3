"""Withdrawal and re-engagement: structured reasons, history, and the timeline entry outcome 16 reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bluestone.cases.models import CaseEvent, EventKind
from bluestone.victims.models import SupportStatusChange
from bluestone.victims.services import victim_support_change

pytestmark = pytest.mark.django_db


def test_withdrawal_and_re_engagement_are_kept_as_history_and_on_the_timeline(victim_case):
    vc = victim_case
    victim_support_change(
        actor=vc.investigator, profile=vc.profile, supports=False, reason="fear", occurred_on=dt.date(2026, 3, 1)
    )
    vc.profile.refresh_from_db()
    assert vc.profile.supports_investigation is False
    victim_support_change(
        actor=vc.investigator,
        profile=vc.profile,
        supports=True,
        reason="support_in_place",
        occurred_on=dt.date(2026, 3, 3),
    )
    vc.profile.refresh_from_db()
    assert vc.profile.supports_investigation is True
    history = list(SupportStatusChange.objects.filter(profile=vc.profile).order_by("occurred_on"))
    assert [(h.supports, h.reason) for h in history] == [(False, "fear"), (True, "support_in_place")]
    assert history[0].reason_label == "Afraid of the suspect or of what may happen"
    kinds = list(
        CaseEvent.objects.filter(case=vc.case, kind__in=[EventKind.VICTIM_WITHDREW, EventKind.VICTIM_REENGAGED])
        .order_by("occurred_at")
        .values_list("kind", flat=True)
    )
    assert kinds == [EventKind.VICTIM_WITHDREW, EventKind.VICTIM_REENGAGED]
    assert history[0].case_event is not None
    assert history[0].case_event.kind == EventKind.VICTIM_WITHDREW


def test_a_victim_cannot_withdraw_twice_and_nothing_is_saved(victim_case):
    vc = victim_case
    victim_support_change(
        actor=vc.investigator, profile=vc.profile, supports=False, reason="not_ready", occurred_on=dt.date(2026, 3, 2)
    )
    with pytest.raises(ValidationError):
        victim_support_change(
            actor=vc.investigator, profile=vc.profile, supports=False, reason="fear", occurred_on=dt.date(2026, 3, 3)
        )
    assert SupportStatusChange.objects.filter(profile=vc.profile).count() == 1
    assert CaseEvent.objects.filter(case=vc.case, kind=EventKind.VICTIM_WITHDREW).count() == 1


@pytest.mark.parametrize(
    ("reason", "notes", "occurred_on", "field"),
    [
        ("ready_now", "", dt.date(2026, 3, 2), "reason"),  # a re-engagement reason for a withdrawal
        ("other", "", dt.date(2026, 3, 2), "notes"),
        ("fear", "", dt.date(2026, 3, 9), "occurred_on"),
    ],
)
def test_bad_withdrawals_are_refused(victim_case, reason, notes, occurred_on, field):
    with pytest.raises(ValidationError) as raised:
        victim_support_change(
            actor=victim_case.investigator,
            profile=victim_case.profile,
            supports=False,
            reason=reason,
            notes=notes,
            occurred_on=occurred_on,
        )
    assert field in raised.value.message_dict
    assert not SupportStatusChange.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.VICTIM_WITHDREW).exists()
