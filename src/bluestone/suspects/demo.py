"""The suspects app's demo step after linkage: disruption tactics on the highest-priority repeat suspects.

Tactics belong to an identity, which exists only once linkage has run on the loaded force, and each
has an owner, a user; so `bluestone synth` (plain tables, before any linkage or users) cannot make
them, and the demo records them here, through the service that audits them. The same linked force
gives the same tactics: each identity's draws are seeded by its smallest suspect record id, and an
identity that already has a tactic is left as it is, so running the step again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from django.db.models import Min

from bluestone.core import clock
from bluestone.suspects.models import Identity, IdentityMember, TacticRecord, TacticStatus, TacticType
from bluestone.suspects.services import tactic_record_create

# The share of repeat suspects (identities in two or more reports) with tactics, highest priority first.
TACTIC_SHARE = 0.15
# How often each tactic is used (any other active type: 0.02).
TACTIC_WEIGHTS = {
    "bail_conditions": 0.2,
    "sro": 0.14,
    "safeguarding": 0.14,
    "warning_notice": 0.1,
    "shpo": 0.08,
    "mappa": 0.08,
    "disclosure": 0.06,
    "visor": 0.05,
    "dapo": 0.05,
    "spo": 0.04,
}
# Where each tactic has got to, and its share.
STATUS_WEIGHTS = {
    TacticStatus.CONSIDERED: 0.22,
    TacticStatus.APPLIED_FOR: 0.13,
    TacticStatus.GRANTED: 0.35,
    TacticStatus.REFUSED: 0.1,
    TacticStatus.BREACHED: 0.06,
    TacticStatus.EXPIRED: 0.14,
}
WINDOW_DAYS = 730  # tactics over the last two years
NOTES = {
    TacticStatus.CONSIDERED: "Considered at the repeat-suspect meeting; evidence for an application being gathered.",
    TacticStatus.APPLIED_FOR: "Application made to the magistrates' court; hearing awaited.",
    TacticStatus.GRANTED: "In force. Victims and the offender manager told of its terms.",
    TacticStatus.REFUSED: "Refused: the court found the test not met on the evidence given.",
    TacticStatus.BREACHED: "Breach reported and arrest made; the file goes to the CPS.",
    TacticStatus.EXPIRED: "Ended at the end of its term with no breach recorded.",
}


def demo_tactics(*, users: dict[str, Any], stdout: Any) -> list[str]:
    """Record tactics on the top TACTIC_SHARE of repeat suspects by priority, owned by the demo
    supervisor and analyst."""
    owners = [users[role] for role in ("supervisor", "analyst") if users.get(role) is not None]
    types = {t.code: t for t in TacticType.objects.filter(active=True).order_by("code")}
    if not owners or not types:
        return []
    repeat = Identity.objects.filter(active=True, report_count__gte=2)
    keys = dict(
        IdentityMember.objects.filter(identity__in=repeat)
        .order_by()
        .values("identity")
        .annotate(key=Min("person__source_id"))
        .values_list("identity", "key")
    )
    identities = sorted(repeat, key=lambda i: (-i.priority, str(keys.get(i.pk) or i.pk)))
    chosen = identities[: math.ceil(len(identities) * TACTIC_SHARE)]
    already = set(TacticRecord.objects.filter(identity__in=chosen).values_list("identity", flat=True))
    today = clock.today()
    made = 0
    for identity in chosen:
        if identity.pk in already:
            continue
        rng = random.Random(f"bluestone-demo-tactics:{keys.get(identity.pk) or identity.pk}")  # noqa: S311
        for plan in _draw(rng, identity=identity, types=list(types), today=today):
            owner = owners[rng.randrange(len(owners))]
            tactic_record_create(actor=owner, identity=identity, tactic=types[plan.pop("code")], owner=owner, **plan)
            made += 1
    if not made:
        return []
    stdout.write(f"  tactics: {made} recorded on {len(chosen) - len(already)} repeat suspects")
    return [
        f"Disruption tactics: {made} on the {len(chosen)} highest-priority repeat suspects "
        f"(the top {TACTIC_SHARE:.0%} of {len(identities)}), owned by the demo supervisor and analyst."
    ]


def _draw(rng: random.Random, *, identity: Identity, types: list[str], today: dt.date) -> list[dict[str, Any]]:
    """One to three tactics of different kinds, each with dates that fit its status."""
    earliest = today - dt.timedelta(days=WINDOW_DAYS)
    if identity.latest_report_at is not None:
        # Not long before the latest report brought the suspect to notice.
        earliest = max(earliest, identity.latest_report_at.date() - dt.timedelta(days=365))
    earliest = min(earliest, today - dt.timedelta(days=14))
    weights = [TACTIC_WEIGHTS.get(code, 0.02) for code in types]
    count = min(len(types), 1 + (rng.random() < 0.45) + (rng.random() < 0.15))  # noqa: PLR2004
    codes: list[str] = []
    while len(codes) < count:
        code = rng.choices(types, weights=weights)[0]
        if code not in codes:
            codes.append(code)
    plans = []
    for code in codes:
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        start = earliest + dt.timedelta(days=rng.randrange((today - earliest).days))
        plans.append({"code": code, **_dates(rng, status=status, start=start, today=today)})
    return plans


def _dates(rng: random.Random, *, status: str, start: dt.date, today: dt.date) -> dict[str, Any]:
    """status_on, starts_on, ends_on and review_on for a tactic first raised on `start`; never after today."""
    days = dt.timedelta

    def past(day: dt.date) -> dt.date:
        return min(day, today)

    result: dict[str, Any] = {"status": status, "notes": NOTES[TacticStatus(status)]}
    if status in (TacticStatus.CONSIDERED, TacticStatus.APPLIED_FOR):
        status_on = past(start + days(rng.randrange(0, 21) if status == TacticStatus.APPLIED_FOR else 0))
        # Reviewed every four weeks; some reviews have slipped and show as overdue.
        result.update(status_on=status_on, review_on=status_on + days(28))
    elif status == TacticStatus.REFUSED:
        result.update(status_on=past(start + days(rng.randrange(14, 60))), review_on=None)
    else:
        starts_on = past(start + days(rng.randrange(7, 45)))
        term = days(rng.choice((182, 365, 730)))
        ends_on = starts_on + term
        if status == TacticStatus.EXPIRED:
            # Its term is over: a short one, started long enough ago.
            ends_on = past(starts_on + days(rng.randrange(30, 180)))
            result.update(status_on=ends_on, starts_on=starts_on, ends_on=ends_on, review_on=None)
        elif status == TacticStatus.BREACHED:
            breached = past(starts_on + days(rng.randrange(7, 120)))
            result.update(status_on=breached, starts_on=starts_on, ends_on=ends_on, review_on=breached + days(14))
        else:
            result.update(
                status_on=starts_on,
                starts_on=starts_on,
                ends_on=ends_on,
                review_on=past(starts_on + days(90)) + days(rng.randrange(0, 90)),
            )
    return result
