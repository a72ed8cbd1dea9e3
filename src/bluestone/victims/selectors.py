"""Reads for victims. Each takes the acting user and applies need-to-know (the case rules) itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from bluestone.accounts.models import User
from bluestone.cases.extensions import MY_WORK, TEAM_WORK, WorkItem
from bluestone.cases.models import Case, CaseStatus
from bluestone.core import clock
from bluestone.victims.models import (
    Obligation,
    ObligationStatus,
    OutboxMessage,
    OutboxStatus,
    PortalAccess,
    PortalMessage,
    Right,
    VictimContact,
    VictimProfile,
    VictimUpdate,
)


def _require_case(user: Any, case: Case) -> None:
    if not rules.test_rule("cases.view_case", user, case):
        raise PermissionDenied("You do not have a need to know this case.")


def next_contact_due(profile: VictimProfile, *, last_contact: dt.datetime | None = None) -> dt.date | None:
    """When the contact plan says the victim should next hear from the officer: the cadence counted
    from the later of the plan's agreement and the last contact."""
    if not profile.has_plan or profile.plan_agreed_on is None or profile.plan_cadence_days is None:
        return None
    if last_contact is None:
        last_contact = profile.contacts.aggregate(last=Max("occurred_at"))["last"]
    start = profile.plan_agreed_on
    if last_contact is not None:
        start = max(start, timezone.localdate(last_contact))
    return start + dt.timedelta(days=profile.plan_cadence_days)


@dataclass
class VictimPanel:
    """Everything the Victim tab shows about one victim."""

    profile: VictimProfile
    obligations: list[Obligation]
    contacts: list[Any]
    support_changes: list[Any]
    updates: list[Any]
    messages: list[PortalMessage]
    feedback: list[Any]
    access: PortalAccess | None
    next_contact_on: dt.date | None
    contact_overdue: bool
    open_obligations: list[Obligation] = field(default_factory=list)
    # Notifications that have not gone: waiting for another try, or given up on after the last.
    unsent: list[OutboxMessage] = field(default_factory=list)


def victim_panels_for_case(*, user: Any, case: Case) -> list[VictimPanel]:
    _require_case(user, case)
    panels = []
    # Everything on the panels in one query per kind of row, whatever the number of victims.
    profiles = list(
        VictimProfile.objects.filter(case=case)
        .select_related("involvement__person")
        .prefetch_related(
            Prefetch(
                "obligations",
                queryset=Obligation.objects.select_related("right", "met_by_contact").order_by("due_on", "created_at"),
            ),
            Prefetch(
                "contacts",
                queryset=VictimContact.objects.select_related("made_by").prefetch_related("obligations_met__right"),
            ),
            "support_changes",
            Prefetch("updates", queryset=VictimUpdate.objects.select_related("written_by")),
            Prefetch(
                "messages",
                queryset=PortalMessage.objects.select_related("read_by").prefetch_related("replies__written_by"),
            ),
            "feedback",
            Prefetch(
                "portal_accesses",
                queryset=PortalAccess.objects.filter(revoked_at__isnull=True),
                to_attr="open_accesses",
            ),
        )
        .order_by("created_at")
    )
    unsent: dict[Any, list[OutboxMessage]] = {}
    for message in (
        OutboxMessage.objects.filter(profile__in=profiles)
        .filter(Q(status=OutboxStatus.FAILED) | Q(status=OutboxStatus.PENDING, attempts__gt=0))
        .order_by("-created_at")
    ):
        unsent.setdefault(message.profile_id, []).append(message)
    for profile in profiles:
        open_accesses: list[PortalAccess] = getattr(profile, "open_accesses", [])
        obligations = list(profile.obligations.all())
        contacts = list(profile.contacts.all())
        due = next_contact_due(profile, last_contact=contacts[0].occurred_at if contacts else None)
        panels.append(
            VictimPanel(
                profile=profile,
                obligations=obligations,
                contacts=contacts,
                support_changes=list(profile.support_changes.all()),
                updates=list(profile.updates.all()),
                messages=list(profile.messages.all()),
                feedback=list(profile.feedback.all()),
                access=open_accesses[0] if open_accesses else None,
                next_contact_on=due,
                contact_overdue=due is not None and due < clock.today(),
                open_obligations=[o for o in obligations if o.status == ObligationStatus.OPEN],
                unsent=unsent.get(profile.pk, []),
            )
        )
    return panels


