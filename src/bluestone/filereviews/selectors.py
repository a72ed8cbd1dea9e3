"""Reads for case-file reviews. Every function takes the acting user and applies need-to-know itself:
a reviewer who may open the case (its team's supervisor, or someone named on it) sees its crime
reference; every other reviewer sees it pseudonymised, by its case key and without free text."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from bluestone.accounts.models import User
from bluestone.cases.models import Case, CaseEvent, Involvement, Outcome
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core.pseudonyms import age_band, case_key, person_pseudonym
from bluestone.filereviews.models import (
    CaseReview,
    Pillar,
    ReviewAction,
    ReviewAnswer,
    ReviewQuestion,
    ReviewSample,
    ReviewStatus,
    ReviewTemplate,
    Score,
)
from bluestone.filereviews.sampling import OUTCOME_GROUP_LABELS

MAX_SCORE = max(Score.values)


def require_reviewer(user: User) -> None:
    if not rules.test_rule("filereviews.review_case_files", user):
        raise PermissionDenied("Case-file reviews are for supervisors and analysts.")


def require_template_editor(user: User) -> None:
    if not rules.test_rule("filereviews.edit_review_template", user):
        raise PermissionDenied("The review template is kept by administrators.")


def template_current() -> ReviewTemplate:
    """The newest version of the review template (version 1 is loaded by a migration)."""
    template = ReviewTemplate.objects.order_by("-version").first()
    if template is None:
        raise ReviewTemplate.DoesNotExist("There is no review template.")
    return template


@dataclass(frozen=True)
class PillarQuestions:
    pillar: str
    label: str
    questions: list[ReviewQuestion]


def template_questions(template: ReviewTemplate) -> list[PillarQuestions]:
    """The template's questions grouped by pillar, pillars in the model's order."""
    by_pillar: dict[str, list[ReviewQuestion]] = defaultdict(list)
    for question in template.questions.order_by("order"):
        by_pillar[question.pillar].append(question)
    return [
        PillarQuestions(pillar=value, label=str(label), questions=by_pillar[value])
        for value, label in Pillar.choices
        if by_pillar[value]
    ]


def shows_in_full(user: User, case: Case) -> bool:
    """Whether `user` reviews `case` in full: only someone who may open the case itself."""
    return bool(rules.test_rule("cases.view_case", user, case))


def case_label(user: User, case: Case) -> str:
    return case.crime_reference if shows_in_full(user, case) else case_key(case.pk)


def sample_list(*, user: User) -> QuerySet[ReviewSample]:
    require_reviewer(user)
    return ReviewSample.objects.select_related("team", "template", "created_by").order_by("-created_at")


@dataclass(frozen=True)
class SampledCase:
    review: CaseReview
    label: str
    full: bool
    group_label: str


@dataclass
class Tally:
    """Scores against the most each question could have scored (questions not applicable left out)."""

    achieved: int = 0
    possible: int = 0
    answered: int = 0

    def add(self, score: int | None) -> None:
        if score is None:
            return
        self.achieved += score
        self.possible += MAX_SCORE
        self.answered += 1

    @property
    def share(self) -> float | None:
        return self.achieved / self.possible if self.possible else None

    @property
    def percent(self) -> str:
        """The share as a whole percentage ("67%"), or "Not scored"."""
        share = self.share
        return "Not scored" if share is None else f"{round(share * 100)}%"


@dataclass(frozen=True)
class AggregateRow:
    """One team's result overall and on each pillar (in the order of `Aggregate.pillars`)."""

    label: str
    tally: Tally
    cells: list[Tally] = field(default_factory=list)


@dataclass(frozen=True)
class Aggregate:
    pillars: list[tuple[str, str, Tally]]
    teams: list[AggregateRow]
    reviewed: int
    total: int


def sample_aggregate(*, sample: ReviewSample) -> Aggregate:
    """The sample's scores by pillar, by team, and by team and pillar (done reviews only). No personal data."""
    answers = ReviewAnswer.objects.filter(review__sample=sample, review__status=ReviewStatus.DONE).values_list(
        "question__pillar", "review__team__name", "score"
    )
    pillar_tallies: dict[str, Tally] = defaultdict(Tally)
    team_tallies: dict[str, Tally] = defaultdict(Tally)
    team_pillar: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for pillar, team, score in answers:
        pillar_tallies[pillar].add(score)
        team_tallies[team].add(score)
        team_pillar[team][pillar].add(score)
    pillars = [(value, str(label), pillar_tallies[value]) for value, label in Pillar.choices if value in pillar_tallies]
    reviews = sample.reviews.all()
    return Aggregate(
        pillars=pillars,
        teams=[
            AggregateRow(
                label=team, tally=team_tallies[team], cells=[team_pillar[team][value] for value, _l, _t in pillars]
            )
            for team in sorted(team_tallies)
        ],
        reviewed=reviews.filter(status=ReviewStatus.DONE).count(),
        total=reviews.count(),
    )


