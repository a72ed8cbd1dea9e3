"""Disruption tactics due for review, and who may own one."""

from __future__ import annotations

from django.db.models import QuerySet

from bluestone.accounts.models import User
from bluestone.suspects.models import TacticRecord
from bluestone.suspects.selectors._common import _require
from bluestone.suspects.services import overdue_tactics


def overdue_tactic_records(*, user: User, scope: str) -> QuerySet[TacticRecord]:
    """Tactics past their review date: the user's own ("mine"), their team's ("team"), or all ("all",
    for the register, which analysts and supervisors see)."""
    query = TacticRecord.objects.filter(overdue_tactics()).select_related("tactic", "owner", "identity")
    if scope == "all":
        _require(user, "suspects.view_register", "Overdue tactics are shown to analysts and supervisors.")
        return query.order_by("review_on")
    if scope == "team":
        return query.filter(owner__team_id=user.team_id) if user.team_id else query.none()
    return query.filter(owner=user)


def tactic_owners() -> QuerySet[User]:
    from bluestone.accounts.models import Role as StaffRole  # noqa: PLC0415

    return User.objects.filter(
        is_active=True, role__in=[StaffRole.ANALYST, StaffRole.SUPERVISOR, StaffRole.INVESTIGATOR]
    ).order_by("last_name", "first_name", "username")
