"""Access-matrix rows for the Victim tab, its forms and the team's compliance page.

A victim's records follow the case: the investigators and supervisors who may see a case (its team,
named people on a restricted case, break-glass) work its Victim tab; everyone else is refused, and an
investigator or supervisor outside the case's scope gets the break-glass prompt (403).
"""

from __future__ import annotations

from typing import Any

from bluestone.cases.models import Involvement
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core import clock
from bluestone.victims.models import Obligation, PortalMessage, Right, VictimProfile
from tests.access import ALLOW, DENY, POST_ONLY, REDIRECT, Route, World, outcomes, per_case
from tests.factories import PersonRecordFactory

TEAM_ONLY = per_case(
    own=outcomes(DENY, investigator=ALLOW, supervisor=ALLOW), other=outcomes(DENY), restricted=outcomes(DENY)
)
TEAM_REDIRECT = per_case(
    own=outcomes(DENY, investigator=REDIRECT, supervisor=REDIRECT), other=outcomes(DENY), restricted=outcomes(DENY)
)
GET_NOT_ALLOWED = per_case(own=POST_ONLY, other=POST_ONLY, restricted=POST_ONLY)


def _profile(world: World, variant: str) -> VictimProfile:
    case = world.cases[variant]
    involvement = Involvement.objects.create(
        case=case, person=PersonRecordFactory.create(), role=InvolvementRole.VICTIM
    )
    return VictimProfile.objects.create(involvement=involvement, case=case)


def _profile_kwargs(world: World, variant: str) -> dict[str, Any]:
    profile = _profile(world, variant)
    return {"pk": profile.case_id, "profile": profile.pk}


def _obligation_kwargs(world: World, variant: str) -> dict[str, Any]:
    profile = _profile(world, variant)
    duty = Obligation.objects.create(
        profile=profile,
        case=profile.case,
        right=Right.objects.get(code="update_arrest"),
        trigger_kind="suspect_arrested",
        triggered_at=clock.now(),
        due_on=clock.today(),
        enhanced=True,
    )
    return {"pk": profile.case_id, "obligation": duty.pk}


def _message_kwargs(world: World, variant: str) -> dict[str, Any]:
    profile = _profile(world, variant)
    message = PortalMessage.objects.create(profile=profile, case=profile.case, body="Hello", sent_at=clock.now())
    return {"pk": profile.case_id, "message": message.pk}


def _form_route(url_kwargs: Any) -> Route:
    # An empty POST is the form again with its errors (200) for those who may use it.
    return Route(takes_case=True, get=TEAM_ONLY, post=TEAM_ONLY, url_kwargs=url_kwargs)


ROWS: dict[str, Route] = {
    "victims:case-victim": Route(takes_case=True, get=TEAM_ONLY),
    "victims:profile-start": Route(takes_case=True, get=GET_NOT_ALLOWED, post=TEAM_REDIRECT),
    "victims:profile-edit": _form_route(_profile_kwargs),
    "victims:contact-plan": _form_route(_profile_kwargs),
    "victims:contact-record": _form_route(_profile_kwargs),
    "victims:update-post": _form_route(_profile_kwargs),
    "victims:support-change": _form_route(_profile_kwargs),
    "victims:portal-access": _form_route(_profile_kwargs),
    "victims:obligation-not-applicable": _form_route(_obligation_kwargs),
    "victims:message-read": Route(takes_case=True, get=GET_NOT_ALLOWED, post=TEAM_REDIRECT, url_kwargs=_message_kwargs),
    # The reply form: an empty POST is the form again with its error (200) for the case's team.
    "victims:message-reply": _form_route(_message_kwargs),
    "victims:team-compliance": Route(get=outcomes(DENY, supervisor=ALLOW)),
    # The case's team lifts a lock on signing in to follow the case (triage does it on its own page).
    "victims:portal-lock-lift": Route(takes_case=True, get=GET_NOT_ALLOWED, post=TEAM_REDIRECT),
    # GOV.UK Notify's delivery statuses: no sign-in, a bearer token instead. Without it (the matrix sends
    # none) every POST is refused, signed in or not (tests/victims/test_notify.py sends the right one).
    "victims:notify-callback": Route(get=POST_ONLY, post=outcomes(DENY, anonymous=DENY)),
}