def victim_profile_get(*, user: Any, case: Case, profile_id: Any) -> VictimProfile:
    """One victim's profile on a case the user may see; VictimProfile.DoesNotExist otherwise."""
    _require_case(user, case)
    return VictimProfile.objects.select_related("involvement__person", "case").get(pk=profile_id, case=case)


@dataclass(frozen=True)
class ComplianceRow:
    right: Right
    due: int  # duties whose deadline has passed or that were met or closed
    met_on_time: int
    met_late: int
    overdue: int
    not_applicable: int
    open_not_yet_due: int

    @property
    def rate(self) -> float | None:
        """The share of duties that fell due (and applied) that were met on time."""
        counted = self.met_on_time + self.met_late + self.overdue
        return self.met_on_time / counted if counted else None


def obligation_compliance(obligations: QuerySet[Obligation]) -> list[ComplianceRow]:
    """Compliance per right over a set of duties (already scoped by the caller's selector)."""
    today = clock.today()
    by_right: dict[str, dict[str, int]] = {}
    for status, due_on, met_at, right_id in obligations.values_list("status", "due_on", "met_at", "right_id"):
        counts = by_right.setdefault(right_id, dict.fromkeys(("on_time", "late", "overdue", "na", "open"), 0))
        if status == ObligationStatus.MET:
            met_on = timezone.localdate(met_at) if met_at else today
            counts["on_time" if met_on <= due_on else "late"] += 1
        elif status == ObligationStatus.NOT_APPLICABLE:
            counts["na"] += 1
        elif due_on < today:
            counts["overdue"] += 1
        else:
            counts["open"] += 1
    rows = []
    for right in Right.objects.filter(code__in=by_right):
        c = by_right[right.code]
        rows.append(
            ComplianceRow(
                right=right,
                due=c["on_time"] + c["late"] + c["overdue"] + c["na"],
                met_on_time=c["on_time"],
                met_late=c["late"],
                overdue=c["overdue"],
                not_applicable=c["na"],
                open_not_yet_due=c["open"],
            )
        )
    return rows


def team_compliance(*, user: User) -> list[ComplianceRow]:
    """Compliance per right across a supervisor's team's cases they may see (restricted ones only
    where they are named)."""
    if not rules.test_rule("victims.view_team_compliance", user):
        raise PermissionDenied("Only supervisors see their team's compliance.")
    return obligation_compliance(Obligation.objects.filter(_team_cases_q(user, prefix="case__")))


def _team_cases_q(user: User, *, prefix: str) -> Q:
    named = Q(
        **{
            f"{prefix}accesses__user": user,
            f"{prefix}accesses__kind": "named",
            f"{prefix}accesses__revoked_at__isnull": True,
        }
    )
    return Q(**{f"{prefix}team_id": user.team_id}) & (Q(**{f"{prefix}restricted": False}) | named)


def case_compliance(*, user: Any, case: Case) -> list[ComplianceRow]:
    _require_case(user, case)
    return obligation_compliance(Obligation.objects.filter(case=case))


# --- The summary panel and the work queues ------------------------------------------------------


def case_panel_context(user: Any, case: Case) -> dict[str, Any] | None:
    """The victim's preferred contact and the next Code deadline, for the case summary."""
    if not rules.test_rule("cases.view_case", user, case):
        return None
    profiles = list(VictimProfile.objects.filter(case=case).order_by("created_at"))
    if not profiles:
        return None
    next_obligation = (
        Obligation.objects.filter(case=case, status=ObligationStatus.OPEN)
        .select_related("right")
        .order_by("due_on")
        .first()
    )
    return {
        "victim_profiles": profiles,
        "next_obligation": next_obligation,
        "victim_tab_url": reverse("victims:case-victim", kwargs={"pk": case.pk}),
    }


