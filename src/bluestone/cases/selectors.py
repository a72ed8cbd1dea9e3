"""Reads of cases. Every function takes the acting user and applies need-to-know itself."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bluestone.accounts.models import User
from bluestone.cases.models import Case, CaseEvent, CaseStatus, Involvement, Outcome, Role
from bluestone.core import clock
from bluestone.core.models import OffenceClass, OffenceGroup

CaseScope = Literal["mine", "team"]

# Sort keys offered to the browser, and the columns each orders by. The crime reference is unique,
# so it settles ties and keeps pages stable.
CASE_SORTS: dict[str, tuple[str, ...]] = {
    "reported": ("reported_at", "crime_reference"),
    "crime_reference": ("crime_reference",),
    "status": ("status", "-reported_at", "crime_reference"),
    "offence": ("offence_class_id", "-reported_at", "crime_reference"),
}
DEFAULT_CASE_SORT = "-reported"

# The order people appear in on a case page.
ROLE_ORDER = [Role.VICTIM, Role.SUSPECT, Role.WITNESS, Role.REPORTER]

# Outcome 16: named suspect, victim does not support or withdraws, evidential difficulties.
OUTCOME_VICTIM_DOES_NOT_SUPPORT = 16


def case_sort_is_valid(sort: str) -> bool:
    return sort.removeprefix("-") in CASE_SORTS


def _ordering(sort: str) -> list[str]:
    if not case_sort_is_valid(sort):
        sort = DEFAULT_CASE_SORT
    descending = sort.startswith("-")
    columns = CASE_SORTS[sort.removeprefix("-")]
    ordering = [columns[0]]
    if descending:
        ordering = [f"-{columns[0]}"]
    return ordering + list(columns[1:])


@dataclass(frozen=True)
class CaseFilters:
    """What a case list shows; every field has already been validated."""

    scope: CaseScope
    status: str = ""
    offence_class: str = ""
    reported_from: dt.date | None = None
    reported_to: dt.date | None = None
    sort: str = DEFAULT_CASE_SORT


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _scope_filter(*, user: User, scope: CaseScope) -> Q:
    if scope == "mine":
        if not rules.test_rule("cases.view_my_cases", user):
            raise PermissionDenied("Only investigators have a list of their own cases.")
        return Q(officer__user=user)
    if not rules.test_rule("cases.view_team_cases", user):
        raise PermissionDenied("Only investigators and supervisors in a team can see its cases.")
    return Q(team_id=user.team_id)


def case_list_visible_to(*, user: User, filters: CaseFilters) -> QuerySet[Case]:
    """The cases of one list (the user's own, or their team's), filtered and sorted, unevaluated.

    Each filter maps onto one of Case's (column, -reported_at) indexes, so a page is one indexed query.
    """
    query = _scope_filter(user=user, scope=filters.scope)
    if filters.status:
        query &= Q(status=filters.status)
    if filters.offence_class:
        query &= Q(offence_class_id=filters.offence_class)
    if filters.reported_from:
        query &= Q(reported_at__gte=_start_of_day(filters.reported_from))
    if filters.reported_to:
        query &= Q(reported_at__lt=_start_of_day(filters.reported_to + dt.timedelta(days=1)))
    return (
        Case.objects.filter(query)
        .select_related("offence_class", "officer")
        .only(
            "id",
            "crime_reference",
            "reported_at",
            "status",
            "offence_class__code",
            "offence_class__name",
            "officer__rank",
            "officer__first_name",
            "officer__last_name",
            "officer__collar_number",
        )
        .order_by(*_ordering(filters.sort))
    )


# Headings for more than one person in a role.
_ROLE_PLURALS = {
    Role.VICTIM: "Victims",
    Role.SUSPECT: "Suspects",
    Role.WITNESS: "Witnesses",
    Role.REPORTER: "Reporters",
}


@dataclass(frozen=True)
class PeopleInRole:
    role: str
    label: str
    involvements: list[Involvement]

    @property
    def heading(self) -> str:
        return _ROLE_PLURALS[Role(self.role)] if len(self.involvements) > 1 else self.label


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    people: list[PeopleInRole]
    events: list[CaseEvent]
    outcome: Outcome | None

    @property
    def has_people(self) -> bool:
        return any(group.involvements for group in self.people)


def case_get_for_user(*, user: User, pk: uuid.UUID) -> CaseDetail:
    """One case with its people, timeline and outcome.

    Raises Case.DoesNotExist when there is no such case, and PermissionDenied when the user has no
    need to know it.
    """
    case = Case.objects.select_related("offence_class", "team", "officer").get(pk=pk)
    if not rules.test_rule("cases.view_case", user, case):
        raise PermissionDenied("You do not have access to this case.")
    outcome = Outcome.objects.select_related("outcome_type").filter(case=case).first()
    involvements = list(Involvement.objects.filter(case=case).select_related("person").order_by("person__last_name"))
    people = [
        PeopleInRole(role=role.value, label=str(role.label), involvements=[i for i in involvements if i.role == role])
        for role in ROLE_ORDER
    ]
    events = list(CaseEvent.objects.filter(case=case).order_by("-occurred_at", "-id"))
    return CaseDetail(case=case, people=people, events=events, outcome=outcome)


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


@dataclass(frozen=True)
class ForceOverview:
    """Force-wide counts. Counts only: nothing here names or describes a person."""

    total_cases: int
    open_cases: int
    reported_last_12_months: int
    by_status: list[Tally]
    by_offence_group: list[Tally]
    cases_with_outcome: int
    outcome_16: int
    charged: int
    as_of: dt.date = field(default_factory=clock.today)

    @property
    def outcome_16_share(self) -> float | None:
        return self.outcome_16 / self.cases_with_outcome if self.cases_with_outcome else None

    @property
    def charge_rate(self) -> float | None:
        return self.charged / self.cases_with_outcome if self.cases_with_outcome else None


def force_overview(*, user: User) -> ForceOverview:
    """Headline counts for the whole force, from four aggregate queries."""
    if not rules.test_rule("cases.view_force_overview", user):
        raise PermissionDenied("The force overview is for supervisors and analysts.")
    year_ago = clock.now() - dt.timedelta(days=365)
    totals: dict[str, Any] = Case.objects.aggregate(
        total=Count("id"),
        open=Count("id", filter=~Q(status=CaseStatus.CLOSED)),
        recent=Count("id", filter=Q(reported_at__gte=year_ago)),
    )
    status_counts = dict(Case.objects.order_by().values_list("status").annotate(n=Count("id")))
    group_counts = dict(Case.objects.order_by().values_list("offence_class__group").annotate(n=Count("id")))
    outcomes: dict[str, Any] = Outcome.objects.aggregate(
        total=Count("id"),
        outcome_16=Count("id", filter=Q(outcome_type_id=OUTCOME_VICTIM_DOES_NOT_SUPPORT)),
        charged=Count("id", filter=Q(outcome_type__is_charge=True)),
    )
    return ForceOverview(
        total_cases=totals["total"],
        open_cases=totals["open"],
        reported_last_12_months=totals["recent"],
        by_status=[Tally(label=str(s.label), count=status_counts.get(s.value, 0)) for s in CaseStatus],
        by_offence_group=[Tally(label=str(g.label), count=group_counts.get(g.value, 0)) for g in OffenceGroup],
        cases_with_outcome=outcomes["total"],
        outcome_16=outcomes["outcome_16"],
        charged=outcomes["charged"],
    )


def offence_class_choices() -> list[tuple[str, str]]:
    """The offence classes a case list can be filtered by (reference data: no need-to-know)."""
    return list(OffenceClass.objects.filter(active=True).order_by("code").values_list("code", "name"))
