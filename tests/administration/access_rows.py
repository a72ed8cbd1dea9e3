"""The administrators' rows of the access matrix (tests/test_access_matrix.py): users, teams and
roles are for administrators only. An empty POST changes nothing: each form refuses it (200, with
its errors)."""

from __future__ import annotations

from typing import Any

from tests.access import ADM, Route, World, outcomes
from tests.access import ALLOW as OK
from tests.access import DENY as NO

ADMINISTRATORS = outcomes(NO, **{ADM: OK})


def _user(world: World, variant: str) -> dict[str, Any]:
    return {"pk": next(iter(world.users.values())).pk}


ROWS: dict[str, Route] = {
    "administration:users": Route(get=ADMINISTRATORS),
    "administration:user-new": Route(get=ADMINISTRATORS, post=ADMINISTRATORS),
    "administration:users-import": Route(get=ADMINISTRATORS, post=ADMINISTRATORS),
    "administration:user": Route(get=ADMINISTRATORS, post=ADMINISTRATORS, url_kwargs=_user),
    "administration:teams": Route(get=ADMINISTRATORS, post=ADMINISTRATORS),
}
