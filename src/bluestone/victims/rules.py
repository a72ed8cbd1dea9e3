"""Who may do what with victims' records. A victim's records follow the case: whoever may see the case
(cases.view_case) works its Victim tab. The team's compliance is for its supervisors."""

from __future__ import annotations

import rules

from bluestone.cases.rules import has_team, is_supervisor, view_case

view_team_compliance = is_supervisor & has_team

RULES = {
    "victims.work_victim": view_case,
    "victims.view_team_compliance": view_team_compliance,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
    rules.add_perm(_name, _predicate)
