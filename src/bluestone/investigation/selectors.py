"""Reads for investigations. Each takes the acting user and applies need-to-know: a case's pages
through `cases.rules` (the same check as the case page), queues through team, ownership and the
restricted-case rule, so that no list shows a case the user could not open.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from bluestone.accounts.models import Role as UserRole
from bluestone.accounts.models import User
from bluestone.cases.extensions import APPROVALS, MY_WORK, TEAM_WORK, WorkItem
from bluestone.cases.models import (
    Case,
    CaseAccess,
    CaseAccessKind,
    CaseEvent,
    CaseStatus,
    EventKind,
    Involvement,
    Outcome,
    Role,
)
from bluestone.core import clock
from bluestone.core.models import OutcomeType
from bluestone.investigation.custody import DetentionClock, NextExtension, detention_clock, next_extension
from bluestone.investigation.extensions import line_decision_decides_too, next_things_for
from bluestone.investigation.models import (
    GROUP_ORDER,
    OPEN_STATUSES,
    ApprovalState,
    Bail,
    BailAuthority,
    BailStatus,
    CpsStep,
    DecisionState,
    Focus,
    InvestigationPlan,
    LineGroup,
    LineOfEnquiry,
    LineStatus,
    OutcomeDecision,
    PlanTemplate,
    PlanTemplateLine,
    SupervisoryReview,
    SuspectEvent,
)
from bluestone.investigation.services import victim_withdrawal_on_record

# Bail that ends within this many days is surfaced on the queues.
BAIL_WARNING_DAYS = 14
# Lines of enquiry due within this many days appear on My work.
LINE_WARNING_DAYS = 7
# Reviews due within this many days appear on Reviews due.
REVIEW_WARNING_DAYS = 7


def _require_case(user: User, case: Case) -> None:
    if not rules.test_rule("cases.view_case", user, case):
        raise PermissionDenied("You do not have access to this case.")


@dataclass(frozen=True)
class Balance:
    """The suspect-focus balance: how many actions look at the suspect and how many at the victim,
    and which the investigation started on first."""

    suspect: int
    victim: int
    first_suspect_at: dt.datetime | None
    first_victim_at: dt.datetime | None

    @property
    def first(self) -> str:
        """ "suspect", "victim", or "" while neither has started."""
        if self.first_suspect_at is None and self.first_victim_at is None:
            return ""
        if self.first_victim_at is None:
            return "suspect"
        if self.first_suspect_at is None:
            return "victim"
        return "suspect" if self.first_suspect_at <= self.first_victim_at else "victim"


def balance_of(lines: list[LineOfEnquiry]) -> Balance:
    counted = [line for line in lines if line.status != LineStatus.NOT_NEEDED]
    started_suspect = [line.started_at for line in counted if line.focus == Focus.SUSPECT and line.started_at]
    started_victim = [line.started_at for line in counted if line.focus == Focus.VICTIM and line.started_at]
    return Balance(
        suspect=sum(1 for line in counted if line.focus == Focus.SUSPECT),
        victim=sum(1 for line in counted if line.focus == Focus.VICTIM),
        first_suspect_at=min(started_suspect, default=None),
        first_victim_at=min(started_victim, default=None),
    )


@dataclass(frozen=True)
class LineGroupView:
    group: str
    label: str
    lines: list[LineOfEnquiry]


# The suspect's story as the timeline tells it: the one source for the plan, the timeline and the
# victim's updates. Rows written by this app carry their details (custody, review dates); rows from
# elsewhere (a load, another app) show as the timeline has them.
SUSPECT_TIMELINE_KINDS = [
    EventKind.SUSPECT_IDENTIFIED,
    EventKind.SUSPECT_ARRESTED,
    EventKind.SUSPECT_INTERVIEWED,
    EventKind.SUSPECT_VOLUNTARY_INTERVIEW,
    EventKind.SUSPECT_BAILED,
    EventKind.BAIL_CONDITIONS_CHANGED,
    EventKind.BAIL_EXTENDED,
    EventKind.BAIL_ENDED,
    EventKind.SUSPECT_RUI,
    EventKind.NO_FURTHER_ACTION,
    EventKind.NOT_INVESTIGATED,
    EventKind.CHARGED,
]
# Events that end a spell in custody (the detention clock stops) or a release under investigation.
RELEASES = {EventKind.SUSPECT_BAILED, EventKind.SUSPECT_RUI, EventKind.NO_FURTHER_ACTION, EventKind.CHARGED}
ENDS_RUI = {EventKind.SUSPECT_ARRESTED, EventKind.SUSPECT_BAILED, EventKind.NO_FURTHER_ACTION, EventKind.CHARGED}


@dataclass(frozen=True)
class SuspectRow:
    """One entry of the suspect's story on the plan."""

    event: CaseEvent
    detail: SuspectEvent | None

    @property
    def suspect_name(self) -> str:
        if self.detail is None or self.detail.suspect is None:
            return ""
        return self.detail.suspect.person.full_name or "Unnamed suspect"


