"""Supervisory reviews on the structured prompts (initial within 24 hours, then every 28 days, both
settings) and CPS steps with their dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bluestone.cases.models import Case, CaseEvent, CaseStatus, EventKind
from bluestone.investigation.models import CpsDecision, CpsStep, CpsStepKind, InvestigationPlan, ReviewKind
from bluestone.investigation.services import REVIEW_PROMPTS, cps_step_record, plan_create, review_record
from tests.factories import BASE_TIME

pytestmark = pytest.mark.django_db

ALL_YES = {code: {"answer": "yes", "note": ""} for code, _ in REVIEW_PROMPTS}


def test_the_first_review_is_initial_and_the_next_falls_due_28_days_later(case, investigator, supervisor):
    plan = plan_create(actor=investigator, case=case)
    assert plan.next_review_due_at == BASE_TIME + dt.timedelta(hours=24)
    review = review_record(actor=supervisor, case=case, answers=ALL_YES, directions="Arrest this week")
    assert review.kind == ReviewKind.INITIAL
    assert review.due_at == BASE_TIME + dt.timedelta(hours=24)
    assert InvestigationPlan.objects.get(pk=plan.pk).next_review_due_at == BASE_TIME + dt.timedelta(days=28)
    assert review_record(actor=supervisor, case=case, answers=ALL_YES).kind == ReviewKind.PERIODIC
    assert CaseEvent.objects.filter(case=case, kind=EventKind.SUPERVISORY_REVIEW).count() == 2


def test_the_review_interval_is_a_setting(case, investigator, supervisor, settings):
    settings.BLUESTONE_REVIEW_INTERVAL_DAYS = 14
    plan = plan_create(actor=investigator, case=case)
    review_record(actor=supervisor, case=case, answers=ALL_YES)
    assert InvestigationPlan.objects.get(pk=plan.pk).next_review_due_at == BASE_TIME + dt.timedelta(days=14)


def test_every_prompt_must_be_answered(case, investigator, supervisor):
    plan_create(actor=investigator, case=case)
    answers = dict(ALL_YES)
    answers.pop("early_arrest")
    with pytest.raises(ValidationError) as raised:
        review_record(actor=supervisor, case=case, answers=answers)
    assert list(raised.value.message_dict) == ["early_arrest"]
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.SUPERVISORY_REVIEW).exists()


def test_only_the_teams_supervisor_reviews(case, investigator):
    plan_create(actor=investigator, case=case)
    with pytest.raises(PermissionDenied):
        review_record(actor=investigator, case=case, answers=ALL_YES)


def test_a_case_needs_a_plan_before_a_review(case, supervisor):
    with pytest.raises(ValidationError):
        review_record(actor=supervisor, case=case, answers=ALL_YES)


def test_cps_steps_are_dated_and_on_the_timeline(case, investigator):
    cps_step_record(actor=investigator, case=case, kind=CpsStepKind.ADVICE_REQUESTED, occurred_on=dt.date(2026, 3, 1))
    cps_step_record(actor=investigator, case=case, kind=CpsStepKind.FILE_SUBMITTED, occurred_on=dt.date(2026, 3, 2))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.WITH_CPS
    with pytest.raises(ValidationError) as raised:
        cps_step_record(actor=investigator, case=case, kind=CpsStepKind.DECISION, occurred_on=dt.date(2026, 3, 3))
    assert "decision" in raised.value.message_dict
    cps_step_record(
        actor=investigator,
        case=case,
        kind=CpsStepKind.DECISION,
        occurred_on=dt.date(2026, 3, 3),
        decision=CpsDecision.CHARGE,
        reference="CPS-1",
    )
    assert list(CpsStep.objects.filter(case=case).values_list("occurred_on", flat=True)) == [
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 3),
    ]
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert [k for k in kinds if k.startswith(("cps", "file"))] == [
        EventKind.CPS_ADVICE_REQUESTED,
        EventKind.FILE_TO_CPS,
        EventKind.CPS_DECISION,
    ]


def test_a_cps_date_in_the_future_is_refused(case, investigator):
    with pytest.raises(ValidationError):
        cps_step_record(actor=investigator, case=case, kind=CpsStepKind.FILE_SUBMITTED, occurred_on=dt.date(2026, 3, 4))
    assert not CpsStep.objects.exists()