def _tab_url(case_id: Any, anchor: str) -> str:
    return reverse("victims:case-victim", kwargs={"pk": case_id}) + f"#{anchor}"


def _due_at(day: dt.date) -> dt.datetime:
    # End of the working day the duty falls due, in London.
    return timezone.make_aware(dt.datetime.combine(day, dt.time(17)))


def work_items(user: Any, queue: str) -> list[WorkItem]:
    """My work (the officer in the case): Code duties due or overdue, contacts due by plan within a
    week, unread messages. Team work (a supervisor): overdue duties and overdue contacts."""
    if not getattr(user, "is_authenticated", False):
        return []
    if queue == MY_WORK and rules.test_rule("cases.view_my_cases", user):
        cases = Q(case__officer__user=user)
        return _items(user, cases=cases, queue=queue, overdue_only=False)
    if queue == TEAM_WORK and rules.test_rule("victims.view_team_compliance", user):
        return _items(user, cases=_team_cases_q(user, prefix="case__"), queue=queue, overdue_only=True)
    return []


def _items(user: Any, *, cases: Q, queue: str, overdue_only: bool) -> list[WorkItem]:
    today = clock.today()
    open_cases = cases & ~Q(case__status=CaseStatus.CLOSED)
    items = []
    # Only what an item shows: a team's queue holds thousands of duties, each with its case's every column.
    obligations = (
        Obligation.objects.filter(open_cases, status=ObligationStatus.OPEN)
        .select_related("right", "case")
        .only("due_on", "right__name", "case__crime_reference")
    )
    if overdue_only:
        obligations = obligations.filter(due_on__lt=today)
    for obligation in obligations.distinct():
        overdue = obligation.due_on < today
        items.append(
            WorkItem(
                queue=queue,
                kind="Victim update overdue" if overdue else "Victim update due",
                description=f"{obligation.right.name} ({obligation.case.crime_reference})",
                url=_tab_url(obligation.case_id, "obligations"),
                due_at=_due_at(obligation.due_on),
                case_reference=obligation.case.crime_reference,
                overdue=overdue,
            )
        )
    profiles = (
        VictimProfile.objects.filter(open_cases, plan_agreed_on__isnull=False, plan_cadence_days__isnull=False)
        .select_related("case")
        .annotate(last_contact=Max("contacts__occurred_at"))
        .distinct()
    )
    horizon = today if overdue_only else today + dt.timedelta(days=7)
    for profile in profiles:
        due = next_contact_due(profile, last_contact=profile.last_contact)
        if due is None or due > horizon or (overdue_only and due >= today):
            continue
        items.append(
            WorkItem(
                queue=queue,
                kind="Victim contact overdue" if due < today else "Victim contact due",
                description=f"Contact the victim as their plan agreed ({profile.case.crime_reference})",
                url=_tab_url(profile.case_id, "contact-plan"),
                due_at=_due_at(due),
                case_reference=profile.case.crime_reference,
                overdue=due < today,
            )
        )
    if not overdue_only:
        messages = PortalMessage.objects.filter(open_cases, read_at__isnull=True).select_related("case").distinct()
        items.extend(
            WorkItem(
                queue=queue,
                kind="Message from the victim",
                description=f"Read and answer the victim's message ({message.case.crime_reference})",
                url=_tab_url(message.case_id, "messages"),
                due_at=None,
                case_reference=message.case.crime_reference,
            )
            for message in messages
        )
    # A restricted case where the user is no longer named drops out here, as everywhere.
    visible = _visible_references(user, {item.case_reference for item in items})
    return [item for item in items if item.case_reference in visible]


def _visible_references(user: Any, references: set[str]) -> set[str]:
    """Which of these crime references name a case the user may see (one query for them all)."""
    if not references:
        return set()
    cases = Case.objects.filter(crime_reference__in=references)
    return {case.crime_reference for case in cases if rules.test_rule("cases.view_case", user, case)}
