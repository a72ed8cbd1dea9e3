"""Supervisory reviews on the operating model's prompts, and when the next falls due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse

from bluestone.accounts.models import Officer, User
from bluestone.audit.models import AuditAction
from bluestone.cases.entry import case_event_record
from bluestone.cases.events import SupervisoryReviewDue
from bluestone.cases.models import Case, CaseStatus, EventKind
from bluestone.core import clock
from bluestone.core.events import publish
from bluestone.investigation.models import InvestigationPlan, ReviewKind, SupervisoryReview
from bluestone.investigation.services._common import _audit, _require

# Configurable in settings (BLUESTONE_REVIEW_INITIAL_HOURS, BLUESTONE_REVIEW_INTERVAL_DAYS).
REVIEW_INITIAL_HOURS = 24


REVIEW_INTERVAL_DAYS = 28


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


def review_initial_delay() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "BLUESTONE_REVIEW_INITIAL_HOURS", REVIEW_INITIAL_HOURS)))


def review_interval() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "BLUESTONE_REVIEW_INTERVAL_DAYS", REVIEW_INTERVAL_DAYS)))


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
            reviewer_officer=Officer.objects.filter(user=actor).first(),
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


def reviews_due_announce(*, limit: int = 1000) -> int:
    """Announce each supervisory review that has fallen due on an open case, once for each due time
    (victims.handlers emails the team's supervisors a link to the review page). Safe to run as often as
    wanted; return how many were announced."""
    now = clock.now()
    due = (
        InvestigationPlan.objects.filter(next_review_due_at__lte=now)
        .exclude(case__status=CaseStatus.CLOSED)
        .exclude(review_due_announced_for=F("next_review_due_at"))
        .order_by("next_review_due_at")
        .values_list("pk", flat=True)[:limit]
    )
    announced = 0
    for plan_id in due:
        with transaction.atomic():
            plan = InvestigationPlan.objects.select_for_update().filter(pk=plan_id).first()
            if plan is None or plan.next_review_due_at is None or plan.next_review_due_at > now:
                continue
            if plan.review_due_announced_for == plan.next_review_due_at:
                continue
            plan.review_due_announced_for = plan.next_review_due_at
            plan.save(update_fields=["review_due_announced_for"])
            publish(
                SupervisoryReviewDue(
                    case_id=plan.case_id,
                    path=reverse("investigation:review", kwargs={"pk": plan.case_id}),
                    due_at=plan.next_review_due_at,
                )
            )
            announced += 1
    return announced
