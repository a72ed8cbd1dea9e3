"""Access-matrix rows for the portal's reporting pages and for triage (see tests/test_access_matrix.py).

The portal is public: every visitor gets the same page, and a staff member signed in on the same
browser is treated as anonymous there (tests/portal/test_portal_frame.py proves that).
"""

from __future__ import annotations

from tests.access import ALLOW, Route, outcomes

PUBLIC = outcomes(ALLOW, anonymous=ALLOW)

ROWS: dict[str, Route] = {
    "portal:start": Route(get=PUBLIC),
    "portal:support": Route(get=PUBLIC),
    "portal:cookies": Route(get=PUBLIC),
    "portal:safety": Route(get=PUBLIC),
}
