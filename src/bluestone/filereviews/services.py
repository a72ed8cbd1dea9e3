"""Writes for case-file reviews. Each checks who may do it, writes its rows and its s.62 log entry in
one transaction, or raises ValidationError (a plain English message per field) without writing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from bluestone.accounts.models import Team, User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.models import Case
from bluestone.core import clock
from bluestone.filereviews.models import (
    ActionStatus,
    CaseReview,
    Pillar,
    ReviewAction,
    ReviewAnswer,
    ReviewQuestion,
    ReviewSample,
    ReviewStatus,
    ReviewTemplate,
)
from bluestone.filereviews.sampling import Candidate, draw, outcome_group
from bluestone.filereviews.selectors import require_reviewer, require_template_editor, shows_in_full, template_current

MAX_SAMPLE = 500


def sample_candidates(*, decided_from: dt.date, decided_to: dt.date, team: Team | None = None) -> list[Candidate]:
    """Finalised cases (an outcome decided in the period), restricted ones never: a review sample is
    read by people outside the case team, and restricted cases are for the people named on them."""
    cases = Case.objects.filter(
        restricted=False, outcome__decided_on__gte=decided_from, outcome__decided_on__lte=decided_to
    )
    if team is not None:
        cases = cases.filter(team=team)
    return [
        Candidate(case_id=str(pk), group=outcome_group(code), team=team_code)
        for pk, code, team_code in cases.order_by().values_list("pk", "outcome__outcome_type_id", "team__code")
    ]


def sample_draw(
    *,
    actor: User,
    title: str,
    decided_from: dt.date,
    decided_to: dt.date,
    size: int,
    seed: int,
    team: Team | None = None,
    request: HttpRequest | None = None,
) -> ReviewSample:
    """Draw a stratified random sample of finalised cases and record how (size, seed, strata)."""
    require_reviewer(actor)
    errors = {}
    if decided_to < decided_from:
        errors["decided_to"] = "The last day must be the same as or after the first day"
    if not 1 <= size <= MAX_SAMPLE:
        errors["size"] = f"Enter a sample size from 1 to {MAX_SAMPLE}"
    if errors:
        raise ValidationError(errors)
    candidates = sample_candidates(decided_from=decided_from, decided_to=decided_to, team=team)
    if not candidates:
        raise ValidationError({"decided_from": "No case was finalised in that period: choose a longer period"})
    drawn = draw(candidates, size=size, seed=seed)
    team_ids = dict(Team.objects.values_list("code", "pk"))
    with transaction.atomic():
        sample = ReviewSample.objects.create(
            template=template_current(),
            title=title,
            decided_from=decided_from,
            decided_to=decided_to,
            team=team,
            size=size,
            seed=seed,
            strata=[
                {"group": s.group, "team": s.team, "population": s.population, "drawn": s.drawn} for s in drawn.strata
            ],
            created_by=actor,
            updated_by=actor,
        )
        CaseReview.objects.bulk_create(
            CaseReview(sample=sample, case_id=uuid.UUID(c.case_id), outcome_group=c.group, team_id=team_ids[c.team])
            for c in drawn.drawn
        )
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            request=request,
            object_type="filereviews.ReviewSample",
            object_id=sample.pk,
            details={"what": "case-file review sample drawn", "count": len(drawn.drawn), "seed": seed},
        )
    return sample


@dataclass(frozen=True)
class AnswerInput:
    question_id: int
    score: int | None
    comment: str = ""


def case_review_record(
    *,
    actor: User,
    review: CaseReview,
    answers: Sequence[AnswerInput],
    comment: str,
    request: HttpRequest | None = None,
) -> CaseReview:
    """Score every question of the sample's template version for one case (again, to change it)."""
    require_reviewer(actor)
    if review.case.restricted and not shows_in_full(actor, review.case):
        raise PermissionDenied("This case is restricted.")
    questions = set(ReviewQuestion.objects.filter(template_id=review.sample.template_id).values_list("pk", flat=True))
    given = {a.question_id for a in answers}
    if given != questions:
        raise ValidationError("Answer every question, choosing Not applicable where it does not apply")
    with transaction.atomic():
        review.answers.all().delete()
        ReviewAnswer.objects.bulk_create(
            ReviewAnswer(review=review, question_id=a.question_id, score=a.score, comment=a.comment) for a in answers
        )
        review.status = ReviewStatus.DONE
        review.reviewer = actor
        review.reviewed_at = clock.now()
        review.comment = comment
        review.updated_by = actor
        review.save()
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=review.case_id,
            object_type="filereviews.CaseReview",
            object_id=review.pk,
            details={
                "what": "case-file review scored",
                "view": "full" if shows_in_full(actor, review.case) else "pseudonymised",
            },
        )
    return review


