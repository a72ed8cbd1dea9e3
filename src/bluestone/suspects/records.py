"""Suspect person records from the database as an Arrow table in the linkage input format.

Only suspects are linked: the register is about suspects, and joining complainants' records across
reports is a combination of their data that this purpose does not need. Records on restricted cases
are left out, because the register and the case panels would otherwise tell people outside the named
few that the case exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import pyarrow as pa

from bluestone.cases.models import (
    IdentifierKind,
    Involvement,
    PersonAddress,
    PersonEmail,
    PersonIdentifier,
    PersonPhone,
    PersonRecord,
    Role,
)
from bluestone.linkage.constants import INPUT_COLUMNS

_BATCH = 2000


def suspect_person_ids(*, only: Iterable[uuid.UUID] | None = None) -> list[uuid.UUID]:
    """Ids of the person records that are suspects on an unrestricted case, in a stable order."""
    query = Involvement.objects.filter(role=Role.SUSPECT, case__restricted=False)
    if only is not None:
        query = query.filter(person_id__in=list(only))
    return sorted(set(query.values_list("person_id", flat=True)), key=str)


def _first_by_person(rows: Iterable[tuple[uuid.UUID, str]]) -> dict[uuid.UUID, str]:
    first: dict[uuid.UUID, str] = {}
    for person_id, value in rows:
        if value and person_id not in first:
            first[person_id] = value
    return first


def records_table(person_ids: list[uuid.UUID]) -> pa.Table:
    """The linkage input for these person records: one row each, the first of each contact detail
    (the current address first, a PNC ID before other identifiers)."""
    rows: list[dict[str, str | None]] = []
    for start in range(0, len(person_ids), _BATCH):
        batch = person_ids[start : start + _BATCH]
        people = PersonRecord.objects.filter(pk__in=batch).values_list(
            "id", "first_name", "middle_names", "last_name", "date_of_birth", "gender"
        )
        addresses = {
            person_id: (address, postcode)
            for person_id, address, postcode in PersonAddress.objects.filter(person_id__in=batch)
            .order_by("person_id", "-is_current", "id")
            .values_list("person_id", "address", "postcode")
            .reverse()  # later rows overwrite earlier ones: reversed, the first row per person wins
        }
        phones = _first_by_person(
            PersonPhone.objects.filter(person_id__in=batch)
            .order_by("person_id", "id")
            .values_list("person_id", "number")
        )
        emails = _first_by_person(
            PersonEmail.objects.filter(person_id__in=batch)
            .order_by("person_id", "id")
            .values_list("person_id", "address")
        )
        identifiers = _first_by_person(
            (person_id, value)
            for person_id, value, _kind in sorted(
                PersonIdentifier.objects.filter(person_id__in=batch).values_list("person_id", "value", "kind"),
                key=lambda row: (str(row[0]), row[2] != IdentifierKind.PNC_ID, row[1]),
            )
        )
        for person_id, first, middle, last, born, gender in people:
            address, postcode = addresses.get(person_id, ("", ""))
            rows.append(
                {
                    "record_id": str(person_id),
                    "first_name": first or None,
                    "middle_names": middle or None,
                    "last_name": last or None,
                    "date_of_birth": born.isoformat() if born else None,
                    "gender": gender if gender and gender != "unknown" else None,
                    "address": address or None,
                    "postcode": postcode or None,
                    "phone": phones.get(person_id),
                    "email": emails.get(person_id),
                    "identifier": identifiers.get(person_id),
                }
            )
    rows.sort(key=lambda row: str(row["record_id"]))
    schema = pa.schema([(name, pa.string()) for name in INPUT_COLUMNS])
    return pa.Table.from_pylist(rows, schema=schema)
