"""Writes for an investigation. Each one checks its rules first and raises ValidationError (a plain
English message per field) or PermissionDenied without writing anything; otherwise it writes its
rows, the case timeline entry (through cases.entry.case_event_record, which other apps hear) and its
s.62 log entry in one transaction.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import Officer, Rank, User
from bluestone.accounts.models import Role as UserRole
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import Case, CaseEvent, CaseStatus, EventKind, Involvement, Outcome, Role
from bluestone.cases.outcome_rules import OutcomeFacts, outcome_problems
from bluestone.core import clock
from bluestone.core.locking import relock
from bluestone.core.models import OutcomeType
from bluestone.investigation.models import (
    ApprovalState,
    AuthorityLevel,
    Bail,
    BailAuthority,
    BailExtension,
    BailStatus,
    CpsDecision,
    CpsStep,
    CpsStepKind,
    DecisionState,
    Focus,
    IntrusiveKind,
    InvestigationPlan,
    LineGroup,
    LineOfEnquiry,
    LineStatus,
    OutcomeDecision,
    PlanTemplate,
    PlanTemplateLine,
    ReviewKind,
    SupervisoryReview,
    SuspectEvent,
)

# Configurable in settings (BLUESTONE_REVIEW_INITIAL_HOURS, BLUESTONE_REVIEW_INTERVAL_DAYS).
REVIEW_INITIAL_HOURS = 24
REVIEW_INTERVAL_DAYS = 28

# Pre-charge bail: 3 months on the officer's own decision; an inspector may extend to 6 months from
# its start, a superintendent to 9, and only a magistrates' court beyond.
BAIL_INITIAL_MONTHS = 3
BAIL_LIMITS = [(3, AuthorityLevel.NONE), (6, AuthorityLevel.INSPECTOR), (9, AuthorityLevel.SUPERINTENDENT)]
INSPECTOR_RANKS = {Rank.DI, Rank.DCI}

# The victim-focused actions where the law asks for the victim's informed agreement (a device the
# victim gives voluntarily: Police, Crime, Sentencing and Courts Act 2022, s.37); third-party
# material needs written notice to the victim instead (Victims and Prisoners Act 2024).
NEEDS_AGREEMENT = {IntrusiveKind.PHONE_DOWNLOAD}
NEEDS_NOTICE = {
    IntrusiveKind.COUNSELLING_RECORDS,
    IntrusiveKind.MEDICAL_RECORDS,
    IntrusiveKind.SCHOOL_RECORDS,
    IntrusiveKind.SOCIAL_CARE_RECORDS,
}
MIN_RATIONALE = 20

# The structured prompts of a supervisory review (the operating model's questions).
REVIEW_PROMPTS: list[tuple[str, str]] = [
    ("suspect_history", "Have the suspect's history, intelligence and previous reports been checked?"),
    ("suspect_behaviour", "Is the suspect's behaviour before, during and after the offence being investigated?"),
    ("early_arrest", "Has early arrest and interview of the suspect been considered or done?"),
    ("victim_actions", "Is every victim-focused action necessary, proportionate and approved?"),
    ("victim_informed", "Is the victim being kept informed as they asked, with support (an ISVA) offered?"),
    ("cps_advice", "Has early advice from the CPS been considered?"),
    ("officer_wellbeing", "Is the officer's caseload and wellbeing manageable?"),
]
ANSWERS = {"yes": "Yes", "no": "No", "not_applicable": "Not applicable"}

SUSPECT_EVENT_KINDS = {
    EventKind.SUSPECT_ARRESTED,
    EventKind.SUSPECT_VOLUNTARY_INTERVIEW,
    EventKind.SUSPECT_INTERVIEWED,
    EventKind.SUSPECT_RUI,
    EventKind.NO_FURTHER_ACTION,
    EventKind.NOT_INVESTIGATED,
}
# Events that end a suspect's pre-charge bail.
ENDS_BAIL = {EventKind.SUSPECT_RUI, EventKind.NO_FURTHER_ACTION, EventKind.CHARGED}

CPS_EVENT_KINDS = {
    CpsStepKind.ADVICE_REQUESTED: EventKind.CPS_ADVICE_REQUESTED,
    CpsStepKind.FILE_SUBMITTED: EventKind.FILE_TO_CPS,
    CpsStepKind.DECISION: EventKind.CPS_DECISION,
}


def review_initial_delay() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "BLUESTONE_REVIEW_INITIAL_HOURS", REVIEW_INITIAL_HOURS)))


def review_interval() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "BLUESTONE_REVIEW_INTERVAL_DAYS", REVIEW_INTERVAL_DAYS)))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day (31 May + 3 = 31 August,
    30 November + 3 = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _require(user: User, rule: str, case: Case | None, message: str) -> None:
    if not rules.test_rule(rule, user, case):
        raise PermissionDenied(message)


def _audit(
    *, actor: User | None, action: str, case: Case, obj: Any, request: HttpRequest | None, **details: Any
) -> None:
    audit_record(
        actor=actor,
        action=action,
        request=request,
        case=case,
        object_type=f"investigation.{type(obj).__name__}",
        object_id=obj.pk,
        details=details,
    )


def moment_of(day: dt.date) -> dt.datetime:
    """A date as a moment for the timeline: midday of that day, or now if that would be in the future."""
    moment = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
    return min(moment, clock.now())


# --- Plans and lines of enquiry -----------------------------------------------------------------


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


def _check_date_not_future(errors: dict[str, str], field: str, day: dt.date | None, what: str) -> None:
    if day is not None and day > clock.today():
        errors[field] = f"The date {what} must be today or in the past."


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


def _gate_problems(
    *,
    kind: str,
    rationale: str,
    less_intrusive_considered: str,
    victim_agreed: bool,
    victim_notice_given: bool,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(rationale.strip()) < MIN_RATIONALE:
        errors["rationale"] = (
            "Explain why this action is necessary and proportionate for a reasonable line of enquiry "
            f"(at least {MIN_RATIONALE} characters)."
        )
    if not less_intrusive_considered.strip():
        errors["less_intrusive_considered"] = "Say what less intrusive ways of getting this were considered."
    if kind in NEEDS_AGREEMENT and not victim_agreed:
        errors["victim_agreed"] = (
            "The victim's phone can be downloaded only with their informed agreement. Record that they agreed, "
            "or do not go ahead."
        )
    if kind in NEEDS_NOTICE and not victim_notice_given:
        errors["victim_notice_given"] = (
            "The victim must be given written notice of what is asked for, why and how it will be handled. "
            "Record that notice was given."
        )
    return errors


def _check_not_yet_requested(line: LineOfEnquiry) -> None:
    if line.approval_state in (ApprovalState.REQUESTED, ApprovalState.APPROVED):
        raise ValidationError("This action has already been sent for approval.")


def _check_awaiting_approval(line: LineOfEnquiry) -> None:
    if line.approval_state in (ApprovalState.APPROVED, ApprovalState.REFUSED):
        raise ValidationError(
            f"This action has already been decided: it was {line.get_approval_state_display().lower()}. "
            "Nothing was changed."
        )
    if line.approval_state != ApprovalState.REQUESTED:
        raise ValidationError("This action is not waiting for approval.")


def victim_action_request_approval(
    *,
    actor: User,
    line: LineOfEnquiry,
    rationale: str,
    less_intrusive_considered: str,
    victim_agreed: bool,
    victim_notice_given: bool,
    request: HttpRequest | None = None,
) -> LineOfEnquiry:
    """Ask a supervisor to approve a victim-focused action, with its rationale and the victim's agreement
    or notice. Refused, writing nothing, without them."""
    if not line.is_victim_focused_action:
        raise ValidationError("Only a victim-focused action needs a supervisor's approval.")
    _check_not_yet_requested(line)
    errors = _gate_problems(
        kind=line.intrusive_kind,
        rationale=rationale,
        less_intrusive_considered=less_intrusive_considered,
        victim_agreed=victim_agreed,
        victim_notice_given=victim_notice_given,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        relock(line)
        _check_not_yet_requested(line)
        line.rationale = rationale.strip()
        line.less_intrusive_considered = less_intrusive_considered.strip()
        line.victim_agreed = victim_agreed
        line.victim_notice_given = victim_notice_given
        line.approval_state = ApprovalState.REQUESTED
        line.approval_requested_at = clock.now()
        line.decided_by, line.decided_at, line.decision_note = None, None, ""
        line.updated_by = actor
        line.save()
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            case=line.plan.case,
            obj=line,
            request=request,
            approval="requested",
        )
    return line


def victim_action_decide(
    *, actor: User, line: LineOfEnquiry, approve: bool, note: str = "", request: HttpRequest | None = None
) -> LineOfEnquiry:
    """A supervisor of the case's team approves or refuses a victim-focused action."""
    case = line.plan.case
    _require(actor, "investigation.supervise_case", case, "Only a supervisor of the case's team can decide this.")
    _check_awaiting_approval(line)
    if not approve and not note.strip():
        raise ValidationError({"note": "Say why you are refusing the action, so the officer knows what to do."})
    if approve:
        # The gate is checked again: what was asked for must still hold together.
        errors = _gate_problems(
            kind=line.intrusive_kind,
            rationale=line.rationale,
            less_intrusive_considered=line.less_intrusive_considered,
            victim_agreed=line.victim_agreed,
            victim_notice_given=line.victim_notice_given,
        )
        if errors:
            raise ValidationError(list(errors.values()))
    with transaction.atomic():
        # Of two supervisors deciding at once, the second waits here and then finds it decided.
        relock(line)
        _check_awaiting_approval(line)
        line.approval_state = ApprovalState.APPROVED if approve else ApprovalState.REFUSED
        line.decided_by = actor
        line.decided_at = clock.now()
        line.decision_note = note.strip()
        line.updated_by = actor
        line.save()
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            case=case,
            obj=line,
            request=request,
            approval=line.approval_state,
        )
    return line


