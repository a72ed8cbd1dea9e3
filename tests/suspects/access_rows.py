"""Access-matrix rows for the suspects app: the register, identities, link review and tactics are for
analysts and supervisors; nobody else may use them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bluestone.core import clock
from tests.access import ALLOW, DENY, POST_ONLY, REDIRECT, Route, World, outcomes

ANALYSTS_AND_SUPERVISORS = outcomes(DENY, analyst=ALLOW, supervisor=ALLOW)


def _pair_records(world: World) -> tuple[Any, Any]:
    from tests.suspects.factories import suspect_on  # noqa: PLC0415 (needs the database, built per test)

    return suspect_on(world.cases["own"]), suspect_on(world.cases["other"])


def _identity(world: World, _variant: str) -> dict[str, Any]:
    from tests.suspects.factories import explanation, identity_of  # noqa: PLC0415

    a, b = _pair_records(world)
    explanation(a, b, probability=0.97)
    return {"pk": identity_of(a, b).pk}


def _pair(world: World, _variant: str) -> dict[str, Any]:
    from tests.suspects.factories import explanation  # noqa: PLC0415

    a, b = _pair_records(world)
    return {"pk": explanation(a, b, probability=0.7).pk}


def _review(world: World, variant: str) -> dict[str, Any]:
    _pair(world, variant)  # one proposed link in the queue: the page sends the reviewer to it
    return {}


def _tactic(world: World, variant: str) -> dict[str, Any]:
    from bluestone.suspects.models import Identity  # noqa: PLC0415
    from tests.suspects.factories import tactic_for  # noqa: PLC0415

    identity = Identity.objects.get(pk=_identity(world, variant)["pk"])
    record = tactic_for(identity, owner=world.users["analyst"], review_on=clock.today() + dt.timedelta(days=30))
    return {"pk": record.pk}


ROWS: dict[str, Route] = {
    "suspects:register": Route(get=ANALYSTS_AND_SUPERVISORS),
    # Analysts start a run; with the matrix's handful of records it fails, and the run says why.
    "suspects:run": Route(get=POST_ONLY, post=outcomes(DENY, analyst=REDIRECT)),
    "suspects:disparity": Route(get=ANALYSTS_AND_SUPERVISORS),
    "suspects:identity": Route(get=ANALYSTS_AND_SUPERVISORS, url_kwargs=_identity),
    # An empty POST is the form again with its errors.
    "suspects:identity-split": Route(get=ANALYSTS_AND_SUPERVISORS, post=ANALYSTS_AND_SUPERVISORS, url_kwargs=_identity),
    "suspects:identity-merge": Route(get=ANALYSTS_AND_SUPERVISORS, post=ANALYSTS_AND_SUPERVISORS, url_kwargs=_identity),
    "suspects:tactic-add": Route(get=ANALYSTS_AND_SUPERVISORS, post=ANALYSTS_AND_SUPERVISORS, url_kwargs=_identity),
    "suspects:tactic-update": Route(get=ANALYSTS_AND_SUPERVISORS, post=ANALYSTS_AND_SUPERVISORS, url_kwargs=_tactic),
    "suspects:review": Route(get=outcomes(DENY, analyst=REDIRECT, supervisor=REDIRECT), url_kwargs=_review),
    "suspects:pair": Route(get=ANALYSTS_AND_SUPERVISORS, post=ANALYSTS_AND_SUPERVISORS, url_kwargs=_pair),
    # Only analysts record a case need (the form again with its errors); supervisors see names by team.
    "suspects:pair-case-need": Route(get=POST_ONLY, post=outcomes(DENY, analyst=ALLOW), url_kwargs=_pair),
}
