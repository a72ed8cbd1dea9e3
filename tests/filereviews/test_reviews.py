"""Drawing a sample, reviewing its cases against the template version it was drawn with, the
aggregates, actions, the template's versions, pseudonymisation and the access log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.models import Case, RestrictionReason
from bluestone.cases.services import case_restrict
from bluestone.core import clock
from bluestone.core.pseudonyms import case_key
from bluestone.filereviews.models import CaseReview, Pillar, ReviewSample, ReviewStatus, ReviewTemplate
from bluestone.filereviews.selectors import sample_aggregate, template_current
from bluestone.filereviews.services import (
    AnswerInput,
    action_create,
    case_review_record,
    sample_draw,
    template_version_save,
)
from tests.filereviews.world import DECIDED, ReviewWorld, review_world

pytestmark = pytest.mark.django_db

FROM, TO = DECIDED - dt.timedelta(days=30), DECIDED + dt.timedelta(days=30)


@pytest.fixture
def world() -> ReviewWorld:
    return review_world()


def _draw(world: ReviewWorld, *, seed: int = 42, size: int = 10, actor=None):
    return sample_draw(
        actor=actor or world.analyst, title="Dip sample", decided_from=FROM, decided_to=TO, size=size, seed=seed
    )


def _cases(sample) -> set:
    return set(sample.reviews.values_list("case_id", flat=True))


def test_a_sample_is_stratified_by_outcome_group_and_team_and_records_how_it_was_drawn(world: ReviewWorld) -> None:
    sample = _draw(world, size=10)

    assert sample.seed == 42
    assert sample.size == 10
    assert sample.template == template_current()
    assert sample.reviews.count() == 10
    strata = {(s["group"], s["team"]): (s["population"], s["drawn"]) for s in sample.strata}
    # 40 finalised cases: 20 a team, of which 6 charged, 8 victim does not support, 4 no suspect, 2 other.
    assert strata[("victim_does_not_support", "NORTH")] == (8, 2)
    assert strata[("charged", "SOUTH")] == (6, 2)
    assert sum(drawn for _, drawn in strata.values()) == 10
    assert sum(population for population, _ in strata.values()) == 40
    for review in sample.reviews.select_related("case__outcome"):
        assert review.team_id == review.case.team_id
        assert review.status == ReviewStatus.TO_DO


def test_the_same_seed_draws_the_same_cases_and_another_seed_others(world: ReviewWorld) -> None:
    first, again, other = _draw(world, seed=7), _draw(world, seed=7), _draw(world, seed=8)

    assert _cases(first) == _cases(again)
    assert _cases(first) != _cases(other)


def test_restricted_and_open_cases_are_never_sampled(world: ReviewWorld) -> None:
    restricted = world.cases[:20]
    for case in restricted:
        case_restrict(actor=world.supervisor, case=case, reason=RestrictionReason.OTHER, named_users=[])

    sample = _draw(world, size=500)

    assert _cases(sample) == {c.pk for c in world.cases[20:]}


def test_only_reviewers_draw_and_a_period_with_no_outcome_is_refused(world: ReviewWorld) -> None:
    with pytest.raises(PermissionDenied):
        _draw(world, actor=world.administrator)
    with pytest.raises(ValidationError) as refused:
        sample_draw(
            actor=world.analyst,
            title="Empty",
            decided_from=dt.date(2020, 1, 1),
            decided_to=dt.date(2020, 1, 31),
            size=5,
            seed=1,
        )
    assert "No case was finalised" in str(refused.value)


def _score_all(world: ReviewWorld, review: CaseReview, score: int | None) -> None:
    questions = review.sample.template.questions.all()
    case_review_record(
        actor=world.analyst,
        review=review,
        answers=[AnswerInput(question_id=q.pk, score=score) for q in questions],
        comment="Reviewed",
    )


def test_scores_aggregate_by_pillar_and_team(world: ReviewWorld) -> None:
    sample = _draw(world, size=10)
    north = sample.reviews.filter(team=world.north).first()
    south = sample.reviews.filter(team=world.south).first()
    assert north is not None
    assert south is not None

    _score_all(world, north, 2)
    _score_all(world, south, 1)
    aggregate = sample_aggregate(sample=sample)

    assert aggregate.reviewed == 2
    assert aggregate.total == 10
    by_team = {row.label: row.tally for row in aggregate.teams}
    assert by_team["RASSO North"].share == 1.0
    assert by_team["RASSO South"].share == 0.5
    assert by_team["RASSO North"].percent == "100%"
    by_pillar = {value: tally for value, _label, tally in aggregate.pillars}
    assert set(by_pillar) == set(Pillar.values)
    assert all(tally.share == 0.75 for tally in by_pillar.values())
    cells = {row.label: [cell.share for cell in row.cells] for row in aggregate.teams}
    assert cells == {"RASSO North": [1.0] * 6, "RASSO South": [0.5] * 6}


def test_not_applicable_answers_are_left_out_and_every_question_must_be_answered(world: ReviewWorld) -> None:
    sample = _draw(world, size=4)
    review = sample.reviews.first()
    assert review is not None
    questions = list(sample.template.questions.all())

    with pytest.raises(ValidationError):
        case_review_record(
            actor=world.analyst,
            review=review,
            answers=[AnswerInput(question_id=q.pk, score=2) for q in questions[1:]],
            comment="",
        )
    assert review.answers.count() == 0

    case_review_record(
        actor=world.analyst,
        review=review,
        answers=[AnswerInput(question_id=questions[0].pk, score=0)]
        + [AnswerInput(question_id=q.pk, score=None) for q in questions[1:]],
        comment="",
    )
    aggregate = sample_aggregate(sample=sample)
    by_pillar = {value: (tally.answered, tally.share) for value, _l, tally in aggregate.pillars}
    # The first question's pillar scored 0 of 2; every other pillar was not applicable throughout.
    assert by_pillar.pop(questions[0].pillar) == (1, 0.0)
    assert set(by_pillar.values()) == {(0, None)}


def test_a_new_template_version_leaves_earlier_samples_on_theirs(world: ReviewWorld) -> None:
    before = _draw(world, size=3)
    version = template_current().version

    saved = template_version_save(
        actor=world.administrator,
        questions={
            Pillar.SUSPECT_FOCUS: ["Was the suspect arrested early?", " "],
            Pillar.VICTIM_ENGAGEMENT: ["Kept informed?"],
        },
        note="Shorter",
    )
    after = _draw(world, size=3)

    assert saved.version == version + 1
    assert list(saved.questions.values_list("order", "pillar", "text")) == [
        (1, Pillar.SUSPECT_FOCUS, "Was the suspect arrested early?"),
        (2, Pillar.VICTIM_ENGAGEMENT, "Kept informed?"),
    ]
    before.refresh_from_db()
    assert before.template.version == version
    assert after.template == saved
    assert ReviewTemplate.objects.get(version=version).questions.count() > 2
    with pytest.raises(PermissionDenied):
        template_version_save(actor=world.analyst, questions={Pillar.USE_OF_DATA: ["Anything"]})


def test_actions_need_an_owner_and_a_due_date_not_in_the_past(world: ReviewWorld) -> None:
    sample = _draw(world, size=3)
    with pytest.raises(ValidationError) as refused:
        action_create(
            actor=world.analyst,
            sample=sample,
            pillar=Pillar.VICTIM_ENGAGEMENT,
            description="Refresher on the Victims' Code",
            owner=world.supervisor,
            due_on=clock.today() - dt.timedelta(days=1),
        )
    assert "due_on" in refused.value.error_dict

    action = action_create(
        actor=world.analyst,
        sample=sample,
        pillar=Pillar.VICTIM_ENGAGEMENT,
        description="Refresher on the Victims' Code",
        owner=world.supervisor,
        due_on=clock.today() + dt.timedelta(days=14),
        team=world.north,
    )
    assert action.owner == world.supervisor
    assert AuditEvent.objects.filter(object_id=str(action.pk), action=AuditAction.COLLECTION).exists()


# --- Pages --------------------------------------------------------------------------------------


def _review_of(sample, team) -> CaseReview:
    review = sample.reviews.filter(team=team).select_related("case").first()
    assert review is not None
    return review


def test_the_case_team_sees_the_crime_reference_and_everyone_else_the_case_key(world: ReviewWorld) -> None:
    sample = _draw(world, size=10)
    review = _review_of(sample, world.north)
    url = f"/case-file-reviews/{sample.pk}/cases/{review.pk}/"
    pages = {}
    for user in (world.supervisor, world.other_supervisor, world.analyst):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        pages[user.username] = response.content.decode()
        entry = AuditEvent.objects.filter(actor=user, case_id=review.case_id).latest("sequence")
        assert entry.action == AuditAction.CONSULTATION
        assert entry.details["view"] == ("full" if user == world.supervisor else "pseudonymised")

    reference, key = review.case.crime_reference, case_key(review.case_id)
    assert reference in pages["rev-sup"]
    for outside in ("rev-sup-south", "rev-analyst"):
        assert reference not in pages[outside]
        assert key in pages[outside]
        assert 'data-testid="pseudonymised"' in pages[outside]


def test_a_review_through_the_pages_and_the_aggregate(world: ReviewWorld) -> None:
    client = Client()
    client.force_login(world.other_supervisor)
    response = client.post(
        "/case-file-reviews/new/",
        {
            "title": "February dip sample",
            "decided_from_day": FROM.day,
            "decided_from_month": FROM.month,
            "decided_from_year": FROM.year,
            "decided_to_day": TO.day,
            "decided_to_month": TO.month,
            "decided_to_year": TO.year,
            "team": "",
            "size": "6",
            "seed": "1234",
        },
    )
    assert response.status_code == 302
    sample_url = response["Location"]
    sample = ReviewSample.objects.get(title="February dip sample")
    assert sample_url == f"/case-file-reviews/{sample.pk}/"
    assert sample.seed == 1234
    review = _review_of(sample, world.north)
    questions = list(sample.template.questions.all())

    empty = client.post(f"{sample_url}cases/{review.pk}/", {})
    assert empty.status_code == 200
    assert "Choose a score for" in empty.content.decode()
    data = {f"score_{q.pk}": "2" for q in questions} | {f"score_{questions[0].pk}": "na", "comment": "Good file"}
    assert client.post(f"{sample_url}cases/{review.pk}/", data).status_code == 302

    page = client.get(sample_url).content.decode()
    assert 'data-testid="by-pillar"' in page
    assert "100%" in page
    assert "1 of 6" in page
    review.refresh_from_db()
    assert review.status == ReviewStatus.DONE
    assert review.reviewer == world.other_supervisor
    assert AuditEvent.objects.filter(
        actor=world.other_supervisor, object_type="filereviews.ReviewSample", object_id=str(sample.pk)
    ).exists()


def test_a_restricted_case_in_a_sample_is_hidden_from_reviewers_not_named_on_it(world: ReviewWorld) -> None:
    sample = _draw(world, size=10)
    review = _review_of(sample, world.north)
    case_restrict(
        actor=world.supervisor, case=Case.objects.get(pk=review.case_id), reason=RestrictionReason.OTHER, named_users=[]
    )
    client = Client()
    client.force_login(world.analyst)

    assert client.get(f"/case-file-reviews/{sample.pk}/cases/{review.pk}/").status_code == 404
    assert str(review.pk) not in client.get(f"/case-file-reviews/{sample.pk}/").content.decode()


def test_an_administrator_saves_the_template_as_a_new_version_through_its_page(world: ReviewWorld) -> None:
    client = Client()
    client.force_login(world.administrator)
    version = template_current().version
    page = client.get("/case-file-reviews/template/").content.decode()
    assert f"Version {version}" in page
    assert "The plan started with the suspect" in page

    data = {value: "" for value in Pillar.values} | {
        Pillar.USE_OF_DATA: "Is the outcome code right?\nWere events recorded on time?",
        "note": "Use of data only",
    }
    assert client.post("/case-file-reviews/template/", {}).status_code == 200  # nothing entered: refused
    assert template_current().version == version
    assert client.post("/case-file-reviews/template/", data).status_code == 302

    current = template_current()
    assert current.version == version + 1
    assert list(current.questions.values_list("text", flat=True)) == [
        "Is the outcome code right?",
        "Were events recorded on time?",
    ]
    assert AuditEvent.objects.filter(actor=world.administrator, object_type="filereviews.ReviewTemplate").exists()
