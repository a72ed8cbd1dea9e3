"""What the automatic portal update says when something happens on a victim's case.

Each event is named plainly ("The suspect has been charged"), so a victim who reads five updates reads
five different things. The wording avoids the suspect's name and anything a person looking over the
victim's shoulder would learn more from than the victim does; the officer follows it up in person.

An outcome is put in plain words by its Home Office code, with the victim's right to ask for a review
where the decision is one not to charge or prosecute a named suspect (the police and CPS Victims'
Right to Review schemes).
"""

from __future__ import annotations

import uuid

from bluestone.cases.models import Outcome

FOLLOW_UP = "Your officer will get in touch to tell you more and to answer your questions."

EVENT_TEXT = {
    "suspect_arrested": "Someone has been arrested in connection with your case.",
    "suspect_interviewed": "The police have interviewed the suspect under caution.",
    "suspect_voluntary_interview": (
        "The police have interviewed the suspect. It was a voluntary interview: they were not arrested."
    ),
    "suspect_bailed": (
        "The suspect has been released on bail while the police keep investigating. "
        "Bail can have conditions, for example not to contact you."
    ),
    "bail_conditions_changed": "The suspect's bail conditions have changed.",
    "bail_extended": "The suspect's bail has been extended while the police keep investigating.",
    "bail_ended": "The suspect is no longer on bail, and the bail conditions no longer apply.",
    "suspect_rui": (
        "The suspect has been released under investigation. This means they are not on bail and have no "
        "conditions, while the police keep investigating."
    ),
    "no_further_action": "The police have decided to take no further action against the suspect.",
    "not_investigated": "The police have decided not to investigate your report further.",
    "charged": "The suspect has been charged. The case will now go to court.",
}

# Events whose decision the victim may ask to have reviewed.
REVIEWABLE_EVENTS = frozenset({"no_further_action", "not_investigated"})

# Outcomes in plain words, by Home Office outcome code.
OUTCOME_TEXT = {
    1: "the suspect has been charged or summonsed to court",
    2: "the suspect has been given a caution",
    3: "the suspect has been given a caution",
    4: "the offence has been taken into consideration when the suspect was sentenced for another offence",
    5: "the suspect has died, so there can be no prosecution",
    6: "the suspect has been given a penalty notice",
    7: "the suspect has been given a formal warning",
    8: "the suspect has been given a community resolution",
    9: "the Crown Prosecution Service has decided that a prosecution is not in the public interest",
    10: "the police have decided that taking formal action is not in the public interest",
    11: "the suspect cannot be prosecuted because they are under the age of criminal responsibility",
    12: "the suspect cannot be prosecuted because they are too ill",
    13: "there can be no prosecution because a key witness has died or is too ill",
    14: "nobody has been identified who could be charged, and the investigation has stopped",
    15: "there is not enough evidence to charge the suspect",
    16: "the investigation has stopped because you did not want it to continue, or could not support it",
    17: "the time limit for a prosecution has passed",
    18: "the investigation is complete but nobody could be identified as the suspect",
    20: "another organisation is now responsible for the case",
    21: "the police have decided that further investigation is not in the public interest",
    22: "the suspect has been given a diversionary course or activity instead of a prosecution",
}

# Decisions not to charge or prosecute a named suspect: the victim may ask for a review.
REVIEWABLE_OUTCOMES = frozenset({9, 10, 15, 16, 21})

RIGHT_TO_REVIEW = (
    "You have the right to ask for this decision to be reviewed. Your officer will tell you how to ask and by when."
)


def outcome_text(code: int) -> str:
    """The update for a case closed with outcome `code`."""
    words = OUTCOME_TEXT.get(code, "a decision has been made")
    parts = [f"Your case has been closed: {words}."]
    if code in REVIEWABLE_OUTCOMES:
        parts.append(RIGHT_TO_REVIEW)
    parts.append(FOLLOW_UP)
    return " ".join(parts)


def event_update_text(*, case_id: uuid.UUID, trigger_kind: str) -> str | None:
    """What the victim's portal update says for this event on their case, or None when the event has no
    plain text of its own (the duty's general wording is used)."""
    if trigger_kind == "outcome_recorded":
        code = Outcome.objects.filter(case_id=case_id).values_list("outcome_type_id", flat=True).first()
        return outcome_text(int(code)) if code is not None else None
    text = EVENT_TEXT.get(trigger_kind)
    if text is None:
        return None
    parts = [text]
    if trigger_kind in REVIEWABLE_EVENTS:
        parts.append(RIGHT_TO_REVIEW)
    parts.append(FOLLOW_UP)
    return " ".join(parts)