@dataclass(frozen=True)
class CustodyRow:
    """An arrest with its PACE detention clock."""

    arrest: SuspectEvent
    clock: DetentionClock
    released_by: str  # what ended the detention ("Suspect released on bail"), or ""


@dataclass(frozen=True)
class RuiRow:
    """A release under investigation still in force, and when it is to be reviewed."""

    release: SuspectEvent
    review_due_on: dt.date

    @property
    def overdue(self) -> bool:
        return self.review_due_on < clock.today()


def suspect_story(case: Case) -> list[SuspectRow]:
    """The suspect's events from the case timeline, newest first, with this app's details where it has them."""
    events = list(CaseEvent.objects.filter(case=case, kind__in=SUSPECT_TIMELINE_KINDS).order_by("-occurred_at", "-id"))
    details = {
        row.case_event_id: row
        for row in SuspectEvent.objects.filter(case_event_id__in=[e.pk for e in events]).select_related(
            "suspect__person"
        )
    }
    return [SuspectRow(event=event, detail=details.get(event.pk)) for event in events]


def _later(events: list[SuspectEvent], after: SuspectEvent, kinds: set[EventKind]) -> SuspectEvent | None:
    """The first event of `kinds` about the same suspect recorded after `after`."""
    return next(
        (e for e in events if e.suspect_id == after.suspect_id and e.kind in kinds and e.created_at > after.created_at),
        None,
    )


def custody_rows(case: Case) -> list[CustodyRow]:
    """Each arrest that recorded a relevant time, with its detention clock (stopped at the release)."""
    events = list(SuspectEvent.objects.filter(case=case).select_related("suspect__person").order_by("created_at"))
    rows = []
    for arrest in events:
        if arrest.kind != EventKind.SUSPECT_ARRESTED or arrest.relevant_time is None:
            continue
        release = _later(events, arrest, RELEASES)
        released_at = max(release.occurred_at, arrest.relevant_time) if release else None
        rows.append(
            CustodyRow(
                arrest=arrest,
                clock=detention_clock(relevant_time=arrest.relevant_time, released_at=released_at, now=clock.now()),
                released_by=str(EventKind(release.kind).label) if release else "",
            )
        )
    return list(reversed(rows))


def rui_rows(case: Case) -> list[RuiRow]:
    """Releases under investigation not since followed by an arrest, bail, charge or no further action."""
    events = list(SuspectEvent.objects.filter(case=case).select_related("suspect__person").order_by("created_at"))
    return [
        RuiRow(release=event, review_due_on=event.review_due_on)
        for event in events
        if event.kind == EventKind.SUSPECT_RUI
        and event.review_due_on is not None
        and _later(events, event, ENDS_RUI) is None
    ]


@dataclass(frozen=True)
class BailRow:
    bail: Bail
    next_extension: NextExtension


@dataclass
class PlanPage:
    case: Case
    plan: InvestigationPlan | None
    groups: list[LineGroupView] = field(default_factory=list)
    balance: Balance | None = None
    suspects: list[Involvement] = field(default_factory=list)
    suspect_events: list[SuspectRow] = field(default_factory=list)
    custody: list[CustodyRow] = field(default_factory=list)
    rui: list[RuiRow] = field(default_factory=list)
    bails: list[BailRow] = field(default_factory=list)
    cps_steps: list[CpsStep] = field(default_factory=list)
    reviews: list[SupervisoryReview] = field(default_factory=list)

    @property
    def review_overdue(self) -> bool:
        due = self.plan.next_review_due_at if self.plan else None
        return bool(due and due < clock.now() and self.case.status != CaseStatus.CLOSED)

    @property
    def person_ids(self) -> list[str]:
        return [str(s.person_id) for s in self.suspects]


