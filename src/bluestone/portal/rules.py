"""Who may work the triage queue. The public portal itself needs no rule: it is open to everyone and
anonymous (portal/pages.py), and shows a reporter nothing but their own answers."""

from __future__ import annotations

from typing import Any

import rules

from bluestone.accounts.models import Role


@rules.predicate
def is_triage(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.TRIAGE)


# Registered as rules (what selectors and views test) and as permissions (for templates).
for name, predicate in {
    "portal.view_online_reports": is_triage,
    "portal.triage_online_reports": is_triage,
}.items():
    rules.add_rule(name, predicate)
    rules.add_perm(name, predicate)
