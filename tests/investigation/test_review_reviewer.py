"""Who reviewed: a user, their officer record, or (for reviews loaded from a force's earlier system)
an officer alone; never neither."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from bluestone.accounts.models import Rank
from bluestone.investigation.models import ReviewKind, SupervisoryReview
from bluestone.investigation.services import REVIEW_PROMPTS, plan_create, review_record
from tests.factories import BASE_TIME, OfficerFactory

pytestmark = pytest.mark.django_db

ALL_YES = {code: {"answer": "yes", "note": ""} for code, _ in REVIEW_PROMPTS}


def test_a_review_records_the_supervisors_officer_record_when_they_have_one(case, investigator, supervisor, team):
    plan_create(actor=investigator, case=case)
    sergeant = OfficerFactory.create(team=team, user=supervisor, rank=Rank.DS, collar_number="4242")
    review = review_record(actor=supervisor, case=case, answers=ALL_YES)
    assert (review.reviewer, review.reviewer_officer) == (supervisor, sergeant)


def test_a_supervisor_without_an_officer_record_still_reviews(case, investigator, supervisor):
    plan_create(actor=investigator, case=case)
    review = review_record(actor=supervisor, case=case, answers=ALL_YES)
    assert (review.reviewer, review.reviewer_officer) == (supervisor, None)
    assert review.reviewer_name == "Owen Price"


def test_a_review_needs_a_reviewer_or_an_officer(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisoryReview.objects.create(case=case, kind=ReviewKind.INITIAL, completed_at=BASE_TIME)
    assert not SupervisoryReview.objects.exists()


def test_the_plan_page_names_the_officer_of_a_loaded_review(case, investigator, team, signed_in):
    plan_create(actor=investigator, case=case)
    inspector = OfficerFactory.create(team=team, rank=Rank.DI, first_name="Grace", last_name="Okafor")
    SupervisoryReview.objects.create(
        case=case,
        kind=ReviewKind.PERIODIC,
        completed_at=BASE_TIME - dt.timedelta(hours=3),
        reviewer_officer=inspector,
        answers={"suspect_history": {"answer": "no", "note": ""}},
        directions="Check the suspect's history.",
    )
    html = signed_in(investigator).get(f"/cases/{case.pk}/plan/").content.decode()
    assert "28-day review by DI Grace Okafor" in html
    assert "Check the suspect&#x27;s history." in html
