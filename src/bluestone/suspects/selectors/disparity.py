"""Disparity: how the register's identities fall across groups."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from bluestone.accounts.models import User
from bluestone.cases.models import Involvement, PersonRecord, Role
from bluestone.core.pseudonyms import age_band
from bluestone.suspects.models import IdentityMember
from bluestone.suspects.selectors._common import _require


@dataclass(frozen=True)
class DisparityRow:
    value: str
    all_count: int
    all_share: float
    flagged_count: int
    flagged_share: float

    @property
    def ratio(self) -> float | None:
        return self.flagged_share / self.all_share if self.all_share else None


@dataclass(frozen=True)
class DisparityReport:
    all_suspects: int
    flagged: int
    by: dict[str, list[DisparityRow]]


def disparity_report(*, user: User) -> DisparityReport:
    """Flagged (repeat) suspects against all suspect records, by age band, sex and ethnicity where
    recorded: counts only. A share far from the all-suspects share is a question for the analyst."""
    _require(user, "suspects.view_register", "The disparity report is for analysts and supervisors.")
    flagged_ids = set(
        IdentityMember.objects.filter(identity__active=True, identity__report_count__gte=2).values_list(
            "person_id", flat=True
        )
    )
    rows = Involvement.objects.filter(role=Role.SUSPECT, case__restricted=False).values_list(
        "person_id", "person__gender", "person__ethnicity", "person__date_of_birth", "case__offence_from"
    )
    tallies: dict[str, dict[str, list[int]]] = {"Age band": {}, "Sex": {}, "Ethnicity": {}}
    labels = dict(PersonRecord._meta.get_field("gender").choices or [])
    seen: set[uuid.UUID] = set()
    for person_id, gender, ethnicity, born, offence_from in rows:
        if person_id in seen:
            continue
        seen.add(person_id)
        flagged = person_id in flagged_ids
        for dimension, value in (
            ("Age band", age_band(born, on=offence_from)),
            ("Sex", str(labels.get(gender, "Not known"))),
            ("Ethnicity", ethnicity or "Not recorded"),
        ):
            tally = tallies[dimension].setdefault(value, [0, 0])
            tally[0] += 1
            tally[1] += int(flagged)
    total, flagged_total = len(seen), len(seen & flagged_ids)
    by = {
        dimension: [
            DisparityRow(
                value=value,
                all_count=counts[0],
                all_share=counts[0] / total if total else 0.0,
                flagged_count=counts[1],
                flagged_share=counts[1] / flagged_total if flagged_total else 0.0,
            )
            for value, counts in sorted(values.items(), key=lambda item: (-item[1][0], item[0]))
        ]
        for dimension, values in tallies.items()
    }
    return DisparityReport(all_suspects=total, flagged=flagged_total, by=by)