@dataclass(frozen=True)
class SampleDetail:
    sample: ReviewSample
    cases: list[SampledCase]
    aggregate: Aggregate
    actions: list[ReviewAction]
    strata: list[dict[str, object]]
    pillars: list[tuple[str, str]]


def sample_get(*, user: User, pk: uuid.UUID) -> SampleDetail:
    """One sample with its cases (restricted ones left out for anyone who may not open them)."""
    require_reviewer(user)
    sample = ReviewSample.objects.select_related("team", "template", "created_by").get(pk=pk)
    cases = []
    for review in sample.reviews.select_related("case", "team", "reviewer").order_by(
        "outcome_group", "team__name", "id"
    ):
        full = shows_in_full(user, review.case)
        if review.case.restricted and not full:
            continue
        cases.append(
            SampledCase(
                review=review,
                label=review.case.crime_reference if full else case_key(review.case_id),
                full=full,
                group_label=OUTCOME_GROUP_LABELS.get(review.outcome_group, review.outcome_group),
            )
        )
    strata = [
        {**stratum, "group_label": OUTCOME_GROUP_LABELS.get(str(stratum["group"]), stratum["group"])}
        for stratum in sample.strata
    ]
    return SampleDetail(
        sample=sample,
        cases=cases,
        aggregate=sample_aggregate(sample=sample),
        actions=list(sample.actions.select_related("owner", "team").order_by("status", "due_on")),
        strata=strata,
        pillars=[(value, str(label)) for value, label in Pillar.choices],
    )


@dataclass(frozen=True)
class ReviewedPerson:
    pseudonym: str
    role: str
    age_band: str


@dataclass(frozen=True)
class ReviewedEvent:
    label: str
    days_after_report: int


@dataclass(frozen=True)
class CaseSummary:
    """What a reviewer sees of a case beside the template: never a name, address or free text."""

    label: str
    full: bool
    offence: str
    team: str
    reported_month: dt.date
    outcome: str
    days_to_outcome: int | None
    people: list[ReviewedPerson]
    events: list[ReviewedEvent]
    person_ids: list[str]


def case_review_get(*, user: User, sample_pk: uuid.UUID, pk: uuid.UUID) -> tuple[CaseReview, CaseSummary]:
    """A sampled case and its review. Raises CaseReview.DoesNotExist for a review of another sample,
    or of a restricted case the reviewer may not open (they are not told it exists)."""
    require_reviewer(user)
    review = CaseReview.objects.select_related(
        "case", "case__offence_class", "case__team", "sample", "sample__template", "reviewer"
    ).get(pk=pk, sample_id=sample_pk)
    case = review.case
    full = shows_in_full(user, case)
    if case.restricted and not full:
        raise CaseReview.DoesNotExist
    reported_on = timezone.localdate(case.reported_at)
    involvements = list(Involvement.objects.filter(case=case).select_related("person"))
    order = [InvolvementRole.VICTIM, InvolvementRole.SUSPECT, InvolvementRole.WITNESS, InvolvementRole.REPORTER]
    involvements.sort(key=lambda i: (order.index(InvolvementRole(i.role)), person_pseudonym(i.person_id)))
    people = [
        ReviewedPerson(
            pseudonym=person_pseudonym(i.person_id),
            role=i.get_role_display(),
            age_band=age_band(i.person.date_of_birth, on=case.offence_from or reported_on),
        )
        for i in involvements
    ]
    # Event summaries and outcome rationales are free text that may name people: never shown here.
    events = [
        ReviewedEvent(
            label=e.get_kind_display(), days_after_report=(timezone.localdate(e.occurred_at) - reported_on).days
        )
        for e in CaseEvent.objects.filter(case=case).order_by("occurred_at", "id")
    ]
    outcome = Outcome.objects.select_related("outcome_type").filter(case=case).first()
    summary = CaseSummary(
        label=case.crime_reference if full else case_key(case.pk),
        full=full,
        offence=f"{case.offence_class.code} {case.offence_class.name}",
        team=case.team.name,
        reported_month=reported_on.replace(day=1),
        outcome=f"Outcome {outcome.outcome_type.code}: {outcome.outcome_type.name}" if outcome else "",
        days_to_outcome=(outcome.decided_on - reported_on).days if outcome else None,
        people=people,
        events=events,
        person_ids=[str(i.person_id) for i in involvements],
    )
    return review, summary


def review_answers(review: CaseReview) -> dict[int, ReviewAnswer]:
    return {answer.question_id: answer for answer in review.answers.all()}
