"""The Home Office outcome rules (DOMAIN.md), as one function that every path uses.

The flags live on the OutcomeType reference data, so a force changes a rule by editing reference
data, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutcomeFacts:
    """What the rules need to know about a case and the proposed outcome."""

    has_named_suspect: bool
    victim_withdrawal_on_record: bool
    rationale: str
    victim_informed: bool
    # For the consistency rules (outcome_conflicts): what the rest of the record says.
    charge_or_cps_charge_on_record: bool = False
    suspects_on_bail: int = 0
    lines_not_started: int = 0


class OutcomeRuleFlags(Protocol):
    """The subset of OutcomeType the rules read (a model instance fits)."""

    code: int
    requires_named_suspect: bool
    requires_no_named_suspect: bool
    requires_victim_withdrawal: bool
    requires_rationale: bool
    requires_victim_informed: bool
    requires_charge_decision: bool
    requires_investigation_complete: bool


def outcome_problems(*, outcome_type: OutcomeRuleFlags, facts: OutcomeFacts) -> list[str]:
    """Every reason the outcome cannot be recorded on this case, in plain English; empty if none."""
    code = outcome_type.code
    problems: list[str] = []
    if outcome_type.requires_named_suspect and not facts.has_named_suspect:
        problems.append(
            f"Outcome {code} needs a named suspect on the case. Add the suspect, or choose another outcome."
        )
    if outcome_type.requires_no_named_suspect and facts.has_named_suspect:
        problems.append(
            f"Outcome {code} is only for cases with no suspect identified, and this case has a named suspect."
        )
    if outcome_type.requires_victim_withdrawal and not facts.victim_withdrawal_on_record:
        problems.append(
            f"Outcome {code} needs the victim's withdrawal of support on record. Record the withdrawal first."
        )
    if outcome_type.requires_rationale and not facts.rationale.strip():
        problems.append(
            f"Outcome {code} needs a rationale. Enter why further investigation is not in the public interest."
        )
    if outcome_type.requires_victim_informed and not facts.victim_informed:
        problems.append(f"Outcome {code} needs a record that the victim was told of the decision.")
    return problems


def outcome_conflicts(*, outcome_type: OutcomeRuleFlags, facts: OutcomeFacts) -> list[str]:
    """Where the outcome contradicts the rest of the record, in plain English; empty if it does not.

    Unlike `outcome_problems`, a supervisor may override these with a recorded reason: the record can
    lag behind what happened (a charge made by another force, say), but someone answers for it.
    """
    code = outcome_type.code
    conflicts: list[str] = []
    if outcome_type.requires_charge_decision and not facts.charge_or_cps_charge_on_record:
        conflicts.append(
            f"Outcome {code} needs a charge or a CPS decision to charge on record. Record the charge or the CPS "
            "decision first."
        )
    if outcome_type.requires_investigation_complete and facts.suspects_on_bail:
        conflicts.append(
            f"Outcome {code} says the investigation is complete, but a suspect is still on pre-charge bail. "
            "End the bail first."
        )
    if outcome_type.requires_investigation_complete and facts.lines_not_started:
        count = facts.lines_not_started
        lines = "line of enquiry has" if count == 1 else "lines of enquiry have"
        conflicts.append(
            f"Outcome {code} says the investigation is complete, but {count} {lines} not been started. "
            "Work them or mark them not needed first."
        )
    return conflicts