def review_view_record(
    *, user: User, review: CaseReview, full: bool, person_ids: list[str], request: HttpRequest | None = None
) -> None:
    """Log that `user` read a sampled case on its review page (s.62 consultation)."""
    audit_record(
        actor=user,
        action=AuditAction.CONSULTATION,
        request=request,
        case=review.case_id,
        object_type="cases.Case",
        object_id=review.case_id,
        details={
            "what": "case-file review",
            "view": "full" if full else "pseudonymised",
            "person_ids": person_ids,
            "review": str(review.pk),
        },
    )


def sample_view_record(
    *, user: User, sample: ReviewSample, case_ids: list[str], request: HttpRequest | None = None
) -> None:
    """Log that `user` read a sample's page: which cases it listed (by key or reference)."""
    audit_record(
        actor=user,
        action=AuditAction.LIST,
        request=request,
        object_type="filereviews.ReviewSample",
        object_id=sample.pk,
        details={"what": "case-file review sample", "count": len(case_ids), "case_ids": case_ids},
    )


def sample_list_view_record(*, user: User, count: int, request: HttpRequest | None = None) -> None:
    audit_record(
        actor=user,
        action=AuditAction.LIST,
        request=request,
        object_type="filereviews.ReviewSample",
        details={"what": "case-file review samples", "count": count},
    )


def action_create(
    *,
    actor: User,
    sample: ReviewSample,
    pillar: str,
    description: str,
    owner: User,
    due_on: dt.date,
    team: Team | None = None,
    request: HttpRequest | None = None,
) -> ReviewAction:
    require_reviewer(actor)
    errors = {}
    if pillar not in Pillar.values:
        errors["pillar"] = "Choose the pillar the action is for"
    if not description.strip():
        errors["description"] = "Enter what is to be done"
    if due_on < timezone.localdate(clock.now()):
        errors["due_on"] = "The due date must be today or in the future"
    if not owner.is_active:
        errors["owner"] = "Choose an owner whose account is active"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = ReviewAction.objects.create(
            sample=sample,
            pillar=pillar,
            team=team,
            description=description.strip(),
            owner=owner,
            due_on=due_on,
            created_by=actor,
            updated_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            request=request,
            object_type="filereviews.ReviewAction",
            object_id=action.pk,
            details={"what": "case-file review action"},
        )
    return action


def action_complete(*, actor: User, action: ReviewAction, request: HttpRequest | None = None) -> ReviewAction:
    require_reviewer(actor)
    with transaction.atomic():
        action.status = ActionStatus.DONE
        action.updated_by = actor
        action.save(update_fields=["status", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            object_type="filereviews.ReviewAction",
            object_id=action.pk,
            details={"status": ActionStatus.DONE},
        )
    return action


def template_version_save(
    *, actor: User, questions: Mapping[str, Sequence[str]], note: str = "", request: HttpRequest | None = None
) -> ReviewTemplate:
    """Save the questions (by pillar, in order) as the template's next version. Samples drawn before
    keep the version they were drawn with."""
    require_template_editor(actor)
    cleaned = {pillar: [q.strip() for q in texts if q.strip()] for pillar, texts in questions.items()}
    errors = {
        pillar: "Each question must be 300 characters or fewer"
        for pillar, texts in cleaned.items()
        if any(len(q) > 300 for q in texts)  # noqa: PLR2004
    }
    if not any(cleaned.values()):
        errors["__all__"] = "Enter at least one question"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        latest = ReviewTemplate.objects.select_for_update().order_by("-version").first()
        template = ReviewTemplate.objects.create(
            version=(latest.version if latest else 0) + 1, note=note.strip(), created_by=actor, updated_by=actor
        )
        order = 0
        rows = []
        for pillar in Pillar.values:
            for text in cleaned.get(pillar, []):
                order += 1
                rows.append(ReviewQuestion(template=template, pillar=pillar, order=order, text=text))
        ReviewQuestion.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            object_type="filereviews.ReviewTemplate",
            object_id=template.pk,
            details={"what": f"review template version {template.version} saved", "count": len(rows)},
        )
    return template
