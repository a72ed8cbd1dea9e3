"""Who may do what with victims' records. A victim's records follow the case: whoever may see the case
(cases.view_case) reads its Victim tab, and whoever may change the case (cases.change_case: never
through break glass) writes to it. The team's compliance is for its supervisors."""

from __future__ import annotations

from typing import Any

import rules

from bluestone.accounts.models import Role
from bluestone.cases.rules import change_case, has_team, is_supervisor, issue_portal_access, view_case


@rules.predicate
def is_triage(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.TRIAGE)


view_team_compliance = is_supervisor & has_team
# A victim locked out of following their case calls 101: triage, or the case's team, lifts the lock.
lift_portal_lock = is_triage | change_case

RULES = {
    "victims.view_victim": view_case,
    # Writing to the Victim tab: never through break glass, which is read only.
    "victims.work_victim": change_case,
    # The victim's one-time code lets whoever holds it into their portal: the case's own team only.
    "victims.issue_portal_access": issue_portal_access,
    "victims.view_team_compliance": view_team_compliance,
    "victims.lift_portal_lock": lift_portal_lock,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
    rules.add_perm(_name, _predicate)