# --- Supervisory reviews ------------------------------------------------------------------------


def review_record(
    *,
    actor: User,
    case: Case,
    answers: Mapping[str, Mapping[str, str]],
    directions: str = "",
    request: HttpRequest | None = None,
) -> SupervisoryReview:
    """A supervisor's review on the structured prompts. The next falls due BLUESTONE_REVIEW_INTERVAL_DAYS
    (28) days later."""
    _require(actor, "investigation.supervise_case", case, "Only a supervisor of the case's team can review it.")
    plan = InvestigationPlan.objects.filter(case=case).first()
    if plan is None:
        raise ValidationError("This case has no investigation plan yet. Create the plan before reviewing it.")
    errors: dict[str, str] = {}
    cleaned: dict[str, dict[str, str]] = {}
    for code, question in REVIEW_PROMPTS:
        given = answers.get(code) or {}
        answer = given.get("answer", "")
        if answer not in ANSWERS:
            errors[code] = f"Answer: {question}"
        cleaned[code] = {"answer": answer, "note": (given.get("note") or "").strip()}
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    with transaction.atomic():
        first = not SupervisoryReview.objects.filter(case=case).exists()
        review = SupervisoryReview.objects.create(
            case=case,
            kind=ReviewKind.INITIAL if first else ReviewKind.PERIODIC,
            due_at=plan.next_review_due_at,
            completed_at=now,
            reviewer=actor,
            answers=cleaned,
            directions=directions.strip(),
            created_by=actor,
        )
        plan.next_review_due_at = now + review_interval()
        plan.updated_by = actor
        plan.save(update_fields=["next_review_due_at", "updated_by", "updated_at"])
        case_event_record(
            actor=actor,
            case=case,
            kind=EventKind.SUPERVISORY_REVIEW,
            occurred_at=now,
            summary=f"{review.get_kind_display()} by {actor.get_full_name() or actor.username}",
            request=request,
        )
        _audit(actor=actor, action=AuditAction.COLLECTION, case=case, obj=review, request=request, kind=review.kind)
    return review