def plan_page_get(*, user: User, case: Case) -> PlanPage:
    """The Investigation plan tab: lines grouped Suspect · Context · Victim's account, the balance, the
    suspect events, bail, CPS steps and reviews."""
    _require_case(user, case)
    plan = InvestigationPlan.objects.filter(case=case).first()
    suspects = list(Involvement.objects.filter(case=case, role=Role.SUSPECT).select_related("person"))
    page = PlanPage(case=case, plan=plan, suspects=suspects)
    if plan is not None:
        lines = list(plan.lines.select_related("owner", "decided_by"))
        page.groups = [
            LineGroupView(group=group.value, label=str(group.label), lines=[x for x in lines if x.group == group])
            for group in GROUP_ORDER
        ]
        page.balance = balance_of(lines)
    page.suspect_events = suspect_story(case)
    page.custody = custody_rows(case)
    page.rui = rui_rows(case)
    page.bails = [
        BailRow(bail=bail, next_extension=next_extension(starts_on=bail.starts_on, expires_on=bail.expires_on))
        for bail in Bail.objects.filter(case=case)
        .select_related("suspect__person")
        .prefetch_related("extensions__authorised_by")
    ]
    page.cps_steps = list(CpsStep.objects.filter(case=case).order_by("-occurred_on", "-created_at"))
    page.reviews = list(SupervisoryReview.objects.filter(case=case).select_related("reviewer", "reviewer_officer"))
    return page


def line_get(*, user: User, case: Case, pk: uuid.UUID) -> LineOfEnquiry:
    _require_case(user, case)
    return LineOfEnquiry.objects.select_related("plan__case", "owner", "decided_by").get(pk=pk, plan__case=case)


def bail_get(*, user: User, case: Case, pk: uuid.UUID) -> Bail:
    _require_case(user, case)
    return Bail.objects.select_related("case", "suspect__person").get(pk=pk, case=case)


def line_owner_choices(case: Case) -> QuerySet[User]:
    """Who can own a line of enquiry: the case team's investigators and supervisors."""
    return User.objects.filter(is_active=True, team_id=case.team_id, role__in=["investigator", "supervisor"]).order_by(
        "last_name", "first_name", "username"
    )


def timeline_get(*, user: User, case: Case) -> list[CaseEvent]:
    """Every entry on the case's timeline, newest first."""
    _require_case(user, case)
    return list(CaseEvent.objects.filter(case=case).select_related("created_by").order_by("-occurred_at", "-id"))


@dataclass(frozen=True)
class OutcomePage:
    outcome: Outcome | None
    decisions: list[OutcomeDecision]
    pending: OutcomeDecision | None
    withdrawal_on_record: bool


def outcome_page_get(*, user: User, case: Case) -> OutcomePage:
    _require_case(user, case)
    decisions = list(
        OutcomeDecision.objects.filter(case=case).select_related(
            "outcome_type", "proposed_by", "signed_off_by", "reopened_by"
        )
    )
    return OutcomePage(
        outcome=Outcome.objects.select_related("outcome_type").filter(case=case).first(),
        decisions=decisions,
        pending=next((d for d in decisions if d.state == DecisionState.PROPOSED), None),
        withdrawal_on_record=victim_withdrawal_on_record(case),
    )


def outcome_decision_get(*, user: User, case: Case, pk: uuid.UUID) -> OutcomeDecision:
    _require_case(user, case)
    return OutcomeDecision.objects.select_related("case", "outcome_type", "proposed_by").get(pk=pk, case=case)


def outcome_type_choices() -> list[OutcomeType]:
    return list(OutcomeType.objects.order_by("code"))


# --- Queues -------------------------------------------------------------------------------------


