"""What the investigation does when the case core says something happened (ADR 6)."""

from __future__ import annotations

from bluestone.accounts.models import User
from bluestone.cases.events import CaseCreated
from bluestone.cases.models import Case
from bluestone.investigation.models import InvestigationPlan
from bluestone.investigation.services import plan_create


def on_case_created(event: CaseCreated) -> None:
    """Every new case starts with a suspect-focused plan from the default template, in the same
    transaction as the case: a case is never left without one."""
    if InvestigationPlan.objects.filter(case_id=event.case_id).exists():
        return
    case = Case.objects.select_related("officer").get(pk=event.case_id)
    actor = User.objects.filter(pk=event.actor_id).first() if event.actor_id else None
    plan_create(actor=actor, case=case)