# --- Suspect events and bail --------------------------------------------------------------------


def _suspect_check(case: Case, suspect: Involvement | None, *, required: bool = True) -> dict[str, str]:
    if suspect is None:
        return {"suspect": "Choose the suspect."} if required else {}
    if suspect.case_id != case.pk or suspect.role != Role.SUSPECT:
        return {"suspect": "Choose a suspect on this case."}
    return {}


def _suspect_event_write(
    *,
    actor: User,
    case: Case,
    kind: str,
    suspect: Involvement | None,
    occurred_at: dt.datetime,
    details: str,
    summary: str,
    request: HttpRequest | None,
) -> SuspectEvent:
    event: CaseEvent = case_event_record(
        actor=actor, case=case, kind=kind, occurred_at=occurred_at, summary=summary[:500], request=request
    )
    row = SuspectEvent.objects.create(
        case=case,
        suspect=suspect,
        kind=kind,
        occurred_at=occurred_at,
        details=details.strip(),
        case_event=event,
        created_by=actor,
    )
    _audit(
        actor=actor,
        action=AuditAction.COLLECTION,
        case=case,
        obj=row,
        request=request,
        kind=kind,
        suspect_person_id=str(suspect.person_id) if suspect else None,
    )
    if kind in ENDS_BAIL and suspect is not None:
        Bail.objects.filter(case=case, suspect=suspect, status=BailStatus.ACTIVE).update(
            status=BailStatus.ENDED, extension_requested_until=None, updated_by=actor
        )
    return row


def _suspect_label(suspect: Involvement | None) -> str:
    if suspect is None:
        return ""
    return suspect.person.full_name or "the unnamed suspect"


