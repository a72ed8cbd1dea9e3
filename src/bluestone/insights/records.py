"""Reads the pillar apps' records for the app-record measures (`bluestone.measures.records`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from bluestone.cases.models import Case, CaseStatus, Involvement, Role
from bluestone.evidence.models import Exhibit, ItemKind, Owner
from bluestone.investigation.models import Focus, LineOfEnquiry, LineStatus
from bluestone.measures import Period, Row
from bluestone.measures import records as definitions
from bluestone.suspects.models import IdentityMember, TacticRecord, TacticStatus
from bluestone.victims.models import Feedback, Obligation, ObligationStatus, Right, VictimProfile

# A tactic in one of these states was in force at some time.
IN_FORCE = (TacticStatus.GRANTED, TacticStatus.BREACHED, TacticStatus.EXPIRED)


def record_rows(
    *, period: Period, as_of: dt.date, in_scope: QuerySet[Case], cohort: QuerySet[Case], force_wide: bool
) -> list[Row]:
    """The app-record measures. `in_scope` is every case measured, `cohort` those recorded in the period."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    as_of_end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    scope_ids = in_scope.values("pk")
    cohort_ids = cohort.values("pk")

    # Duties due in the period that applied and fell due (met, or due before the as-of day), counted
    # per right, with those met on or before their due day (the London day of `met_at`).
    met = Q(status=ObligationStatus.MET, met_at__isnull=False)
    duties = (
        Obligation.objects.filter(case__in=scope_ids, due_on__gte=period.start, due_on__lte=period.end)
        .exclude(status=ObligationStatus.NOT_APPLICABLE)
        .filter(met | Q(due_on__lt=as_of))
        .annotate(met_on=TruncDate("met_at"))
        .order_by()
        .values("right_id")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=met & Q(met_on__lte=F("due_on"))))
        .values_list("right_id", "due", "on_time")
    )
    due: dict[str, int] = {}
    on_time: dict[str, int] = {}
    for right, n_due, n_on_time in duties:
        due[right], on_time[right] = n_due, n_on_time
    # A plan is overdue when the later of its agreement and its last contact's London day, plus its
    # cadence, is before the as-of day: agreed before `as_of - cadence` and no contact since that
    # day began. Compared per plan and counted by the database, for each cadence in use.
    agreed = VictimProfile.objects.filter(
        case__in=in_scope.exclude(status=CaseStatus.CLOSED).values("pk"),
        plan_agreed_on__isnull=False,
        plan_cadence_days__isnull=False,
        plan_agreed_on__lte=as_of,
    ).order_by()
    plans = agreed.values("pk", "plan_agreed_on", "plan_cadence_days").annotate(
        last=Max("contacts__occurred_at", filter=Q(contacts__occurred_at__lt=as_of_end))
    )
    overdue = Q(pk__in=[])
    for cadence in set(agreed.values_list("plan_cadence_days", flat=True).distinct()):
        if cadence is not None:
            since = as_of - dt.timedelta(days=cadence)
            overdue |= Q(plan_cadence_days=cadence, plan_agreed_on__lt=since) & (
                Q(last__isnull=True) | Q(last__lt=dt.datetime.combine(since, dt.time.min, tzinfo=zone))
            )
    contact_plans = plans.aggregate(plans=Count("pk"), overdue=Count("pk", filter=overdue))
    feedback = Feedback.objects.filter(case__in=scope_ids, submitted_at__gte=start, submitted_at__lt=end).aggregate(
        responses=Count("pk"), **{question: Sum(question) for question in definitions.FEEDBACK_QUESTIONS}
    )
    # Of the lines on the cohort's cases, suspect_focus needs only each case's first started suspect-
    # and victim-focused line (one row per case, with both), and victim_focused_actions only the
    # intrusive ones: far fewer rows than every line.
    needed_lines = (
        LineOfEnquiry.objects.filter(plan__case__in=cohort_ids).exclude(status=LineStatus.NOT_NEEDED).order_by()
    )
    started = Q(started_at__isnull=False, started_at__lt=as_of_end)
    # suspect_focus: each case's first started suspect- and victim-focused line, compared per case
    # and counted by the database (one row back, not one per case).
    focus = (
        needed_lines.filter(started, focus__in=[Focus.SUSPECT, Focus.VICTIM])
        .values("plan__case_id")
        .annotate(
            suspect=Min("started_at", filter=Q(focus=Focus.SUSPECT)),
            victim=Min("started_at", filter=Q(focus=Focus.VICTIM)),
        )
        .aggregate(
            cases=Count("*"),
            suspect_first=Count("suspect", filter=Q(victim__isnull=True) | Q(suspect__lte=F("victim"))),
        )
    )
    actions = dict(needed_lines.exclude(intrusive_kind="").values_list("approval_state").annotate(n=Count("pk")))
    phones = [
        definitions.PhoneReturn(taken, min((t for t in (returned, replaced) if t is not None), default=None))
        for taken, returned, replaced in Exhibit.objects.filter(
            case__in=scope_ids,
            owner=Owner.VICTIM,
            item_kind=ItemKind.MOBILE_PHONE,
            return_due_at__isnull=False,
            obtained_at__gte=start,
            obtained_at__lt=end,
        )
        .order_by()
        .values_list("obtained_at", "returned_at", "replacement_provided_at")
    ]
    caseload = dict(
        in_scope.exclude(status=CaseStatus.CLOSED)
        .filter(officer__isnull=False)
        .order_by()
        .values_list("officer_id")
        .annotate(n=Count("pk"))
    )
    return [
        *definitions.code_compliance_counts(
            due, on_time, rights=list(Right.objects.filter(active=True).values_list("code", flat=True))
        ),
        *definitions.contact_overdue_counts(contact_plans["overdue"], plans=contact_plans["plans"]),
        *definitions.isva_referral_counts(
            dict(
                VictimProfile.objects.filter(case__in=cohort_ids)
                .order_by()
                .values_list("isva_status")
                .annotate(n=Count("pk"))
            )
        ),
        *definitions.feedback_totals(
            feedback["responses"], {q: feedback[q] or 0 for q in definitions.FEEDBACK_QUESTIONS}
        ),
        *definitions.suspect_focus_counts(focus["suspect_first"], cases=focus["cases"]),
        *definitions.victim_focused_action_counts(actions, cases=cohort.count()),
        *definitions.phones_returned_24h(phones),
        *_repeat_suspects(cohort_ids),
        *(_tactics(period) if force_wide else []),
        *definitions.open_caseload({str(k): v for k, v in caseload.items()}),
    ]


