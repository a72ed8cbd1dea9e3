"""Need-to-know for cases, as `rules` predicates.

Each rule is registered twice: as a rule (`rules.test_rule`), which the selectors use so that a
Django superuser flag never widens case access, and as a permission, for templates and the admin.
"""

from __future__ import annotations

from typing import Any

import rules

from bluestone.accounts.models import Role


def _has_role(role: str) -> Any:
    @rules.predicate(name=f"is_{role}")
    def has_role(user: Any) -> bool:
        return bool(user.is_authenticated and user.is_active and user.role == role)

    return has_role


is_investigator = _has_role(Role.INVESTIGATOR)
is_supervisor = _has_role(Role.SUPERVISOR)
is_analyst = _has_role(Role.ANALYST)


@rules.predicate
def has_team(user: Any) -> bool:
    return user.is_authenticated and user.team_id is not None


@rules.predicate
def is_case_team_member(user: Any, case: Any) -> bool:
    return case is not None and user.team_id is not None and case.team_id == user.team_id


@rules.predicate
def is_officer_in_case(user: Any, case: Any) -> bool:
    officer = getattr(case, "officer", None) if case is not None else None
    return officer is not None and officer.user_id == user.pk


view_my_cases = is_investigator
view_team_cases = (is_investigator | is_supervisor) & has_team
view_case = (is_investigator & (is_case_team_member | is_officer_in_case)) | (is_supervisor & is_case_team_member)
# Counts only, no personal data: supervisors for their oversight, analysts for performance.
view_force_overview = is_supervisor | is_analyst

RULES = {
    "cases.view_my_cases": view_my_cases,
    "cases.view_team_cases": view_team_cases,
    "cases.view_case": view_case,
    "cases.view_force_overview": view_force_overview,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
    rules.add_perm(_name, _predicate)


# A role's landing page: the first page in its navigation that it may use (SERVICE-MAP.md).
FIRST_PAGES = [
    ("cases.view_my_cases", "cases:mine"),
    ("cases.view_team_cases", "cases:team"),
    ("cases.view_force_overview", "cases:overview"),
]


def first_page_for(user: Any) -> str | None:
    """The URL name a user lands on after signing in, or None when no page is open to them yet."""
    for rule, url_name in FIRST_PAGES:
        if rules.test_rule(rule, user):
            return url_name
    return None