def suspect_event_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    suspect: Involvement | None,
    occurred_at: dt.datetime,
    details: str = "",
    request: HttpRequest | None = None,
) -> SuspectEvent:
    """An arrest, voluntary interview, interview under caution, release under investigation, no further
    action, or a decision not to investigate. Each is a timeline entry, so the victim's duty to be told
    opens with it."""
    errors: dict[str, str] = {}
    if kind not in SUSPECT_EVENT_KINDS:
        errors["kind"] = "Choose what happened."
    errors |= _suspect_check(case, suspect, required=kind != EventKind.NOT_INVESTIGATED)
    if occurred_at > clock.now():
        errors["occurred_at"] = "The date must be today or in the past."
    if kind in (EventKind.NO_FURTHER_ACTION, EventKind.NOT_INVESTIGATED) and not details.strip():
        errors["details"] = "Give the reasons for the decision."
    if errors:
        raise ValidationError(errors)
    label = EventKind(kind).label
    who = _suspect_label(suspect)
    with transaction.atomic():
        return _suspect_event_write(
            actor=actor,
            case=case,
            kind=kind,
            suspect=suspect,
            occurred_at=occurred_at,
            details=details,
            summary=f"{label}: {who}" if who else str(label),
            request=request,
        )


def charge_record(
    *,
    actor: User,
    case: Case,
    suspect: Involvement | None,
    occurred_at: dt.datetime,
    details: str,
    request: HttpRequest | None = None,
) -> SuspectEvent:
    """A charge (or summons). Only a named suspect can be charged."""
    errors = _suspect_check(case, suspect)
    if not errors and suspect is not None and not suspect.person.is_named:
        errors["suspect"] = (
            "A suspect can be charged only once they are named. Record the suspect's name on the case first."
        )
    if not errors and suspect is None:
        errors["suspect"] = "Choose the suspect who was charged."
    if occurred_at > clock.now():
        errors["occurred_at"] = "The date of the charge must be today or in the past."
    if not details.strip():
        errors["details"] = "Enter the offences charged."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = _suspect_event_write(
            actor=actor,
            case=case,
            kind=EventKind.CHARGED,
            suspect=suspect,
            occurred_at=occurred_at,
            details=details,
            summary=f"Charged: {_suspect_label(suspect)}",
            request=request,
        )
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.CHARGED, updated_by=actor, updated_at=clock.now())
        case.status = CaseStatus.CHARGED
    return row


def charge_candidates(case: Case) -> list[Involvement]:
    return list(Involvement.objects.filter(case=case, role=Role.SUSPECT).select_related("person"))


def user_bail_authority(user: User) -> AuthorityLevel:
    """Inspector authority from a detective inspector's or chief inspector's rank; anything else (a
    superintendent, an acting inspector) from a BailAuthority row an administrator keeps."""
    granted = BailAuthority.objects.filter(user=user).values_list("level", flat=True).first()
    rank = Officer.objects.filter(user=user).values_list("rank", flat=True).first()
    from_rank = AuthorityLevel.INSPECTOR if rank in INSPECTOR_RANKS else AuthorityLevel.NONE
    return AuthorityLevel(max(granted or 0, from_rank))


# The levels a person can hold; a magistrates' court is not a user.
GRANTABLE_LEVELS = (AuthorityLevel.INSPECTOR, AuthorityLevel.SUPERINTENDENT)


def bail_authority_grant(*, actor: User, user: User, level: int, request: HttpRequest | None = None) -> BailAuthority:
    """Give `user` (a supervisor) bail authority at `level`, or change the level they hold."""
    if not rules.test_rule("investigation.manage_bail_authority", actor):
        raise PermissionDenied("Bail authority is kept by administrators.")
    if level not in GRANTABLE_LEVELS:
        raise ValidationError({"level": "Choose inspector or superintendent."})
    if user.role != UserRole.SUPERVISOR or not user.is_active:
        raise ValidationError({"user": "Bail authority is for supervisors who can sign in."})
    with transaction.atomic():
        existing = BailAuthority.objects.select_for_update().filter(user=user).first()
        previous = existing.level if existing else AuthorityLevel.NONE
        if existing is not None and existing.level == level:
            raise ValidationError({"level": f"{user.get_full_name() or user.username} already holds this authority."})
        authority, _created = BailAuthority.objects.update_or_create(user=user, defaults={"level": level})
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            object_type="investigation.BailAuthority",
            object_id=authority.pk,
            details={"user_id": user.pk, "level": int(level), "previous_level": int(previous)},
        )
    return authority


def bail_authority_revoke(*, actor: User, authority: BailAuthority, request: HttpRequest | None = None) -> None:
    """Take away a bail authority an administrator gave; authority from rank is not affected."""
    if not rules.test_rule("investigation.manage_bail_authority", actor):
        raise PermissionDenied("Bail authority is kept by administrators.")
    with transaction.atomic():
        # Two administrators taking it away at once: the second waits, then finds it gone.
        held = BailAuthority.objects.select_for_update().filter(pk=authority.pk).first()
        if held is None:
            raise ValidationError("This bail authority has already been taken away. Nothing was changed.")
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            object_type="investigation.BailAuthority",
            object_id=held.pk,
            details={
                "user_id": held.user_id,
                "level": AuthorityLevel.NONE.value,
                "previous_level": held.level,
            },
        )
        held.delete()


