"""The per-case facts table (`CaseFacts`) the performance measures read.

Every service that changes what a case's facts are made of (the case itself, its people and their
roles, its outcome, its timeline) calls `facts_refresh` for that case inside its own transaction, so
the table never disagrees with the records. `facts_rebuild` writes every row afresh (the extract
load, `bluestone measures --rebuild`). Both go through `_facts_of`, so an incremental refresh and a
rebuild cannot compute a case's row differently.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from bluestone.cases.models import Case, CaseEvent, CaseFacts, EventKind, Involvement, Outcome, Role
from bluestone.core.pseudonyms import AGE_BANDS

NOT_KNOWN = "not_known"
OLDEST = 200
BATCH = 2_000

# The first event of any of these kinds is the case's "arrested or interviewed" day; the measures
# only ask whether a case reached the stage by a date.
ARRESTED_OR_INTERVIEWED = (EventKind.SUSPECT_ARRESTED, EventKind.SUSPECT_INTERVIEWED)
FACT_OF_EVENT = {
    EventKind.SUSPECT_ARRESTED: "arrested_or_interviewed_on",
    EventKind.SUSPECT_INTERVIEWED: "arrested_or_interviewed_on",
    EventKind.FILE_TO_CPS: "file_to_cps_on",
    EventKind.VICTIM_WITHDREW: "victim_withdrew_on",
}


def _age_bands() -> list[tuple[str, str, int, int]]:
    """(code, label, lowest age, age above the band) of each victim age band, as the rest of the app
    bands ages (`bluestone.core.pseudonyms.AGE_BANDS`)."""
    bands = []
    lowest = 0
    for upper, label in AGE_BANDS:
        bands.append((f"{lowest}_{upper - 1}" if lowest else f"under_{upper}", label, lowest, upper))
        lowest = upper
    bands.append((f"{lowest}_and_over", f"{lowest} and over", lowest, OLDEST))
    return bands


VICTIM_AGE_BANDS = _age_bands()


def victim_age_band(date_of_birth: dt.date | None, *, offence_from: dt.date) -> str | None:
    """The band of a victim's age in whole years on the offence's first day; `not_known` without a
    date of birth, None for an age no band holds (a date of birth after the offence)."""
    if date_of_birth is None:
        return NOT_KNOWN
    age = offence_from.year - date_of_birth.year
    if (offence_from.month, offence_from.day) < (date_of_birth.month, date_of_birth.day):
        age -= 1
    return next((code for code, _, lowest, above in VICTIM_AGE_BANDS if lowest <= age < above), None)


def _as_set(values: Iterable[str]) -> str:
    chosen = sorted({v for v in values if v})
    return f"|{'|'.join(chosen)}|" if chosen else ""


def _facts_of(case_ids: Sequence[uuid.UUID]) -> list[CaseFacts]:
    """The facts rows of these cases, computed from their records (cases that no longer exist give none)."""
    relationships: defaultdict[uuid.UUID, set[str]] = defaultdict(set)
    bands: defaultdict[uuid.UUID, set[str]] = defaultdict(set)
    suspects: set[uuid.UUID] = set()
    cases = list(
        Case.objects.filter(pk__in=case_ids)
        .order_by()
        .values_list("pk", "team_id", "offence_class__group", "recorded_at", "offence_from")
    )
    offence_from = {pk: day for pk, _, _, _, day in cases}
    for case_id, role, relationship, born in (
        Involvement.objects.filter(case__in=case_ids, role__in=[Role.SUSPECT, Role.VICTIM])
        .order_by()
        .values_list("case_id", "role", "relationship_to_victim", "person__date_of_birth")
    ):
        if role == Role.SUSPECT:
            suspects.add(case_id)
            relationships[case_id].add(relationship)
        elif case_id in offence_from:
            band = victim_age_band(born, offence_from=offence_from[case_id])
            if band:
                bands[case_id].add(band)
    outcomes = {
        case_id: (code, decided_on)
        for case_id, code, decided_on in Outcome.objects.filter(case__in=case_ids)
        .order_by()
        .values_list("case_id", "outcome_type_id", "decided_on")
    }
    firsts: defaultdict[uuid.UUID, dict[str, dt.date]] = defaultdict(dict)
    for case_id, kind, first in (
        CaseEvent.objects.filter(case__in=case_ids, kind__in=list(FACT_OF_EVENT))
        .order_by()
        .values_list("case_id", "kind")
        .annotate(first=Min("occurred_at"))
    ):
        day = timezone.localdate(first)
        name = FACT_OF_EVENT[kind]
        if name not in firsts[case_id] or day < firsts[case_id][name]:
            firsts[case_id][name] = day
    rows = []
    for case_id, team_id, group, recorded_at, _ in cases:
        code, decided_on = outcomes.get(case_id, (None, None))
        rows.append(
            CaseFacts(
                case_id=case_id,
                team_id=team_id,
                offence_group=group,
                recorded_on=timezone.localdate(recorded_at),
                has_suspect=case_id in suspects,
                relationships=_as_set(relationships[case_id]),
                victim_age_bands=_as_set(bands[case_id]),
                outcome_code=code,
                decided_on=decided_on,
                **firsts[case_id],
            )
        )
    return rows


def _batches(ids: Iterable[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    it = iter(ids)
    while batch := list(islice(it, BATCH)):
        yield batch


def facts_refresh(case_ids: Iterable[uuid.UUID]) -> None:
    """Write the facts rows of these cases afresh. Call it in the transaction that changed them."""
    with transaction.atomic():
        for batch in _batches(case_ids):
            CaseFacts.objects.filter(case__in=batch).delete()
            CaseFacts.objects.bulk_create(_facts_of(batch), batch_size=500)


def facts_rebuild() -> int:
    """Write the whole table afresh from the records; returns the number of rows."""
    with transaction.atomic():
        CaseFacts.objects.all().delete()
        written = 0
        for batch in _batches(list(Case.objects.order_by("pk").values_list("pk", flat=True))):
            written += len(CaseFacts.objects.bulk_create(_facts_of(batch), batch_size=500))
    return written
