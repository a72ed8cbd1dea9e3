"""The administrators' rows of the access matrix (tests/test_access_matrix.py): users, teams and
roles are for administrators only. An empty POST changes nothing: each form refuses it (200, with
its errors)."""

from __future__ import annotations

from typing import Any

from bluestone.portal.models import SupportService
from tests.access import ADM, Route, World, outcomes
from tests.access import ALLOW as OK
from tests.access import DENY as NO

ADMINISTRATORS = outcomes(NO, **{ADM: OK})


def _user(world: World, variant: str) -> dict[str, Any]:
    return {"pk": next(iter(world.users.values())).pk}


def _support_service(world: World, variant: str) -> dict[str, Any]:
    service, _ = SupportService.objects.get_or_create(
        name="Hollowmere Survivors Line",
        defaults={"offer": "Listening", "area": "Everywhere", "phone": "01632 960 001"},
    )
    return {"pk": service.pk}


ROWS: dict[str, Route] = {
    "administration:users": Route(get=ADMINISTRATORS),
    "administration:user-new": Route(get=ADMINISTRATORS, post=ADMINISTRATORS),
    "administration:users-import": Route(get=ADMINISTRATORS, post=ADMINISTRATORS),
    "administration:user": Route(get=ADMINISTRATORS, post=ADMINISTRATORS, url_kwargs=_user),
    "administration:teams": Route(get=ADMINISTRATORS, post=ADMINISTRATORS),
    "administration:support-services": Route(get=ADMINISTRATORS),
    "administration:support-service-new": Route(get=ADMINISTRATORS, post=ADMINISTRATORS),
    "administration:support-service": Route(get=ADMINISTRATORS, post=ADMINISTRATORS, url_kwargs=_support_service),
}