def _visible(user: User, prefix: str) -> Q:
    """Cases not restricted, or restricted with the user named on them (as cases.selectors does)."""
    now = clock.now()
    named = CaseAccess.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        kind=CaseAccessKind.NAMED,
        user_id=user.pk,
        revoked_at__isnull=True,
    ).values("case_id")
    return Q(**{f"{prefix}restricted": False}) | Q(**{f"{prefix}id__in": named})


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# What a work item shows of a line of enquiry. A queue can hold hundreds of lines (a team's,
# thousands), and reading every column of each line, its plan and its case cost more than the page.
LINE_ITEM_FIELDS = ("title", "due_on", "plan__case__crime_reference")


def _line_items(lines: Any, queue: str, today: dt.date) -> list[WorkItem]:
    return [
        WorkItem(
            queue=queue,
            kind="Line of enquiry overdue" if line.due_on < today else "Line of enquiry due",
            description=line.title,
            url=reverse("investigation:line", kwargs={"pk": line.plan.case_id, "line": line.pk}),
            due_at=_day_start(line.due_on),
            case_reference=line.plan.case.crime_reference,
            overdue=line.due_on < today,
        )
        for line in lines.only(*LINE_ITEM_FIELDS)
    ]


def _bail_items(bails: Any, queue: str, today: dt.date) -> list[WorkItem]:
    return [
        WorkItem(
            queue=queue,
            kind="Bail expired" if bail.expires_on < today else "Bail expires",
            description="Pre-charge bail ends: charge, extend, release under investigation or take no further action",
            url=reverse("investigation:plan", kwargs={"pk": bail.case_id}) + "#bail",
            due_at=_day_start(bail.expires_on),
            case_reference=bail.case.crime_reference,
            overdue=bail.expires_on < today,
        )
        for bail in bails
    ]


def _review_items(plans: Any, queue: str, now: dt.datetime) -> list[WorkItem]:
    return [
        WorkItem(
            queue=queue,
            kind="Review overdue" if plan.next_review_due_at < now else "Review due",
            description="Supervisory review of the investigation",
            url=reverse("investigation:review", kwargs={"pk": plan.case_id}),
            due_at=plan.next_review_due_at,
            case_reference=plan.case.crime_reference,
            overdue=plan.next_review_due_at < now,
        )
        for plan in plans
    ]


def _rui_items(case_filter: Q, queue: str, today: dt.date) -> list[WorkItem]:
    """Releases under investigation whose review is due within a week, still in force."""
    candidates = (
        SuspectEvent.objects.filter(
            case_filter,
            kind=EventKind.SUSPECT_RUI,
            review_due_on__lte=today + dt.timedelta(days=LINE_WARNING_DAYS),
        )
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("case")
    )
    in_force = {row.release.pk for case in {e.case for e in candidates} for row in rui_rows(case)}
    return [
        WorkItem(
            queue=queue,
            kind="Release under investigation review",
            description="Review the release under investigation: arrest, bail, charge or no further action",
            url=reverse("investigation:plan", kwargs={"pk": event.case_id}) + "#custody",
            due_at=_day_start(event.review_due_on),
            case_reference=event.case.crime_reference,
            overdue=event.review_due_on < today,
        )
        for event in candidates
        if event.pk in in_force and event.review_due_on is not None
    ]


def _my_work(user: User) -> list[WorkItem]:
    today = clock.today()
    lines = (
        LineOfEnquiry.objects.filter(
            Q(owner=user) | Q(owner__isnull=True, plan__case__officer__user=user),
            _visible(user, "plan__case__"),
            status__in=OPEN_STATUSES,
            due_on__lte=today + dt.timedelta(days=LINE_WARNING_DAYS),
        )
        .exclude(plan__case__status=CaseStatus.CLOSED)
        .select_related("plan__case")
    )
    bails = Bail.objects.filter(
        _visible(user, "case__"),
        case__officer__user=user,
        status=BailStatus.ACTIVE,
        expires_on__lte=today + dt.timedelta(days=BAIL_WARNING_DAYS),
    ).select_related("case")
    items = _line_items(lines, MY_WORK, today) + _bail_items(bails, MY_WORK, today)
    items += _rui_items(Q(case__officer__user=user) & _visible(user, "case__"), MY_WORK, today)
    returned = OutcomeDecision.objects.filter(
        _visible(user, "case__"), proposed_by=user, state=DecisionState.RETURNED
    ).select_related("case")
    for decision in returned:
        if OutcomeDecision.objects.filter(case=decision.case, created_at__gt=decision.created_at).exists():
            continue
        items.append(
            WorkItem(
                queue=MY_WORK,
                kind="Outcome returned",
                description=f"Your supervisor returned the outcome: {decision.supervisor_note[:120]}",
                url=reverse("investigation:outcome", kwargs={"pk": decision.case_id}),
                due_at=None,
                case_reference=decision.case.crime_reference,
            )
        )
    return items


