"""What a victim reads in the portal when something happens: each event named plainly, one update per
event, the outcome in plain words with the right to review where it applies."""

from __future__ import annotations

import pytest

from bluestone.cases.entry import case_event_record
from bluestone.cases.models import EventKind, OutcomeType
from bluestone.victims.models import VictimUpdate
from bluestone.victims.services import portal_access_issue
from bluestone.victims.updates import OUTCOME_TEXT, REVIEWABLE_OUTCOMES, outcome_text
from tests.factories import OutcomeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def following(victim_case):
    portal_access_issue(actor=victim_case.investigator, profile=victim_case.profile)
    return victim_case


def _texts(vc) -> list[str]:
    return list(
        VictimUpdate.objects.filter(profile=vc.profile, automatic=True)
        .order_by("posted_at", "pk")
        .values_list("text", flat=True)
    )


def test_five_different_events_give_five_different_updates_each_naming_the_event(following):
    kinds = [
        (EventKind.SUSPECT_ARRESTED, "Someone has been arrested"),
        (EventKind.SUSPECT_BAILED, "released on bail"),
        (EventKind.BAIL_CONDITIONS_CHANGED, "bail conditions have changed"),
        (EventKind.BAIL_EXTENDED, "bail has been extended"),
        (EventKind.SUSPECT_RUI, "released under investigation"),
    ]
    for kind, _ in kinds:
        case_event_record(actor=following.investigator, case=following.case, kind=kind)

    texts = _texts(following)
    assert len(texts) == len(kinds)
    assert len(set(texts)) == len(kinds)
    # The clock is fixed in these tests, so the updates share a time: match each event to its text.
    for _, named in kinds:
        assert sum(named in text for text in texts) == 1, named
    for text in texts:
        assert "There is a change about the person in your case" not in text


def test_a_charge_opens_two_duties_but_posts_one_update(following):
    case_event_record(actor=following.investigator, case=following.case, kind=EventKind.CHARGED)

    assert _texts(following) == [
        "The suspect has been charged. The case will now go to court. "
        "Your officer will get in touch to tell you more and to answer your questions."
    ]


def test_no_further_action_tells_the_victim_of_their_right_to_review(following):
    case_event_record(actor=following.investigator, case=following.case, kind=EventKind.NO_FURTHER_ACTION)

    (text,) = _texts(following)
    assert text.startswith("The police have decided to take no further action against the suspect.")
    assert "right to ask for this decision to be reviewed" in text


@pytest.mark.parametrize(("code", "review"), [(1, False), (15, True), (16, True), (18, False), (21, True)])
def test_an_outcome_is_told_in_plain_words_with_the_right_to_review_where_it_applies(following, code, review):
    OutcomeFactory.create(case=following.case, outcome_type=OutcomeType.objects.get(code=code))
    case_event_record(actor=following.investigator, case=following.case, kind=EventKind.OUTCOME_RECORDED)

    (text,) = _texts(following)
    assert text.startswith(f"Your case has been closed: {OUTCOME_TEXT[code]}.")
    assert ("right to ask for this decision to be reviewed" in text) is review
    assert "Your officer has news about your case" not in text


def test_every_outcome_type_has_plain_words_and_no_code_number():
    for outcome in OutcomeType.objects.all():
        text = outcome_text(outcome.code)
        assert "a decision has been made" not in text, outcome.code
        assert f"outcome {outcome.code}" not in text.lower()
    assert REVIEWABLE_OUTCOMES <= set(OUTCOME_TEXT)


def test_a_victim_who_does_not_follow_online_gets_no_portal_update(victim_case):
    case_event_record(actor=victim_case.investigator, case=victim_case.case, kind=EventKind.SUSPECT_ARRESTED)
    assert _texts(victim_case) == []


def test_bail_ending_opens_the_duty_to_tell_the_victim_and_says_so_plainly(following):
    from bluestone.victims.models import Obligation  # noqa: PLC0415

    case_event_record(actor=following.investigator, case=following.case, kind=EventKind.BAIL_ENDED)

    assert Obligation.objects.filter(
        profile=following.profile, right_id="update_bail", trigger_kind="bail_ended"
    ).exists()
    (text,) = _texts(following)
    assert text.startswith("The suspect is no longer on bail")