def bail_authority_needed(*, starts_on: dt.date, until: dt.date) -> AuthorityLevel:
    for months, level in BAIL_LIMITS:
        if until <= add_months(starts_on, months):
            return level
    return AuthorityLevel.COURT


def _already_on_bail(case: Case, suspect: Involvement | None) -> dict[str, str]:
    if suspect is not None and Bail.objects.filter(case=case, suspect=suspect, status=BailStatus.ACTIVE).exists():
        return {"suspect": "This suspect is already on bail. Change the conditions or extend it instead."}
    return {}


def bail_record(
    *,
    actor: User,
    case: Case,
    suspect: Involvement | None,
    starts_on: dt.date,
    conditions: str,
    victim_views: str,
    request: HttpRequest | None = None,
) -> Bail:
    """Release on pre-charge bail: the clock runs 3 months from the day bail starts."""
    errors = _suspect_check(case, suspect)
    _check_date_not_future(errors, "starts_on", starts_on, "bail started")
    if not victim_views.strip():
        errors["victim_views"] = (
            "Enter the victim's views on bail and its conditions, or why they could not be asked for."
        )
    errors |= _already_on_bail(case, suspect)
    if errors:
        raise ValidationError(errors)
    assert suspect is not None  # noqa: S101 (checked above)
    expires_on = add_months(starts_on, BAIL_INITIAL_MONTHS)
    with transaction.atomic():
        relock(suspect)  # one bail at a time for a suspect, even from two officers at once
        if problem := _already_on_bail(case, suspect):
            raise ValidationError(problem)
        bail = Bail.objects.create(
            case=case,
            suspect=suspect,
            starts_on=starts_on,
            expires_on=expires_on,
            conditions=conditions.strip(),
            victim_views=victim_views.strip(),
            created_by=actor,
            updated_by=actor,
        )
        summary = f"Bailed until {expires_on:%d/%m/%Y}: {_suspect_label(suspect)}"
        if conditions.strip():
            summary += f". Conditions: {conditions.strip()}"
        _suspect_event_write(
            actor=actor,
            case=case,
            kind=EventKind.SUSPECT_BAILED,
            suspect=suspect,
            occurred_at=moment_of(starts_on),
            details=conditions,
            summary=summary,
            request=request,
        )
    return bail


def _check_bail_active(bail: Bail) -> None:
    if bail.status != BailStatus.ACTIVE:
        raise ValidationError("This bail has ended: its conditions cannot change.")


def bail_conditions_change(
    *, actor: User, bail: Bail, conditions: str, victim_views: str, request: HttpRequest | None = None
) -> Bail:
    errors: dict[str, str] = {}
    _check_bail_active(bail)
    if conditions.strip() == bail.conditions:
        errors["conditions"] = "Enter the new conditions: they are the same as now."
    if not victim_views.strip():
        errors["victim_views"] = "Enter the victim's views on the change, or why they could not be asked for."
    if errors:
        raise ValidationError(errors)
    seen = bail.conditions
    with transaction.atomic():
        relock(bail)
        _check_bail_active(bail)
        if bail.conditions != seen:
            raise ValidationError(
                "Someone else has changed this bail's conditions since you opened the page: nothing was changed. "
                "Read the conditions now in force and try again."
            )
        bail.conditions = conditions.strip()
        bail.victim_views = victim_views.strip()
        bail.updated_by = actor
        bail.save()
        _suspect_event_write(
            actor=actor,
            case=bail.case,
            kind=EventKind.BAIL_CONDITIONS_CHANGED,
            suspect=bail.suspect,
            occurred_at=clock.now(),
            details=conditions,
            summary=f"Bail conditions changed: {conditions.strip() or 'no conditions'}",
            request=request,
        )
    return bail


