"""Access-matrix rows for "Follow my case" (see tests/test_access_matrix.py).

The portal has its own sign-in: every staff role is anonymous there (portal/pages.py), so every row
is the same for everybody. Without a portal session the signed-in pages send the visitor to the
portal's sign-in page (a redirect, never to the staff sign-in).
"""

from __future__ import annotations

from tests.access import ALLOW, NOT_ALLOWED, REDIRECT, Route, outcomes

EVERYONE_ALLOWED = outcomes(ALLOW, anonymous=ALLOW)
EVERYONE_REDIRECTED = outcomes(REDIRECT, anonymous=REDIRECT)
EVERYONE_NOT_ALLOWED = outcomes(NOT_ALLOWED, anonymous=NOT_ALLOWED)

ROWS: dict[str, Route] = {
    # An empty POST is the page again with its errors.
    "portal:follow-sign-in": Route(get=EVERYONE_ALLOWED, post=EVERYONE_ALLOWED),
    "portal:follow-new-code": Route(get=EVERYONE_ALLOWED, post=EVERYONE_ALLOWED),
    "portal:follow-set-check": Route(get=EVERYONE_REDIRECTED, post=EVERYONE_REDIRECTED),
    "portal:follow-updates": Route(get=EVERYONE_REDIRECTED, post=EVERYONE_NOT_ALLOWED),
    "portal:follow-messages": Route(get=EVERYONE_REDIRECTED, post=EVERYONE_REDIRECTED),
    "portal:follow-preferences": Route(get=EVERYONE_REDIRECTED, post=EVERYONE_REDIRECTED),
    "portal:follow-feedback": Route(get=EVERYONE_REDIRECTED, post=EVERYONE_REDIRECTED),
    "portal:follow-sign-out": Route(get=EVERYONE_NOT_ALLOWED, post=EVERYONE_REDIRECTED),
}
