"""Reads for the workforce pages. Each takes the acting user and applies the rules itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, Sum

from bluestone.accounts.models import Officer, User
from bluestone.core import clock
from bluestone.workforce import conf
from bluestone.workforce.caseload import Load, TrendPoint, caseload_trend, officer_loads
from bluestone.workforce.models import CheckIn, CourseType, ExposureEntry, OfficerProfile, Screening, TrainingRecord

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class TrainingStatus:
    record: TrainingRecord
    state: str  # "current", "refresher due soon", "refresher overdue", "expired"
    overdue: bool


def training_state(record: TrainingRecord, today: dt.date) -> TrainingStatus:
    if record.expires_on is not None and record.expires_on < today:
        return TrainingStatus(record, "Expired", overdue=True)
    if record.refresher_due_on is not None and record.refresher_due_on < today:
        return TrainingStatus(record, "Refresher overdue", overdue=True)
    if record.refresher_due_on is not None and record.refresher_due_on <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return TrainingStatus(record, "Refresher due soon", overdue=False)
    return TrainingStatus(record, "Current", overdue=False)


@dataclass(frozen=True)
class CheckInRow:
    check_in: CheckIn
    readable: bool  # whether this user may read what was said


@dataclass
class OfficerOverview:
    officer: Officer
    profile: OfficerProfile
    training: list[TrainingStatus]
    missing_courses: list[CourseType]
    check_ins: list[CheckInRow]
    check_in_due: dt.date | None
    check_in_overdue: bool
    screenings: list[Screening]
    screening_due: dt.date | None
    screening_overdue: bool
    exposure: list[ExposureEntry]
    exposure_hours_90_days: float
    load: Load
    trend: list[TrendPoint] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def profile_for(officer: Officer) -> OfficerProfile:
    profile, _ = OfficerProfile.objects.get_or_create(officer=officer)
    return profile


def officer_get_visible(*, user: User, pk: int) -> Officer:
    """The officer, if this user may see their profile; otherwise DoesNotExist (a 404)."""
    officer = Officer.objects.select_related("team", "user").get(pk=pk)
    if not rules.test_rule("workforce.view_officer", user, officer):
        raise Officer.DoesNotExist
    return officer


def own_officer(*, user: User) -> Officer:
    officer = getattr(user, "officer", None)
    if officer is None or not rules.test_rule("workforce.view_own", user):
        raise PermissionDenied("Your account is not linked to an officer: ask an administrator.")
    return officer


def _latest_due(rows: list[Any]) -> dt.date | None:
    return rows[0].next_due_on if rows else None


def officer_overview(*, user: User, officer: Officer) -> OfficerOverview:
    if not rules.test_rule("workforce.view_officer", user, officer):
        raise PermissionDenied("You cannot see this officer's profile.")
    today = clock.today()
    profile = profile_for(officer)
    records = list(TrainingRecord.objects.filter(officer=officer).select_related("course"))
    training = [training_state(record, today) for record in records]
    held = {record.course_id for record in records}
    missing = list(CourseType.objects.filter(required=True, active=True).exclude(pk__in=held))
    check_ins = [
        CheckInRow(entry, rules.test_rule("workforce.read_check_in", user, entry))
        for entry in CheckIn.objects.filter(officer=officer).select_related("held_by", "officer")
    ]
    check_in_due = check_ins[0].check_in.next_due_on if check_ins else None
    screenings = list(Screening.objects.filter(officer=officer))
    screening_due = _latest_due(screenings) if profile.high_exposure else None
    exposure = list(ExposureEntry.objects.filter(officer=officer)[:20])
    since = today - dt.timedelta(days=90)
    hours = ExposureEntry.objects.filter(officer=officer, on__gte=since).aggregate(total=Sum("hours"))["total"]
    overview = OfficerOverview(
        officer=officer,
        profile=profile,
        training=training,
        missing_courses=missing,
        check_ins=check_ins,
        check_in_due=check_in_due,
        check_in_overdue=check_in_due is None or check_in_due < today,
        screenings=screenings,
        screening_due=screening_due,
        screening_overdue=profile.high_exposure and (screening_due is None or screening_due < today),
        exposure=exposure,
        exposure_hours_90_days=float(hours or 0),
        load=officer_loads(officers=[officer])[officer.pk],
        trend=caseload_trend(officers=[officer], today=today),
    )
    overview.warnings = _warnings(overview)
    return overview


def _warnings(overview: OfficerOverview) -> list[str]:
    warnings = [
        f"{status.record.course.name}: {status.state.lower()}" for status in overview.training if status.overdue
    ]
    if overview.missing_courses:
        warnings.append("Training not held: " + ", ".join(course.name for course in overview.missing_courses))
    if overview.check_in_overdue:
        warnings.append("A wellbeing check-in is due")
    if overview.screening_overdue:
        warnings.append("A psychological screening is due")
    if overview.load.over_threshold:
        warnings.append(f"Caseload over the threshold: {overview.load.summary}")
    return warnings


def overdue_refreshers(*, officers: QuerySet[Officer] | list[Officer]) -> list[TrainingStatus]:
    today = clock.today()
    records = TrainingRecord.objects.filter(officer__in=officers).select_related("course", "officer")
    return [status for status in (training_state(r, today) for r in records) if status.overdue]


@dataclass(frozen=True)
class OfficerRow:
    officer: Officer
    load: Load
    check_in_due: dt.date | None
    check_in_overdue: bool
    screening_due: dt.date | None
    screening_overdue: bool
    training_gaps: list[str]
    exposure_hours_90_days: float


@dataclass
class TeamWorkforce:
    rows: list[OfficerRow]
    threshold: float
    today: dt.date
    trend: list[TrendPoint] = field(default_factory=list)

    @property
    def over_threshold(self) -> list[OfficerRow]:
        return [row for row in self.rows if row.load.over_threshold]

    @property
    def overdue_check_ins(self) -> list[OfficerRow]:
        return [row for row in self.rows if row.check_in_overdue]

    @property
    def overdue_screenings(self) -> list[OfficerRow]:
        return [row for row in self.rows if row.screening_overdue]

    @property
    def with_training_gaps(self) -> list[OfficerRow]:
        return [row for row in self.rows if row.training_gaps]


def team_officers(*, team_id: int) -> QuerySet[Officer]:
    return Officer.objects.filter(team_id=team_id).select_related("user").order_by("last_name", "first_name")


def team_workforce(*, user: User, caseloads: bool = True) -> TeamWorkforce:
    """The supervisor's team: each officer's load, check-in and screening dates, training gaps.

    caseloads=False leaves out what the team's cases give (each load is empty, no trend): Team work
    needs only the dates, and reading every case the team has held grows with the force's history.
    """
    if not rules.test_rule("workforce.view_workforce", user):
        raise PermissionDenied("The workforce page is for supervisors of a team.")
    assert user.team_id is not None  # noqa: S101 (the rule asks for a team)
    today = clock.today()
    officers = list(team_officers(team_id=user.team_id))
    ids = [officer.pk for officer in officers]
    if caseloads:
        loads = officer_loads(officers=officers)
    else:
        empty = conf.caseload_threshold()
        loads = {officer.pk: Load(officer_id=officer.pk, threshold=empty) for officer in officers}
    next_check_in = {
        entry.officer_id: entry.next_due_on
        for entry in CheckIn.objects.filter(officer_id__in=ids).order_by("officer_id", "held_on", "created_at")
    }
    next_screening = {
        entry.officer_id: entry.next_due_on
        for entry in Screening.objects.filter(officer_id__in=ids).order_by("officer_id", "held_on", "created_at")
    }
    exposure_since = today - dt.timedelta(days=90)
    exposure = dict(
        ExposureEntry.objects.filter(officer_id__in=ids, on__gte=exposure_since)
        .values("officer_id")
        .annotate(total=Sum("hours"))
        .values_list("officer_id", "total")
    )
    high_exposure = dict(OfficerProfile.objects.filter(officer_id__in=ids).values_list("officer_id", "high_exposure"))
    required = list(CourseType.objects.filter(required=True, active=True))
    gaps: dict[int, list[str]] = {officer_id: [] for officer_id in ids}
    held = set(TrainingRecord.objects.filter(officer_id__in=ids).values_list("officer_id", "course_id"))
    for officer_id in ids:
        gaps[officer_id] = [course.name for course in required if (officer_id, course.pk) not in held]
    for status in overdue_refreshers(officers=officers):
        gaps[status.record.officer_id].append(f"{status.record.course.name} ({status.state.lower()})")
    rows = []
    for officer in officers:
        due = next_check_in.get(officer.pk)
        screening_needed = high_exposure.get(officer.pk, True)
        screening_due = next_screening.get(officer.pk) if screening_needed else None
        rows.append(
            OfficerRow(
                officer=officer,
                load=loads[officer.pk],
                check_in_due=due,
                check_in_overdue=due is None or due < today,
                screening_due=screening_due,
                screening_overdue=screening_needed and (screening_due is None or screening_due < today),
                training_gaps=gaps[officer.pk],
                exposure_hours_90_days=float(exposure.get(officer.pk) or 0),
            )
        )
    threshold = next(iter(loads.values())).threshold if loads else 0.0
    trend = caseload_trend(officers=officers, today=today) if caseloads else []
    return TeamWorkforce(rows=rows, threshold=threshold, today=today, trend=trend)


def occupational_health_referrals(*, user: User) -> QuerySet[CheckIn]:
    if not rules.test_rule("workforce.view_occupational_health", user):
        raise PermissionDenied("This page is for occupational health.")
    return (
        CheckIn.objects.filter(referred_to_occupational_health=True)
        .select_related("officer", "officer__team", "held_by")
        .order_by("-held_on")
    )


def courses_for_administration(*, user: User) -> QuerySet[CourseType]:
    if not rules.test_rule("workforce.manage_courses", user):
        raise PermissionDenied("Only administrators keep the training courses.")
    return CourseType.objects.order_by("name")
