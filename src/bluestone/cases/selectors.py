"""Reads of cases. Every function takes the acting user and applies need-to-know itself."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Literal

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from bluestone.accounts.models import Officer, User
from bluestone.accounts.models import Role as StaffRole
from bluestone.cases.models import (
    Case,
    CaseAccess,
    CaseAccessKind,
    CaseEvent,
    Involvement,
    Outcome,
    Role,
)
from bluestone.core import clock
from bluestone.core.models import OffenceClass
from bluestone.core.pseudonyms import age_band, case_key, person_pseudonym

CaseScope = Literal["mine", "team", "analysis"]

# Sort keys offered to the browser, and the columns each orders by. The crime reference is unique,
# so it settles ties and keeps pages stable.
CASE_SORTS: dict[str, tuple[str, ...]] = {
    "reported": ("reported_at", "crime_reference"),
    "crime_reference": ("crime_reference",),
    "status": ("status", "-reported_at", "crime_reference"),
    "offence": ("offence_class_id", "-reported_at", "crime_reference"),
}
DEFAULT_CASE_SORT = "-reported"
# Analysts see a case key and the month reported, never the crime reference. Crime references are
# numbered in the order cases are recorded, so any order that follows that one (the reference itself,
# the exact time reported) would let an analyst count their way back to a case's reference. Their list
# sorts by the month alone and, within it, by the case's random id (a UUID4, unrelated to the reference).
ANALYSIS_SORTS: dict[str, tuple[str, ...]] = {
    "reported": ("reported_month", "id"),
    "status": ("status", "-reported_month", "id"),
    "offence": ("offence_class_id", "-reported_month", "id"),
}

# The order people appear in on a case page.
ROLE_ORDER = [Role.VICTIM, Role.SUSPECT, Role.WITNESS, Role.REPORTER]

# Outcome 16: named suspect, victim does not support or withdraws, evidential difficulties.
OUTCOME_VICTIM_DOES_NOT_SUPPORT = 16


def case_sort_is_valid(sort: str) -> bool:
    return sort.removeprefix("-") in CASE_SORTS


def _ordering(sort: str, *, scope: CaseScope = "team") -> list[str]:
    sorts = ANALYSIS_SORTS if scope == "analysis" else CASE_SORTS
    if sort.removeprefix("-") not in sorts:
        sort = DEFAULT_CASE_SORT
    descending = sort.startswith("-")
    columns = sorts[sort.removeprefix("-")]
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


def _active(kind: CaseAccessKind) -> Q:
    now = clock.now()
    return Q(kind=kind, revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def _not_hidden_from(user: User) -> Q:
    """Unrestricted cases, and the restricted cases `user` is named on (one subquery, no extra round trip)."""
    named = CaseAccess.objects.filter(_active(CaseAccessKind.NAMED), user_id=user.pk).values("case_id")
    return Q(restricted=False) | Q(id__in=named)


def _scope_filter(*, user: User, scope: CaseScope) -> Q:
    if scope == "mine":
        if not rules.test_rule("cases.view_my_cases", user):
            raise PermissionDenied("Only investigators have a list of their own cases.")
        return Q(officer__user=user) & _not_hidden_from(user)
    if scope == "analysis":
        if not rules.test_rule("cases.view_case_analysis", user):
            raise PermissionDenied("The pseudonymised case list is for analysts.")
        # Analysts are never named on a restricted case: restricted cases are left out of analysis.
        return Q(restricted=False)
    if not rules.test_rule("cases.view_team_cases", user):
        raise PermissionDenied("Only investigators and supervisors in a team can see its cases.")
    return Q(team_id=user.team_id) & _not_hidden_from(user)


def cases_user_may_see(user: User) -> Q:
    """Every case `user` may open (the `cases.view_case` rule as one filter): their team scope and,
    for an investigator, the cases they are officer in, or a break-glass grant in force; a restricted
    case only when they are named on it."""
    if not rules.test_rule("cases.works_cases", user):
        raise PermissionDenied("Only investigators and supervisors see cases in full.")
    # The user's grants and officer record are read first (a handful of rows), so that the filter is
    # plain column comparisons: the database can then combine the team, officer and primary-key indexes
    # instead of reading every case to test a join or a subquery against each.
    grants = CaseAccess.objects.filter(
        _active(CaseAccessKind.NAMED) | _active(CaseAccessKind.BREAK_GLASS), user_id=user.pk
    ).values_list("kind", "case_id")
    named: list[uuid.UUID] = []
    glass: list[uuid.UUID] = []
    for kind, case_id in grants:
        (named if kind == CaseAccessKind.NAMED else glass).append(case_id)
    scope = Q(team_id=user.team_id) if user.team_id is not None else Q(pk__in=[])
    if user.role == StaffRole.INVESTIGATOR:
        officer = Officer.objects.filter(user=user).values_list("pk", flat=True).first()
        if officer is not None:
            scope |= Q(officer_id=officer)
    return (Q(restricted=False) & (scope | Q(id__in=glass))) | (Q(restricted=True) & Q(id__in=named))


def case_list_visible_to(*, user: User, filters: CaseFilters) -> QuerySet[Case]:
    """The cases of one list (the user's own, their team's, or an analyst's), filtered and sorted, unevaluated.

    Each filter maps onto one of Case's (column, -reported_at) indexes, so a page is one indexed query.
    Restricted cases are in a list only for the people named on them.
    """
    query = _scope_filter(user=user, scope=filters.scope)
    if filters.status:
        query &= Q(status=filters.status)
    if filters.offence_class:
        query &= Q(offence_class_id=filters.offence_class)
    reported_from, reported_to = filters.reported_from, filters.reported_to
    if filters.scope == "analysis":
        # Whole months: a filter by day would tell an analyst the day each case was reported.
        reported_from = reported_from.replace(day=1) if reported_from else None
        reported_to = _month_end(reported_to) if reported_to else None
    if reported_from:
        query &= Q(reported_at__gte=_start_of_day(reported_from))
    if reported_to:
        query &= Q(reported_at__lt=_start_of_day(reported_to + dt.timedelta(days=1)))
    cases = Case.objects.filter(query)
    if filters.scope == "analysis":
        cases = cases.annotate(reported_month=TruncMonth("reported_at"))
    return (
        cases.select_related("offence_class", "officer")
        .only(
            "id",
            "crime_reference",
            "reported_at",
            "status",
            "restricted",
            "offence_class__code",
            "offence_class__name",
            "officer__rank",
            "officer__first_name",
            "officer__last_name",
            "officer__collar_number",
        )
        .order_by(*_ordering(filters.sort, scope=filters.scope))
    )


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


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
    # Why the user may see it: "team" (their team or their own case), "named" (on a restricted case),
    # or "break_glass".
    basis: str = "team"
    break_glass_until: dt.datetime | None = None
    # Break-glass grants to this case, for a supervisor of its team; empty for everybody else.
    break_glass_accesses: list[CaseAccess] = field(default_factory=list)

    @property
    def has_people(self) -> bool:
        return any(group.involvements for group in self.people)

    @property
    def person_ids(self) -> list[str]:
        return [str(i.person_id) for group in self.people for i in group.involvements]


class BreakGlassRequired(PermissionDenied):
    """The user has no need to know this case, but may open it by giving a reason (break-glass)."""


class CaseRestricted(PermissionDenied):
    """The case is restricted and the user is not named on it: break-glass cannot open it."""


def _case_basis(user: User, case: Case) -> str:
    if case.restricted:
        return "named"
    if rules.test_rule("cases.break_glass_case", user, case):
        return "break_glass"
    return "team"


def _break_glass_grant(user: User, case: Case) -> CaseAccess | None:
    return (
        CaseAccess.objects.filter(_active(CaseAccessKind.BREAK_GLASS), case=case, user=user)
        .order_by("-expires_at")
        .first()
    )


@dataclass(frozen=True)
class CaseInScope:
    case: Case
    # Why the user may see it: "team", "named" or "break_glass" (as CaseDetail.basis).
    basis: str


def case_get_in_scope(*, user: User, pk: uuid.UUID) -> CaseInScope:
    """The case alone, if the user has a need to know it: what every tab of the case page loads.

    Raises as case_get_for_user does: Case.DoesNotExist, BreakGlassRequired, CaseRestricted, or
    PermissionDenied. Logging the view is the caller's job (it knows which people it shows).
    """
    case = Case.objects.select_related("offence_class", "team", "officer").get(pk=pk)
    if not rules.test_rule("cases.view_case", user, case):
        if rules.test_rule("cases.works_cases", user) and case.restricted:
            raise CaseRestricted("This case is restricted to the people named on it.")
        if rules.test_rule("cases.break_glass_case", user, case):
            raise BreakGlassRequired("You have no need to know this case.")
        raise PermissionDenied("You do not have access to this case.")
    return CaseInScope(case=case, basis=_case_basis(user, case))


def case_get_for_user(*, user: User, pk: uuid.UUID) -> CaseDetail:
    """One case with its people, timeline and outcome.

    Raises Case.DoesNotExist when there is no such case; BreakGlassRequired when the user has no need
    to know it but may break glass; CaseRestricted when it is restricted and they are not named on it;
    PermissionDenied when their role sees no case content.
    """
    scoped = case_get_in_scope(user=user, pk=pk)
    case, basis = scoped.case, scoped.basis
    grant = _break_glass_grant(user, case) if basis == "break_glass" else None
    outcome = Outcome.objects.select_related("outcome_type").filter(case=case).first()
    involvements = list(Involvement.objects.filter(case=case).select_related("person").order_by("person__last_name"))
    people = [
        PeopleInRole(role=role.value, label=str(role.label), involvements=[i for i in involvements if i.role == role])
        for role in ROLE_ORDER
    ]
    events = list(CaseEvent.objects.filter(case=case).order_by("-occurred_at", "-id"))
    accesses: list[CaseAccess] = []
    if user.role == StaffRole.SUPERVISOR and case.team_id == user.team_id:
        accesses = list(
            CaseAccess.objects.filter(case=case, kind=CaseAccessKind.BREAK_GLASS)
            .select_related("user")
            .order_by("-granted_at")[:20]
        )
    return CaseDetail(
        case=case,
        people=people,
        events=events,
        outcome=outcome,
        basis=basis,
        break_glass_until=grant.expires_at if grant else None,
        break_glass_accesses=accesses,
    )


def case_get_for_break_glass(*, user: User, pk: uuid.UUID) -> Case:
    """The case a user asks to break glass into, only if they may (nothing of it is shown before)."""
    case = Case.objects.get(pk=pk)
    if case.restricted and rules.test_rule("cases.works_cases", user):
        raise CaseRestricted("This case is restricted to the people named on it.")
    if not rules.test_rule("cases.break_glass_case", user, case):
        raise PermissionDenied("Break-glass access is for investigators and supervisors outside the case's team.")
    return case


def case_get_for_supervision(*, user: User, pk: uuid.UUID, rule: str) -> Case:
    """A case a supervisor acts on (restrict it, record a case need), checked against `rule`."""
    case = Case.objects.select_related("team", "officer").get(pk=pk)
    if not rules.test_rule(rule, user, case):
        raise PermissionDenied("Only a supervisor of the case's team can do this.")
    return case


def break_glass_for_team(*, user: User) -> QuerySet[CaseAccess]:
    """Break-glass grants to the cases of the supervisor's team, newest first."""
    if not rules.test_rule("cases.view_team_break_glass", user) or user.team_id is None:
        raise PermissionDenied("This list is for supervisors of a team.")
    return (
        CaseAccess.objects.filter(kind=CaseAccessKind.BREAK_GLASS, case__team_id=user.team_id)
        .select_related("case", "user", "user__team")
        .order_by("-granted_at")
    )


def break_glass_log(*, user: User) -> QuerySet[CaseAccess]:
    """Every break-glass grant in the force, newest first, for auditors (no case content)."""
    if not rules.test_rule("cases.view_break_glass_log", user):
        raise PermissionDenied("The break-glass log is for auditors.")
    return (
        CaseAccess.objects.filter(kind=CaseAccessKind.BREAK_GLASS)
        .select_related("case__team", "user", "user__team")
        .only(
            "id",
            "granted_at",
            "expires_at",
            "justification",
            "case__id",
            "case__team__name",
            "user__username",
            "user__first_name",
            "user__last_name",
            "user__role",
            "user__team__name",
        )
        .order_by("-granted_at")
    )


@dataclass(frozen=True)
class PseudonymisedPerson:
    """A person on a case as an analyst sees them: no name, date of birth, address or contact details,
    except a suspect's name and date of birth once a case need is recorded."""

    pseudonym: str
    role: str
    role_label: str
    gender: str
    age_band: str
    relationship: str = ""
    named: bool | None = None  # suspects only: whether the suspect is named (outcomes 15 and 16 need it)
    identity_name: str = ""
    identity_date_of_birth: dt.date | None = None


@dataclass(frozen=True)
class PseudonymisedEvent:
    label: str
    month: dt.date
    days_after_report: int


@dataclass(frozen=True)
class AnalysisCaseDetail:
    """A case without anything that could identify the complainant (Sexual Offences (Amendment) Act 1992)."""

    pk: uuid.UUID
    key: str
    offence: str
    offence_group: str
    status: str
    status_label: str
    reported_month: dt.date
    non_recent: bool
    how_reported: str
    team: str
    people: list[PseudonymisedPerson]
    events: list[PseudonymisedEvent]
    outcome: str
    outcome_days_after_report: int | None
    victim_informed: bool | None
    case_need_until: dt.datetime | None
    person_ids: list[str]


def _month(value: dt.datetime | dt.date) -> dt.date:
    day = timezone.localdate(value) if isinstance(value, dt.datetime) else value
    return day.replace(day=1)


def analysis_case_get(*, user: User, pk: uuid.UUID) -> AnalysisCaseDetail:
    """One case, pseudonymised for an analyst. Raises Case.DoesNotExist for no such case and for a
    restricted one (analysts are not told it exists), PermissionDenied for any other role."""
    if not rules.test_rule("cases.view_case_analysis", user):
        raise PermissionDenied("The pseudonymised case view is for analysts.")
    case = Case.objects.select_related("offence_class", "team").get(pk=pk)
    if not rules.test_rule("cases.view_case_pseudonymised", user, case):
        raise Case.DoesNotExist
    identities = rules.test_rule("cases.view_suspect_identities", user, case)
    case_need_until = None
    if identities:
        grant = (
            CaseAccess.objects.filter(_active(CaseAccessKind.CASE_NEED), case=case, user=user)
            .order_by("-expires_at")
            .first()
        )
        case_need_until = grant.expires_at if grant else None
    reported_on = timezone.localdate(case.reported_at)
    involvements = list(Involvement.objects.filter(case=case).select_related("person"))
    involvements.sort(key=lambda i: (ROLE_ORDER.index(Role(i.role)), person_pseudonym(i.person_id)))
    people = []
    for involvement in involvements:
        person = involvement.person
        is_suspect = involvement.role == Role.SUSPECT
        show_identity = is_suspect and identities
        people.append(
            PseudonymisedPerson(
                pseudonym=person_pseudonym(person.pk),
                role=involvement.role,
                role_label=involvement.get_role_display(),
                gender=person.get_gender_display(),
                age_band=age_band(person.date_of_birth, on=case.offence_from or reported_on),
                relationship=involvement.get_relationship_to_victim_display() if is_suspect else "",
                named=person.is_named if is_suspect else None,
                identity_name=person.full_name if show_identity else "",
                identity_date_of_birth=person.date_of_birth if show_identity else None,
            )
        )
    # Event summaries and outcome rationales are free text that may name people: never shown here.
    events = [
        PseudonymisedEvent(
            label=event.get_kind_display(),
            month=_month(event.occurred_at),
            days_after_report=(timezone.localdate(event.occurred_at) - reported_on).days,
        )
        for event in CaseEvent.objects.filter(case=case).order_by("occurred_at", "id")
    ]
    outcome = Outcome.objects.select_related("outcome_type").filter(case=case).first()
    return AnalysisCaseDetail(
        pk=case.pk,
        key=case_key(case.pk),
        offence=f"{case.offence_class.code} {case.offence_class.name}",
        offence_group=case.offence_class.get_group_display(),
        status=case.status,
        status_label=case.get_status_display(),
        reported_month=_month(case.reported_at),
        non_recent=case.non_recent,
        how_reported=case.get_how_reported_display(),
        team=case.team.name,
        people=people,
        events=events,
        outcome=f"Outcome {outcome.outcome_type.code}: {outcome.outcome_type.name}" if outcome else "",
        outcome_days_after_report=(outcome.decided_on - reported_on).days if outcome else None,
        victim_informed=outcome.victim_informed if outcome else None,
        case_need_until=case_need_until,
        person_ids=[str(i.person_id) for i in involvements],
    )


def analysis_case_get_for_case_need(*, user: User, pk: uuid.UUID) -> Case:
    """The case an analyst records their own case need on."""
    if not rules.test_rule("cases.view_case_analysis", user):
        raise PermissionDenied("Only analysts record their own case need.")
    case = Case.objects.get(pk=pk)
    if not rules.test_rule("cases.record_own_case_need", user, case):
        raise Case.DoesNotExist
    return case


def analysts() -> QuerySet[User]:
    """Active analysts, for a supervisor choosing whom to record a case need for (no case data)."""
    return User.objects.filter(role=StaffRole.ANALYST, is_active=True).order_by("last_name", "first_name", "username")


def offence_class_choices() -> list[tuple[str, str]]:
    """The offence classes a case list can be filtered by (reference data: no need-to-know)."""
    return list(OffenceClass.objects.filter(active=True).order_by("code").values_list("code", "name"))