def _repeat_suspects(cohort_ids: QuerySet[Case, Any]) -> list[Row]:
    """Named suspects on the cohort's cases whose identity (an active one, or none) is a suspect on
    more than one case, counted by the database."""
    named = (
        Involvement.objects.filter(case__in=cohort_ids, role=Role.SUSPECT)
        .exclude(person__first_name="", person__last_name="")
        .filter(Q(person__identity_member__isnull=True) | Q(person__identity_member__identity__active=True))
        .order_by()
    )
    repeat_identities = (
        IdentityMember.objects.filter(
            identity__in=named.values("person__identity_member__identity_id"), person__involvements__role=Role.SUSPECT
        )
        .order_by()
        .values("identity_id")
        .annotate(cases=Count("person__involvements__case_id", distinct=True))
        .filter(cases__gt=1)
        .values("identity_id")
    )
    counted = named.aggregate(
        suspects=Count("pk"),
        repeat=Count("pk", filter=Q(person__identity_member__identity_id__in=repeat_identities)),
    )
    return definitions.repeat_suspect_counts(counted["repeat"], suspects=counted["suspects"])


def _tactics(period: Period) -> list[Row]:
    started = TacticRecord.objects.filter(
        status__in=IN_FORCE, starts_on__gte=period.start, starts_on__lte=period.end
    ).order_by()
    kinds = [(kind, starts_on) for kind, starts_on in started.values_list("tactic_id", "starts_on") if starts_on]
    return definitions.disruption_tactics(kinds, period=period)