def _team_cases(user: User, prefix: str) -> Q:
    return Q(**{f"{prefix}team_id": user.team_id}) & _visible(user, prefix)


def _team_work(user: User) -> list[WorkItem]:
    today, now = clock.today(), clock.now()
    lines = (
        LineOfEnquiry.objects.filter(_team_cases(user, "plan__case__"), status__in=OPEN_STATUSES, due_on__lt=today)
        .exclude(plan__case__status=CaseStatus.CLOSED)
        .select_related("plan__case")
    )
    bails = Bail.objects.filter(
        _team_cases(user, "case__"),
        status=BailStatus.ACTIVE,
        expires_on__lte=today + dt.timedelta(days=BAIL_WARNING_DAYS),
    ).select_related("case")
    return (
        _line_items(lines, TEAM_WORK, today)
        + _bail_items(bails, TEAM_WORK, today)
        + _review_items(reviews_due_plans(user=user, within=_rest_of_today(now)), TEAM_WORK, now)
        + _rui_items(_team_cases(user, "case__"), TEAM_WORK, today)
    )


def _rest_of_today(now: dt.datetime) -> dt.timedelta:
    """From now to the end of today in Europe/London: a review due at 5pm today is team work this morning."""
    end = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.max))
    return max(end - now, dt.timedelta(0))


def _action_description(line: LineOfEnquiry, decides_too: list[str]) -> str:
    """What the supervisor decides: the action, and what approving it authorises besides (its request in
    the evidence register), so that one decision is one entry in Approvals."""
    text = f"{line.get_intrusive_kind_display()}: approve or refuse"
    if decides_too:
        text += f". Approving it also authorises {' and '.join(decides_too)}"
    return text


def _approvals(user: User) -> list[WorkItem]:
    actions = list(
        LineOfEnquiry.objects.filter(
            _team_cases(user, "plan__case__"), approval_state=ApprovalState.REQUESTED
        ).select_related("plan__case")
    )
    decides_too = line_decision_decides_too(lines=actions)
    items = [
        WorkItem(
            queue=APPROVALS,
            kind="Victim-focused action",
            description=_action_description(line, decides_too.get(line.pk, [])),
            url=reverse("investigation:line-decide", kwargs={"pk": line.plan.case_id, "line": line.pk}),
            due_at=line.approval_requested_at,
            case_reference=line.plan.case.crime_reference,
        )
        for line in actions
    ]
    items += [
        WorkItem(
            queue=APPROVALS,
            kind="Bail extension",
            description=f"Extend pre-charge bail to {bail.extension_requested_until:%d/%m/%Y}",
            url=reverse("investigation:bail-extend", kwargs={"pk": bail.case_id, "bail": bail.pk}),
            due_at=_day_start(bail.expires_on),
            case_reference=bail.case.crime_reference,
            overdue=bail.expires_on < clock.today(),
        )
        for bail in Bail.objects.filter(
            _team_cases(user, "case__"), status=BailStatus.ACTIVE, extension_requested_until__isnull=False
        ).select_related("case")
    ]
    items += [
        WorkItem(
            queue=APPROVALS,
            kind="Outcome sign-off",
            description=f"Outcome {decision.outcome_type_id}: {decision.outcome_type.name}",
            url=reverse("investigation:outcome-sign-off", kwargs={"pk": decision.case_id, "decision": decision.pk}),
            due_at=decision.created_at,
            case_reference=decision.case.crime_reference,
        )
        for decision in OutcomeDecision.objects.filter(
            _team_cases(user, "case__"), state=DecisionState.PROPOSED
        ).select_related("case", "outcome_type")
    ]
    return items


