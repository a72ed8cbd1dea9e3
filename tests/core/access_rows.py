"""Access-matrix rows for liveness, readiness and the site's icon (see tests/test_access_matrix.py):
open to anyone, since a load balancer or a browser asks them without signing in, and they say nothing
about any case or person."""

from __future__ import annotations

from tests.access import ALLOW, Route, outcomes

PUBLIC = outcomes(ALLOW, anonymous=ALLOW)

ROWS: dict[str, Route] = {
    "healthz": Route(get=PUBLIC),
    "readyz": Route(get=PUBLIC),
    "favicon": Route(get=PUBLIC),
}
