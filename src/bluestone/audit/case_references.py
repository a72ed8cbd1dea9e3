"""How the auditor's pages name a case, without `audit` importing `cases` (which sits above it).

An entry keeps the id of the case it is about, and outlives the case. The auditor searches by crime
reference and reads the reference beside each entry, so `cases` registers a lookup in its
AppConfig.ready():

    register_case_references(CaseReferences(by_ids=..., matching=...))

Until one is registered, no case has a reference: the pages show ids, and a search by reference
finds nothing (a search by case id still works).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseReferences:
    # The crime reference of each of these cases that still exists.
    by_ids: Callable[[Collection[uuid.UUID]], dict[uuid.UUID, str]]
    # (id, crime reference) of the cases whose reference is the text, ignoring case, at most `limit`.
    matching: Callable[[str, int], list[tuple[uuid.UUID, str]]]


_lookup: list[CaseReferences] = []


def register_case_references(lookup: CaseReferences) -> None:
    _lookup[:] = [lookup]


def case_references(case_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not case_ids or not _lookup:
        return {}
    return _lookup[0].by_ids(case_ids)


def cases_with_reference(text: str, *, limit: int) -> list[tuple[uuid.UUID, str]]:
    return _lookup[0].matching(text, limit) if _lookup else []
