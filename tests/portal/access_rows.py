"""Access-matrix rows for the portal's reporting pages and for triage (see tests/test_access_matrix.py).

The portal is public: every visitor gets the same page, and a staff member signed in on the same
browser is treated as anonymous there (tests/portal/test_frame.py proves that). Triage's pages are
for the triage role alone.
"""

from __future__ import annotations

from typing import Any

from tests.access import ALLOW, DENY, NOT_ALLOWED, POST_ONLY, REDIRECT, TRI, Route, World, outcomes

PUBLIC = outcomes(ALLOW, anonymous=ALLOW)
EVERYONE_REDIRECTED = outcomes(REDIRECT, anonymous=REDIRECT)
TRIAGE_ONLY = outcomes(DENY, **{TRI: ALLOW})


def _a_report(world: World, variant: str) -> dict[str, Any]:
    from tests.portal.factories import OnlineReportFactory  # noqa: PLC0415 (the matrix imports rows early)

    return {"pk": OnlineReportFactory.create().pk}


ROWS: dict[str, Route] = {
    "portal:start": Route(get=PUBLIC),
    "portal:support": Route(get=PUBLIC),
    "portal:cookies": Route(get=PUBLIC),
    "portal:safety": Route(get=PUBLIC),
    # The quick exit: signs out, forgets any report in progress, and sends everyone to a neutral site.
    "portal:exit": Route(get=EVERYONE_REDIRECTED, post=EVERYONE_REDIRECTED),
    "portal:report-question": Route(
        get=PUBLIC,
        post=PUBLIC,  # an empty answer: the question again, with its error
        url_kwargs=lambda world, variant: {"step": "who"},
    ),
    "portal:report-check": Route(
        get=EVERYONE_REDIRECTED, post=EVERYONE_REDIRECTED, notes="Without a draft: back to the first question."
    ),
    "portal:report-sent": Route(
        get=EVERYONE_REDIRECTED,
        post=outcomes(NOT_ALLOWED, anonymous=NOT_ALLOWED),
        notes="Without a sent report: to the start page.",
    ),
    "triage:reports": Route(get=TRIAGE_ONLY),
    "triage:callbacks": Route(get=TRIAGE_ONLY),
    # An empty POST is the page again with its error.
    "triage:portal-locks": Route(get=TRIAGE_ONLY, post=TRIAGE_ONLY),
    "triage:report": Route(get=TRIAGE_ONLY, url_kwargs=_a_report),
    "triage:callback": Route(get=POST_ONLY, post=TRIAGE_ONLY, url_kwargs=_a_report),
    "triage:case-create": Route(get=TRIAGE_ONLY, post=TRIAGE_ONLY, url_kwargs=_a_report),
    "triage:intelligence": Route(get=TRIAGE_ONLY, post=TRIAGE_ONLY, url_kwargs=_a_report),
}
