"""Who may do what with evidence, as `rules` predicates (registered as rules and as permissions).

Seeing a case's evidence follows the case itself (`cases.view_case`). Two decisions are a
supervisor's of the case's team: authorising a victim-focused request and destroying an exhibit.
The SARC register belongs to the SARC liaison role, which sees no case content.
"""

from __future__ import annotations

from typing import Any

import rules

from bluestone.accounts.models import Role
from bluestone.cases.rules import change_case, has_team, is_case_team_member, is_supervisor, view_case


@rules.predicate
def is_sarc_liaison(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.SARC_LIAISON)


view_evidence = view_case
# Recording evidence writes to the case: never through break glass, which is read only.
record_evidence = change_case
# A supervisor of the case's team who can see it (a restricted case: only if named on it).
authorise_request = is_supervisor & is_case_team_member & view_case
destroy_exhibit = is_supervisor & is_case_team_member & view_case
view_requests_to_authorise = is_supervisor & has_team
view_sarc_register = is_sarc_liaison

RULES = {
    "evidence.view_evidence": view_evidence,
    "evidence.record_evidence": record_evidence,
    "evidence.authorise_request": authorise_request,
    "evidence.destroy_exhibit": destroy_exhibit,
    "evidence.view_requests_to_authorise": view_requests_to_authorise,
    "evidence.view_sarc_register": view_sarc_register,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
    rules.add_perm(_name, _predicate)
