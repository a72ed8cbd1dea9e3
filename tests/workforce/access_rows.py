"""The workforce rows of the access matrix (tests/test_access_matrix.py).

The officer in the matrix is the investigator's own (in the users' team). Their profile: the officer,
the team's supervisors and occupational health; anyone else is not told the officer exists (404). What
a supervisor records on it: the team's supervisors only. A check-in the matrix supervisor held: its
page opens for the officer, that supervisor and occupational health (who read its words, see
test_check_in_privacy.py), 404 for everyone else. An empty POST changes nothing: each form refuses it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bluestone.workforce.models import CheckIn, CourseType
from tests.access import ADM, INV, OH, SIGN_IN, SUP, Route, World, outcomes
from tests.access import ALLOW as OK
from tests.access import DENY as NO
from tests.access import HIDDEN as GONE


def _officer(world: World, variant: str) -> dict[str, Any]:
    return {"pk": world.cases["own"].officer_id}


def _check_in(world: World, variant: str) -> dict[str, Any]:
    officer = world.cases["own"].officer
    assert officer is not None
    entry = CheckIn.objects.filter(officer=officer).first() or CheckIn.objects.create(
        officer=officer,
        held_by=world.users[SUP],
        held_on=dt.date(2026, 2, 1),
        notes="Private",
        next_due_on=dt.date(2026, 5, 1),
    )
    return {"pk": entry.pk}


def _course(world: World, variant: str) -> dict[str, Any]:
    return {"pk": CourseType.objects.order_by("pk").values_list("pk", flat=True)[0]}


OFFICER_PAGE = outcomes(GONE, **{INV: OK, SUP: OK, OH: OK})
RECORD_FOR_OFFICER = outcomes(GONE, **{INV: NO, SUP: OK, OH: NO})
ADMINISTRATORS = outcomes(NO, **{ADM: OK})
STAFF = outcomes(OK, anonymous=SIGN_IN)


def _note(world: World, variant: str) -> dict[str, Any]:
    return {"key": "bail"}


def _version(world: World, variant: str) -> dict[str, Any]:
    return {"key": "bail", "number": 1}


ROWS: dict[str, Route] = {
    "workforce:team": Route(get=outcomes(NO, **{SUP: OK})),
    # Whoever is an officer: the matrix investigator is; the other users have no officer record.
    "workforce:mine": Route(get=outcomes(NO, **{INV: OK})),
    "workforce:exposure": Route(get=outcomes(NO, **{INV: OK}), post=outcomes(NO, **{INV: OK})),
    "workforce:officer": Route(get=OFFICER_PAGE, url_kwargs=_officer),
    "workforce:officer-profile": Route(get=RECORD_FOR_OFFICER, post=RECORD_FOR_OFFICER, url_kwargs=_officer),
    "workforce:training-new": Route(get=RECORD_FOR_OFFICER, post=RECORD_FOR_OFFICER, url_kwargs=_officer),
    "workforce:check-in-new": Route(get=RECORD_FOR_OFFICER, post=RECORD_FOR_OFFICER, url_kwargs=_officer),
    "workforce:screening-new": Route(get=RECORD_FOR_OFFICER, post=RECORD_FOR_OFFICER, url_kwargs=_officer),
    "workforce:check-in": Route(get=OFFICER_PAGE, url_kwargs=_check_in),
    "workforce:occupational-health": Route(get=outcomes(NO, **{OH: OK})),
    "workforce:courses": Route(get=ADMINISTRATORS),
    "workforce:course-new": Route(get=ADMINISTRATORS, post=ADMINISTRATORS),
    "workforce:course": Route(get=ADMINISTRATORS, post=ADMINISTRATORS, url_kwargs=_course),
    # Guidance: every member of staff reads it; administrators edit it.
    "guidance:search": Route(get=STAFF),
    "guidance:note": Route(get=STAFF, url_kwargs=_note),
    "guidance:version": Route(get=STAFF, url_kwargs=_version),
    "guidance:edit": Route(get=ADMINISTRATORS, post=ADMINISTRATORS, url_kwargs=_note),
    "guidance:new": Route(get=ADMINISTRATORS, post=ADMINISTRATORS),
}
