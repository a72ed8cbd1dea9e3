"""App records for the Measures page's tests: Code duties and survey answers on six cases recorded in
June 2025, enough (5 or more) for their charts to have something to draw."""

from __future__ import annotations

import datetime as dt

from bluestone.victims.models import Feedback, Obligation, ObligationStatus
from tests.victims.factories import victim_case_create

JUNE = dt.datetime(2025, 6, 10, 9, tzinfo=dt.UTC)


def seed_duties_and_feedback(*, cases: int = 6) -> None:
    for n in range(cases):
        victim = victim_case_create(reported_at=JUNE, recorded_at=JUNE)
        for right in ("acknowledgement", "needs_assessment"):
            Obligation.objects.create(
                profile=victim.profile,
                case=victim.case,
                right_id=right,
                trigger_kind="case_created",
                triggered_at=JUNE,
                due_on=dt.date(2025, 6, 15),
                enhanced=True,
                status=ObligationStatus.MET,
                met_at=JUNE + dt.timedelta(days=n),  # the last one met after its due date
            )
        Feedback.objects.create(
            profile=victim.profile,
            case=victim.case,
            submitted_at=JUNE + dt.timedelta(days=20),
            voice=4,
            respect=5,
            neutrality=4,
            trustworthiness=3,
            overall=4,
        )