def _extension_checks(bail: Bail, until: dt.date | None, reason: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if bail.status != BailStatus.ACTIVE:
        errors["until"] = "This bail has ended and cannot be extended."
    elif until is None:
        errors["until"] = "Enter the date bail is to be extended to."
    elif until <= bail.expires_on:
        errors["until"] = f"The new date must be after bail now ends ({bail.expires_on:%d/%m/%Y})."
    if not reason.strip():
        errors["reason"] = "Enter why bail needs extending."
    return errors


def bail_extend(
    *,
    actor: User,
    bail: Bail,
    until: dt.date | None,
    reason: str,
    court_reference: str = "",
    request: HttpRequest | None = None,
) -> BailExtension:
    """Extend pre-charge bail within the actor's authority: up to 6 months from its start an inspector,
    up to 9 a superintendent; beyond 9 only a magistrates' court, whose order is recorded by reference."""
    errors = _extension_checks(bail, until, reason)
    if errors:
        raise ValidationError(errors)
    assert until is not None  # noqa: S101 (checked above)
    needed = bail_authority_needed(starts_on=bail.starts_on, until=until)
    held = user_bail_authority(actor)
    if needed == AuthorityLevel.COURT:
        if not court_reference.strip():
            raise ValidationError(
                {
                    "court_reference": "Bail beyond 9 months from its start needs a magistrates' court. "
                    "Enter the court's order reference once the court has extended it."
                }
            )
        authority = AuthorityLevel.COURT
    elif held < needed:
        limit = {AuthorityLevel.NONE: 3, AuthorityLevel.INSPECTOR: 6, AuthorityLevel.SUPERINTENDENT: 9}[needed]
        raise ValidationError(
            {
                "until": f"Extending bail to {until:%d/%m/%Y} needs {needed.label.lower()} authority (bail up to "
                f"{limit} months from its start), which you do not hold. Ask for authorisation instead."
            }
        )
    else:
        authority = needed
    seen_expiry = bail.expires_on
    with transaction.atomic():
        # Two supervisors granting the same request at once: the second waits, then finds it granted.
        relock(bail)
        if bail.status != BailStatus.ACTIVE or bail.expires_on != seen_expiry:
            raise ValidationError(
                {
                    "until": "This bail has already been extended or has ended since you opened the page "
                    f"(it now ends on {bail.expires_on:%d/%m/%Y}): nothing was changed."
                    if bail.status == BailStatus.ACTIVE
                    else "This bail has already ended: nothing was changed."
                }
            )
        extension = BailExtension.objects.create(
            bail=bail,
            previous_expiry=bail.expires_on,
            new_expiry=until,
            authority=authority,
            authorised_by=actor,
            reason=reason.strip(),
            court_reference=court_reference.strip(),
            created_by=actor,
        )
        bail.expires_on = until
        bail.extension_requested_until = None
        bail.extension_request_reason = ""
        bail.extension_requested_by = None
        bail.updated_by = actor
        bail.save()
        _suspect_event_write(
            actor=actor,
            case=bail.case,
            kind=EventKind.BAIL_EXTENDED,
            suspect=bail.suspect,
            occurred_at=clock.now(),
            details=reason,
            summary=f"Bail extended to {until:%d/%m/%Y} ({AuthorityLevel(authority).label.lower()} authority)",
            request=request,
        )
    return extension


def bail_extension_request(
    *, actor: User, bail: Bail, until: dt.date | None, reason: str, request: HttpRequest | None = None
) -> Bail:
    """Ask someone with the authority to extend bail; the request waits on the supervisors' Approvals."""
    errors = _extension_checks(bail, until, reason)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        relock(bail)
        if errors := _extension_checks(bail, until, reason):
            raise ValidationError(errors)
        bail.extension_requested_until = until
        bail.extension_request_reason = reason.strip()
        bail.extension_requested_by = actor
        bail.updated_by = actor
        bail.save()
        _audit(actor=actor, action=AuditAction.ALTERATION, case=bail.case, obj=bail, request=request, asked=str(until))
    return bail


# --- CPS ----------------------------------------------------------------------------------------


def cps_step_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    occurred_on: dt.date | None,
    decision: str = "",
    reference: str = "",
    details: str = "",
    request: HttpRequest | None = None,
) -> CpsStep:
    """Early advice asked for, a file sent, or a charging decision received, with its date (for the
    timeliness measures)."""
    errors: dict[str, str] = {}
    if kind not in CpsStepKind.values:
        errors["kind"] = "Choose what happened with the CPS."
    if occurred_on is None:
        errors["occurred_on"] = "Enter the date."
    _check_date_not_future(errors, "occurred_on", occurred_on, "of the CPS step")
    if kind == CpsStepKind.DECISION and decision not in CpsDecision.values:
        errors["decision"] = "Choose the CPS's decision."
    if kind != CpsStepKind.DECISION and decision:
        errors["decision"] = "Only a charging decision has a decision."
    if errors:
        raise ValidationError(errors)
    assert occurred_on is not None  # noqa: S101 (checked above)
    step_kind = CpsStepKind(kind)
    summary = str(step_kind.label)
    if decision:
        summary += f": {CpsDecision(decision).label}"
    with transaction.atomic():
        event = case_event_record(
            actor=actor,
            case=case,
            kind=CPS_EVENT_KINDS[step_kind],
            occurred_at=moment_of(occurred_on),
            summary=summary,
            request=request,
        )
        step = CpsStep.objects.create(
            case=case,
            kind=kind,
            occurred_on=occurred_on,
            decision=decision,
            reference=reference.strip(),
            details=details.strip(),
            case_event=event,
            created_by=actor,
        )
        if kind == CpsStepKind.FILE_SUBMITTED and case.status in (CaseStatus.REPORTED, CaseStatus.UNDER_INVESTIGATION):
            Case.objects.filter(pk=case.pk).update(status=CaseStatus.WITH_CPS, updated_at=clock.now())
            case.status = CaseStatus.WITH_CPS
        _audit(actor=actor, action=AuditAction.COLLECTION, case=case, obj=step, request=request, kind=kind)
    return step


