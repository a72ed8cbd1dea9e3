"""Crime references by case id and cases by crime reference, for the auditor's pages (registered
with `bluestone.audit.case_references`). No need-to-know: the auditor reads the log, not the case,
and a reference names no one."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from bluestone.cases.models import Case


def case_references_by_id(case_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    return dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "crime_reference"))


def cases_matching_reference(text: str, limit: int) -> list[tuple[uuid.UUID, str]]:
    return list(Case.objects.filter(crime_reference__iexact=text).values_list("pk", "crime_reference")[:limit])
