"""Access-matrix rows for evidence (collected by tests/test_access_matrix.py).

Case evidence follows the case: investigators and supervisors of the case's team; everybody else is
refused (investigators and supervisors of another team get the break-glass prompt, status 403).
Authorising a request about a victim and destroying an exhibit are a supervisor's. The SARC register
is the SARC liaison's alone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from bluestone.core import clock
from bluestone.evidence.models import DigitalRequest, Exhibit, ExhibitMovement, SarcSample
from tests.access import (
    ALLOW,
    DENY,
    INV,
    NOT_ALLOWED,
    Route,
    World,
    outcomes,
    per_case,
)

CASE_WORKERS = per_case(
    own=outcomes(DENY, investigator=ALLOW, supervisor=ALLOW),
    other=outcomes(DENY),
    restricted=outcomes(DENY),
)
SUPERVISOR_ONLY = per_case(own=outcomes(DENY, supervisor=ALLOW), other=outcomes(DENY), restricted=outcomes(DENY))
GET_ONLY_POST = per_case(
    own=outcomes(NOT_ALLOWED, anonymous=NOT_ALLOWED),
    other=outcomes(NOT_ALLOWED, anonymous=NOT_ALLOWED),
    restricted=outcomes(NOT_ALLOWED, anonymous=NOT_ALLOWED),
)
SARC_ONLY = outcomes(DENY, sarc_liaison=ALLOW)


def _exhibit(world: World, variant: str) -> dict[str, Any]:
    case = world.cases[variant]
    officer = world.users[INV]
    taken = clock.now() - dt.timedelta(hours=2)
    exhibit = Exhibit.objects.create(
        case=case,
        reference=f"M/{uuid.uuid4().hex[:6]}",
        description="Victim's phone",
        owner="victim",
        item_kind="mobile_phone",
        how_obtained="received",
        obtained_at=taken,
        location="Store",
        return_due_at=taken + dt.timedelta(hours=24),
    )
    ExhibitMovement.objects.create(
        exhibit=exhibit,
        from_location="Victim",
        to_location="Store",
        handled_by="DC",
        moved_at=taken,
        reason="Received",
        recorded_by=officer,
        recorded_at=taken,
    )
    return {"pk": case.pk, "exhibit_id": exhibit.pk}


def _request(world: World, variant: str) -> dict[str, Any]:
    case = world.cases[variant]
    entry = DigitalRequest.objects.create(
        case=case,
        kind="victim_device",
        status="awaiting",
        line_of_enquiry="Messages",
        purpose="Account",
        necessity_rationale="Needed",
        created_by=world.users[INV],
    )
    return {"pk": case.pk, "request_id": entry.pk}


def _kind(world: World, variant: str) -> dict[str, Any]:
    return {"pk": world.cases[variant].pk, "kind": "victim_device"}


def _sample(world: World, variant: str) -> dict[str, Any]:
    sample = SarcSample.objects.create(
        sarc_reference=f"M-{uuid.uuid4().hex[:8]}",
        collected_on=clock.today() - dt.timedelta(days=30),
        storage_location="Freezer",
        consent_recorded_on=clock.today() - dt.timedelta(days=30),
    )
    return {"sample_id": sample.pk}


ROWS: dict[str, Route] = {
    "evidence:case-evidence": Route(takes_case=True, get=CASE_WORKERS),
    "evidence:exhibit-new": Route(takes_case=True, get=CASE_WORKERS, post=CASE_WORKERS),
    "evidence:exhibit": Route(takes_case=True, get=CASE_WORKERS, url_kwargs=_exhibit),
    "evidence:exhibit-move": Route(takes_case=True, get=CASE_WORKERS, post=CASE_WORKERS, url_kwargs=_exhibit),
    "evidence:exhibit-return": Route(takes_case=True, get=CASE_WORKERS, post=CASE_WORKERS, url_kwargs=_exhibit),
    "evidence:exhibit-retain": Route(takes_case=True, get=CASE_WORKERS, post=CASE_WORKERS, url_kwargs=_exhibit),
    "evidence:exhibit-replacement": Route(takes_case=True, get=CASE_WORKERS, post=CASE_WORKERS, url_kwargs=_exhibit),
    "evidence:exhibit-destroy": Route(
        takes_case=True, get=SUPERVISOR_ONLY, post=SUPERVISOR_ONLY, url_kwargs=_exhibit, notes="Supervisors only."
    ),
    "evidence:request-new": Route(takes_case=True, get=CASE_WORKERS, post=GET_ONLY_POST),
    "evidence:request-new-kind": Route(takes_case=True, get=CASE_WORKERS, post=CASE_WORKERS, url_kwargs=_kind),
    "evidence:request": Route(takes_case=True, get=CASE_WORKERS, url_kwargs=_request),
    "evidence:request-decision": Route(
        takes_case=True, get=SUPERVISOR_ONLY, post=SUPERVISOR_ONLY, url_kwargs=_request, notes="Supervisors only."
    ),
    "evidence:request-refusal": Route(takes_case=True, get=CASE_WORKERS, post=CASE_WORKERS, url_kwargs=_request),
    "evidence:request-complete": Route(takes_case=True, get=CASE_WORKERS, post=CASE_WORKERS, url_kwargs=_request),
    "evidence:request-withdraw": Route(takes_case=True, get=CASE_WORKERS, post=CASE_WORKERS, url_kwargs=_request),
    "evidence:requests-to-authorise": Route(get=outcomes(DENY, supervisor=ALLOW)),
    "evidence:sarc-register": Route(get=SARC_ONLY),
    "evidence:sarc-new": Route(get=SARC_ONLY, post=SARC_ONLY),
    "evidence:sarc-sample": Route(get=SARC_ONLY, url_kwargs=_sample),
    "evidence:sarc-link": Route(get=SARC_ONLY, post=SARC_ONLY, url_kwargs=_sample),
    "evidence:sarc-destroy": Route(get=SARC_ONLY, post=SARC_ONLY, url_kwargs=_sample),
}