# --- Outcomes -----------------------------------------------------------------------------------


def victim_withdrawal_on_record(case: Case) -> bool:
    """The victim's withdrawal of support is on record when the latest of their withdrawals and
    re-engagements on the timeline is a withdrawal."""
    latest = (
        CaseEvent.objects.filter(case=case, kind__in=[EventKind.VICTIM_WITHDREW, EventKind.VICTIM_REENGAGED])
        .order_by("-occurred_at", "-id")
        .values_list("kind", flat=True)
        .first()
    )
    return latest == EventKind.VICTIM_WITHDREW


def has_named_suspect(case: Case) -> bool:
    suspects = Involvement.objects.filter(case=case, role=Role.SUSPECT).select_related("person")
    return any(involvement.person.is_named for involvement in suspects)


def _outcome_errors(*, case: Case, outcome_type: OutcomeType, rationale: str, victim_informed: bool) -> list[str]:
    facts = OutcomeFacts(
        has_named_suspect=has_named_suspect(case),
        victim_withdrawal_on_record=victim_withdrawal_on_record(case),
        rationale=rationale,
        victim_informed=victim_informed,
    )
    return outcome_problems(outcome_type=outcome_type, facts=facts)


def _check_may_propose(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("This case is closed. A supervisor must reopen it before another outcome is proposed.")
    if OutcomeDecision.objects.filter(case=case, state=DecisionState.PROPOSED).exists():
        raise ValidationError("An outcome is already waiting for a supervisor's sign-off on this case.")


def _check_awaiting_sign_off(decision: OutcomeDecision) -> None:
    if decision.state != DecisionState.PROPOSED:
        raise ValidationError(
            f"This outcome has already been decided: it is {decision.get_state_display().lower()}. Nothing was changed."
        )


def outcome_propose(
    *,
    actor: User,
    case: Case,
    outcome_type: OutcomeType | None,
    decided_on: dt.date | None,
    rationale: str,
    victim_informed: bool = False,
    victim_informed_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> OutcomeDecision:
    """Propose the case's outcome for a supervisor's sign-off, under the Home Office rules."""
    errors: dict[str, Any] = {}
    _check_may_propose(case)
    if outcome_type is None:
        errors["outcome_type"] = "Choose the outcome."
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision."
    _check_date_not_future(errors, "decided_on", decided_on, "of the decision")
    if not rationale.strip():
        errors["rationale"] = "Enter the rationale for the outcome."
    if victim_informed and victim_informed_on is None:
        errors["victim_informed_on"] = "Enter the date the victim was told."
    _check_date_not_future(errors, "victim_informed_on", victim_informed_on, "the victim was told")
    if outcome_type is not None:
        problems = _outcome_errors(
            case=case, outcome_type=outcome_type, rationale=rationale, victim_informed=victim_informed
        )
        if problems:
            errors["outcome_type"] = problems
    if errors:
        raise ValidationError(errors)
    assert outcome_type is not None  # noqa: S101
    assert decided_on is not None  # noqa: S101
    with transaction.atomic():
        relock(case)
        _check_may_propose(case)
        decision = OutcomeDecision.objects.create(
            case=case,
            outcome_type=outcome_type,
            decided_on=decided_on,
            rationale=rationale.strip(),
            victim_informed=victim_informed,
            victim_informed_on=victim_informed_on if victim_informed else None,
            proposed_by=actor,
            created_by=actor,
        )
        _audit(
            actor=actor,
            action=AuditAction.COLLECTION,
            case=case,
            obj=decision,
            request=request,
            outcome=outcome_type.code,
            state="proposed",
        )
    return decision


def outcome_sign_off(
    *, actor: User, decision: OutcomeDecision, approve: bool, note: str = "", request: HttpRequest | None = None
) -> OutcomeDecision:
    """A supervisor signs the outcome off (the case closes with it) or returns it to the officer."""
    case = decision.case
    _require(actor, "investigation.supervise_case", case, "Only a supervisor of the case's team can sign off.")
    _check_awaiting_sign_off(decision)
    if not approve and not note.strip():
        raise ValidationError({"note": "Say why you are returning the outcome, so the officer knows what to do."})
    if approve:
        # The facts may have changed since the proposal (the victim re-engaged, say).
        problems = _outcome_errors(
            case=case,
            outcome_type=decision.outcome_type,
            rationale=decision.rationale,
            victim_informed=decision.victim_informed,
        )
        if problems:
            raise ValidationError(problems)
    now = clock.now()
    with transaction.atomic():
        # Of two sign-offs (or a sign-off and a return) at once, the second waits, then finds it decided.
        relock(decision)
        _check_awaiting_sign_off(decision)
        decision.state = DecisionState.SIGNED_OFF if approve else DecisionState.RETURNED
        decision.signed_off_by = actor
        decision.signed_off_at = now
        decision.supervisor_note = note.strip()
        decision.updated_by = actor
        decision.save()
        if approve:
            Outcome.objects.update_or_create(
                case=case,
                defaults={
                    "outcome_type": decision.outcome_type,
                    "decided_on": decision.decided_on,
                    "rationale": decision.rationale,
                    "victim_informed": decision.victim_informed,
                    "victim_informed_on": decision.victim_informed_on,
                    "updated_by": actor,
                    "created_by": actor,
                },
            )
            label = f"Outcome {decision.outcome_type.code}: {decision.outcome_type.name}"
            case_event_record(
                actor=actor, case=case, kind=EventKind.OUTCOME_RECORDED, occurred_at=now, summary=label, request=request
            )
            case_event_record(
                actor=actor, case=case, kind=EventKind.CLOSED, occurred_at=now, summary=label, request=request
            )
            Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, updated_by=actor, updated_at=now)
            case.status = CaseStatus.CLOSED
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            case=case,
            obj=decision,
            request=request,
            state=decision.state,
        )
    return decision


