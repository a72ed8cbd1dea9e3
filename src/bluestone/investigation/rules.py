"""Who may do what in an investigation, as `rules` predicates built on the case need-to-know rules.

Working a case (lines of enquiry, suspect events, bail, CPS, proposing an outcome) is for whoever
may see the case in full. Supervising it (reviews, approving victim-focused actions, signing off an
outcome, reopening) is for a supervisor of the case's team, and on a restricted case only a named one.
"""

from __future__ import annotations

from typing import Any

import rules

from bluestone.accounts.models import Role
from bluestone.cases.rules import (
    change_case,
    has_team,
    is_case_team_member,
    is_investigator,
    is_named_on_case,
    is_restricted,
    is_supervisor,
    view_case,
)


@rules.predicate
def is_administrator(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR)


# Working a case writes to it: its team scope or named people, never break glass (read only).
work_case = change_case
supervise_case = is_supervisor & is_case_team_member & (~is_restricted | is_named_on_case) & view_case
view_my_work = is_investigator
view_team_work = is_supervisor & has_team
edit_templates = is_administrator
# Who holds bail authority beyond their rank (a superintendent, an acting inspector): administrators keep it.
manage_bail_authority = is_administrator

RULES = {
    "investigation.work_case": work_case,
    "investigation.supervise_case": supervise_case,
    "investigation.view_my_work": view_my_work,
    "investigation.view_team_work": view_team_work,
    "investigation.edit_templates": edit_templates,
    "investigation.manage_bail_authority": manage_bail_authority,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
    rules.add_perm(_name, _predicate)
