"""The investigation plan made from the default template, its lines of enquiry, and the templates'
lines an administrator keeps.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import Officer, User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import Case, EventKind
from bluestone.core import clock
from bluestone.core.locking import relock
from bluestone.investigation.models import (
    ApprovalState,
    Focus,
    IntrusiveKind,
    InvestigationPlan,
    LineGroup,
    LineOfEnquiry,
    LineStatus,
    PlanTemplate,
    PlanTemplateLine,
)
from bluestone.investigation.services._common import _audit, _require
from bluestone.investigation.services.reviews import review_initial_delay


def default_template() -> PlanTemplate | None:
    return PlanTemplate.objects.filter(is_default=True).order_by("created_at").first()


def _focus_for(group: str) -> str:
    return {LineGroup.SUSPECT: Focus.SUSPECT, LineGroup.CONTEXT: Focus.NEUTRAL}.get(LineGroup(group), Focus.VICTIM)


def _check_no_plan(case: Case) -> None:
    if InvestigationPlan.objects.filter(case=case).exists():
        raise ValidationError("This case already has an investigation plan.")


def plan_create(*, actor: User | None, case: Case, request: HttpRequest | None = None) -> InvestigationPlan:
    """The case's plan from the default template: suspect-focused lines first, each owned by the
    officer in the case and due the template's number of days from today. The first supervisory
    review falls due BLUESTONE_REVIEW_INITIAL_HOURS (24) hours from now."""
    _check_no_plan(case)
    template = default_template()
    now, today = clock.now(), clock.today()
    officer = Officer.objects.filter(pk=case.officer_id).select_related("user").first() if case.officer_id else None
    owner = officer.user if officer else None
    with transaction.atomic():
        # Two "Create the plan" clicks at once: the second waits on the case, then finds the plan.
        relock(case)
        _check_no_plan(case)
        plan = InvestigationPlan.objects.create(
            case=case,
            template=template,
            next_review_due_at=now + review_initial_delay(),
            created_by=actor,
            updated_by=actor,
        )
        lines = []
        if template is not None:
            for line in PlanTemplateLine.objects.filter(template=template, active=True).order_by("order", "id"):
                lines.append(
                    LineOfEnquiry(
                        plan=plan,
                        template_line=line,
                        group=line.group,
                        focus=line.focus,
                        order=line.order,
                        title=line.title,
                        guidance=line.guidance,
                        owner=owner,
                        due_on=today + dt.timedelta(days=line.due_days),
                        created_by=actor,
                    )
                )
            LineOfEnquiry.objects.bulk_create(lines)
        case_event_record(
            actor=actor,
            case=case,
            kind=EventKind.PLAN_CREATED,
            occurred_at=now,
            summary=f"Investigation plan created with {len(lines)} lines of enquiry, suspect first",
            request=request,
        )
        _audit(actor=actor, action=AuditAction.COLLECTION, case=case, obj=plan, request=request, lines=len(lines))
    return plan


def line_add(
    *,
    actor: User,
    plan: InvestigationPlan,
    group: str,
    title: str,
    guidance: str = "",
    owner: User | None = None,
    due_on: dt.date | None = None,
    intrusive_kind: str = "",
    request: HttpRequest | None = None,
) -> LineOfEnquiry:
    """An officer's own line of enquiry. A victim-focused action (intrusive_kind) goes in the victim's
    account group and cannot start until it is approved."""
    errors: dict[str, str] = {}
    if group not in LineGroup.values:
        errors["group"] = "Choose the group the line of enquiry belongs to."
    if not title.strip():
        errors["title"] = "Enter what the line of enquiry is."
    if intrusive_kind and intrusive_kind not in IntrusiveKind.values:
        errors["intrusive_kind"] = "Choose the kind of victim-focused action."
    if due_on is not None and due_on < clock.today():
        errors["due_on"] = "The due date must be today or later."
    if errors:
        raise ValidationError(errors)
    if intrusive_kind:
        group = LineGroup.VICTIM_ACCOUNT
    last = plan.lines.filter(group=group).order_by("-order").values_list("order", flat=True).first()
    with transaction.atomic():
        line = LineOfEnquiry.objects.create(
            plan=plan,
            group=group,
            focus=Focus.VICTIM if intrusive_kind else _focus_for(group),
            order=(last or 0) + 1,
            title=title.strip(),
            guidance=guidance.strip(),
            owner=owner,
            due_on=due_on,
            intrusive_kind=intrusive_kind,
            approval_state=ApprovalState.NOT_REQUESTED if intrusive_kind else ApprovalState.NOT_NEEDED,
            created_by=actor,
            updated_by=actor,
        )
        _audit(
            actor=actor,
            action=AuditAction.COLLECTION,
            case=plan.case,
            obj=line,
            request=request,
            group=group,
            victim_focused=bool(intrusive_kind),
        )
    return line


def _check_may_start(line: LineOfEnquiry, *, starting: bool) -> None:
    if line.is_victim_focused_action and starting and line.approval_state != ApprovalState.APPROVED:
        raise ValidationError(
            {
                "status": "This victim-focused action cannot start until a supervisor approves it. Give the "
                "rationale and ask for approval first."
            }
        )


def line_update(
    *,
    actor: User,
    line: LineOfEnquiry,
    owner: User | None,
    due_on: dt.date | None,
    status: str,
    result: str = "",
    linked_evidence: str = "",
    request: HttpRequest | None = None,
) -> LineOfEnquiry:
    """Owner, due date, status, result and linked evidence. A victim-focused action cannot start (or be
    marked done) before a supervisor approves it."""
    if status not in LineStatus.values:
        raise ValidationError({"status": "Choose the status of the line of enquiry."})
    starting = status in (LineStatus.IN_PROGRESS, LineStatus.DONE)
    _check_may_start(line, starting=starting)
    if status == LineStatus.DONE and not result.strip():
        raise ValidationError({"result": "Enter the result of the line of enquiry before marking it done."})
    now = clock.now()
    with transaction.atomic():
        # A supervisor may have refused the action since the page was loaded; nor may this save put
        # back an approval state it read before the decision.
        relock(line)
        _check_may_start(line, starting=starting)
        if starting and line.started_at is None:
            line.started_at = now
        line.completed_at = now if status == LineStatus.DONE and line.status != LineStatus.DONE else line.completed_at
        if status != LineStatus.DONE:
            line.completed_at = None
        line.owner = owner
        line.due_on = due_on
        line.status = status
        line.result = result.strip()
        line.linked_evidence = linked_evidence.strip()
        line.updated_by = actor
        line.save()
        _audit(
            actor=actor, action=AuditAction.ALTERATION, case=line.plan.case, obj=line, request=request, status=status
        )
    return line


def template_line_save(
    *,
    actor: User,
    template: PlanTemplate,
    line: PlanTemplateLine | None,
    group: str,
    title: str,
    guidance: str,
    order: int,
    due_days: int,
    active: bool,
) -> PlanTemplateLine:
    """An administrator adds or edits a line of a plan template. Plans already made keep their lines."""
    _require(actor, "investigation.edit_templates", None, "Only an administrator can edit plan templates.")
    errors: dict[str, str] = {}
    if group not in LineGroup.values:
        errors["group"] = "Choose the group the line belongs to."
    if not title.strip():
        errors["title"] = "Enter the line of enquiry."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if line is None:
            line = PlanTemplateLine(template=template, created_by=actor)
            base = title.strip().lower()[:40].replace(" ", "_")
            line.code = base
            suffix = 1
            while PlanTemplateLine.objects.filter(template=template, code=line.code).exists():
                suffix += 1
                line.code = f"{base}_{suffix}"
        line.group = group
        line.focus = _focus_for(group)
        line.title = title.strip()
        line.guidance = guidance.strip()
        line.order = order
        line.due_days = due_days
        line.active = active
        line.updated_by = actor
        line.save()
        # Reference data, not personal data: the log still records who changed it.
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            object_type="investigation.PlanTemplateLine",
            object_id=line.pk,
            details={"template": template.code, "title": line.title, "active": active},
        )
    return line
