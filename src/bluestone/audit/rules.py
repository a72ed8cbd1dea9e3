"""Who may use the auditor's pages, as `rules` predicates (for the navigation and templates).

The pages themselves check with `bluestone.audit.selectors.require_auditor`, as every read of the
log does; these rules say the same thing for code that only decides what to show.
"""

from __future__ import annotations

from typing import Any

import rules

from bluestone.accounts.models import Role


@rules.predicate
def is_auditor(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.AUDITOR)


RULES = {
    "audit.view_access_log": is_auditor,
    "audit.verify_log": is_auditor,
    "audit.view_sign_ins": is_auditor,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
    rules.add_perm(_name, _predicate)