def work_items(user: Any, queue: str) -> list[WorkItem]:
    """The investigation's WorkSource: lines of enquiry, bail, reviews and approvals."""
    if queue == MY_WORK and rules.test_rule("investigation.view_my_work", user):
        return _my_work(user)
    if queue == TEAM_WORK and rules.test_rule("investigation.view_team_work", user):
        return _team_work(user)
    if queue == APPROVALS and rules.test_rule("investigation.view_team_work", user):
        return _approvals(user)
    return []


def reviews_due_plans(*, user: User, within: dt.timedelta = dt.timedelta(days=REVIEW_WARNING_DAYS)) -> list[Any]:
    """Open cases of the supervisor's team whose next supervisory review is due within `within`
    (overdue first)."""
    if not rules.test_rule("investigation.view_team_work", user):
        raise PermissionDenied("Reviews due are for supervisors of a team.")
    return list(
        InvestigationPlan.objects.filter(_team_cases(user, "case__"), next_review_due_at__lte=clock.now() + within)
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("case", "case__officer", "case__offence_class")
        .order_by("next_review_due_at")
    )


# --- Templates ----------------------------------------------------------------------------------


def templates_list(*, user: User) -> list[PlanTemplate]:
    if not rules.test_rule("investigation.edit_templates", user):
        raise PermissionDenied("Plan templates are edited by administrators.")
    return list(PlanTemplate.objects.prefetch_related("lines").order_by("-is_default", "name"))


def template_get(*, user: User, pk: int) -> PlanTemplate:
    if not rules.test_rule("investigation.edit_templates", user):
        raise PermissionDenied("Plan templates are edited by administrators.")
    return PlanTemplate.objects.get(pk=pk)


def template_line_get(*, user: User, pk: int) -> PlanTemplateLine:
    if not rules.test_rule("investigation.edit_templates", user):
        raise PermissionDenied("Plan templates are edited by administrators.")
    return PlanTemplateLine.objects.select_related("template").get(pk=pk)


def group_label(group: str) -> str:
    return str(LineGroup(group).label)


# --- The case summary panel ---------------------------------------------------------------------

NEXT_THINGS = 3


def case_panel_context(user: Any, case: Case) -> dict[str, Any] | None:
    """The next three things to do on the case (open lines by due date), the next review and bail
    ending, for the case summary; None for a user who may not see the case or a case without a plan."""
    if not rules.test_rule("cases.view_case", user, case):
        return None
    if case.status == CaseStatus.CLOSED:
        return None  # a closed case has nothing left to do; reopening it brings the panel back
    plan = InvestigationPlan.objects.filter(case=case).first()
    if plan is None:
        return None
    lines = list(
        plan.lines.filter(status__in=OPEN_STATUSES)
        .exclude(due_on__isnull=True)
        .order_by("due_on", "order")[:NEXT_THINGS]
    )
    bails = list(Bail.objects.filter(case=case, status=BailStatus.ACTIVE).order_by("expires_on"))
    return {
        "case": case,
        "plan": plan,
        "lines": lines,
        "bails": bails,
        "rui": rui_rows(case),
        "custody": [row for row in custody_rows(case) if row.clock.running],
        "review_open": case.status != CaseStatus.CLOSED,
        # What other apps hold due on the case: a victim's phone to give back, with its due time.
        "others": next_things_for(user=user, case=case),
    }


def bail_authorities_list(*, user: User) -> list[BailAuthority]:
    """Every bail authority given beyond rank, by surname, for the administrators who keep them."""
    if not rules.test_rule("investigation.manage_bail_authority", user):
        raise PermissionDenied("Bail authority is kept by administrators.")
    return list(
        BailAuthority.objects.select_related("user", "user__team").order_by(
            "user__last_name", "user__first_name", "user__username"
        )
    )


def bail_authority_candidates() -> Any:
    """The people who can hold bail authority: supervisors who can sign in."""
    return (
        User.objects.filter(role=UserRole.SUPERVISOR, is_active=True)
        .select_related("team")
        .order_by("last_name", "first_name", "username")
    )