def _outcome_in_force(decision: OutcomeDecision) -> dict[str, str]:
    if decision.state not in (DecisionState.PROPOSED, DecisionState.SIGNED_OFF):
        return {"told_on": "This outcome is no longer in force."}
    return {}


def outcome_victim_told_record(
    *, actor: User, decision: OutcomeDecision, told_on: dt.date | None, request: HttpRequest | None = None
) -> OutcomeDecision:
    """Record that the victim was told of an outcome after it was signed off."""
    errors: dict[str, str] = {}
    if told_on is None:
        errors["told_on"] = "Enter the date the victim was told."
    _check_date_not_future(errors, "told_on", told_on, "the victim was told")
    errors |= _outcome_in_force(decision)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        relock(decision)
        if problem := _outcome_in_force(decision):
            raise ValidationError(problem)
        decision.victim_informed = True
        decision.victim_informed_on = told_on
        decision.updated_by = actor
        decision.save()
        if decision.state == DecisionState.SIGNED_OFF:
            Outcome.objects.filter(case=decision.case).update(victim_informed=True, victim_informed_on=told_on)
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            case=decision.case,
            obj=decision,
            request=request,
            victim_told=str(told_on),
        )
    return decision


def _closed_with(case: Case) -> OutcomeDecision:
    decision = OutcomeDecision.objects.filter(case=case, state=DecisionState.SIGNED_OFF).first()
    if case.status != CaseStatus.CLOSED or decision is None:
        raise ValidationError("Only a case closed with a signed-off outcome can be reopened.")
    return decision


def case_reopen(*, actor: User, case: Case, reason: str, request: HttpRequest | None = None) -> OutcomeDecision:
    """A supervisor reopens a closed case. The outcome it closed with stays in the history."""
    _require(actor, "investigation.supervise_case", case, "Only a supervisor of the case's team can reopen it.")
    _closed_with(case)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the case is being reopened."})
    now = clock.now()
    with transaction.atomic():
        relock(case)  # a second reopening at once waits here, then finds the case open
        decision = _closed_with(case)
        decision.state = DecisionState.REOPENED
        decision.reopened_by = actor
        decision.reopened_at = now
        decision.reopen_reason = reason.strip()
        decision.updated_by = actor
        decision.save()
        Outcome.objects.filter(case=case).delete()
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.UNDER_INVESTIGATION, updated_by=actor, updated_at=now)
        case.status = CaseStatus.UNDER_INVESTIGATION
        InvestigationPlan.objects.filter(case=case).update(next_review_due_at=now + review_initial_delay())
        case_event_record(
            actor=actor, case=case, kind=EventKind.REOPENED, occurred_at=now, summary=reason.strip(), request=request
        )
        _audit(actor=actor, action=AuditAction.ALTERATION, case=case, obj=decision, request=request, state="reopened")
    return decision


# --- Templates (reference data) -----------------------------------------------------------------


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
