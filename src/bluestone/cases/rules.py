"""Need-to-know for cases, as `rules` predicates.

Each rule is registered twice: as a rule (`rules.test_rule`), which the selectors use so that a
Django superuser flag never widens case access, and as a permission, for templates and the admin.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from bluestone.accounts.models import Role
from bluestone.cases.models import CaseAccess
from bluestone.core import clock


def _has_role(role: str) -> Any:
    @rules.predicate(name=f"is_{role}")
    def has_role(user: Any) -> bool:
        return bool(user.is_authenticated and user.is_active and user.role == role)

    return has_role


is_investigator = _has_role(Role.INVESTIGATOR)
is_supervisor = _has_role(Role.SUPERVISOR)
is_analyst = _has_role(Role.ANALYST)
is_auditor = _has_role(Role.AUDITOR)


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


def active_access_kinds(user: Any, case: Any) -> frozenset[str]:
    """The kinds of CaseAccess that `user` holds on `case` right now (one query, then cached on the case
    object for this user; a new request loads the case again, so a new grant is seen at once)."""
    if case is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache: dict[int, frozenset[str]] = case.__dict__.setdefault("_access_kinds", {})
    if user.pk not in cache:
        now = clock.now()
        kinds = (
            CaseAccess.objects.filter(case_id=case.pk, user_id=user.pk, revoked_at__isnull=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .values_list("kind", flat=True)
        )
        cache[user.pk] = frozenset(kinds)
    return cache[user.pk]


@rules.predicate
def is_restricted(user: Any, case: Any) -> bool:
    return case is not None and bool(case.restricted)


@rules.predicate
def is_named_on_case(user: Any, case: Any) -> bool:
    return "named" in active_access_kinds(user, case)


@rules.predicate
def has_break_glass(user: Any, case: Any) -> bool:
    return "break_glass" in active_access_kinds(user, case)


@rules.predicate
def has_case_need(user: Any, case: Any) -> bool:
    return "case_need" in active_access_kinds(user, case)


# Investigators and supervisors work cases; nobody else ever sees a case in full.
works_cases = is_investigator | is_supervisor
# The cases a role and team give: an investigator's team's cases and those they are officer in, a
# supervisor's team's cases.
in_team_scope = (is_investigator & (is_case_team_member | is_officer_in_case)) | (is_supervisor & is_case_team_member)

view_my_cases = is_investigator
view_team_cases = works_cases & has_team
# A restricted case: its named people only. Any other: the team scope, or a break-glass grant in force.
view_case = works_cases & ((is_restricted & is_named_on_case) | (~is_restricted & (in_team_scope | has_break_glass)))
# Changing a case (any write on it, in any app) is for its team scope, or on a restricted case its
# named people. Break glass opens a case for reading only: it never appears here.
change_case = works_cases & ((is_restricted & is_named_on_case) | (~is_restricted & in_team_scope))
# Giving the victim access to follow the case online is for the case's own team (and on a restricted
# case, only its named people among them): never a named person from elsewhere, never break glass.
issue_portal_access = works_cases & in_team_scope & (~is_restricted | is_named_on_case)
# Seen and read only: break glass in force and no other way to change the case.
read_only_case = view_case & ~change_case
# Break-glass is for an investigator or supervisor outside the case's scope, and never for a
# restricted case.
break_glass_case = works_cases & ~is_restricted & ~in_team_scope
# A supervisor of the case's team restricts it (if it is already restricted, only a named one changes it).
restrict_case = is_supervisor & is_case_team_member & (~is_restricted | is_named_on_case)
# A supervisor of the case's team allocates it to an officer (on a restricted case, a named one).
allocate_case = is_supervisor & is_case_team_member & (~is_restricted | is_named_on_case)
# Analysts: every case that is not restricted, pseudonymised.
view_case_analysis = is_analyst
view_case_pseudonymised = is_analyst & ~is_restricted
# Suspects' identities on one case, once a case need is recorded for this analyst.
view_suspect_identities = is_analyst & ~is_restricted & has_case_need
record_own_case_need = is_analyst & ~is_restricted
grant_case_need = is_supervisor & is_case_team_member & ~is_restricted
view_team_break_glass = is_supervisor & has_team
view_break_glass_log = is_auditor

RULES = {
    "cases.view_my_cases": view_my_cases,
    "cases.view_team_cases": view_team_cases,
    "cases.works_cases": works_cases,
    "cases.view_case": view_case,
    "cases.change_case": change_case,
    "cases.read_only_case": read_only_case,
    "cases.issue_portal_access": issue_portal_access,
    "cases.break_glass_case": break_glass_case,
    "cases.restrict_case": restrict_case,
    "cases.allocate_case": allocate_case,
    "cases.view_case_analysis": view_case_analysis,
    "cases.view_case_pseudonymised": view_case_pseudonymised,
    "cases.view_suspect_identities": view_suspect_identities,
    "cases.record_own_case_need": record_own_case_need,
    "cases.grant_case_need": grant_case_need,
    "cases.view_team_break_glass": view_team_break_glass,
    "cases.view_break_glass_log": view_break_glass_log,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
    rules.add_perm(_name, _predicate)


# A role's landing page: the first page in its navigation that it may use (SERVICE-MAP.md).
# Rules are named as strings, so the case core does not import the apps that own the pages.
FIRST_PAGES = [
    ("investigation.view_my_work", "investigation:my-work"),
    ("investigation.view_team_work", "investigation:team-work"),
    ("cases.view_my_cases", "cases:mine"),
    ("cases.view_team_cases", "cases:team"),
    ("suspects.in_analyst_navigation", "suspects:register"),
    ("insights.view_measures", "insights:measures"),
    ("audit.view_access_log", "audit:access-log"),
    ("cases.view_break_glass_log", "cases:break-glass-log"),
    ("evidence.view_sarc_register", "evidence:sarc-register"),
    ("portal.view_online_reports", "triage:reports"),
    ("investigation.edit_templates", "investigation:templates"),
    ("workforce.view_occupational_health", "workforce:occupational-health"),
]


def first_page_for(user: Any) -> str | None:
    """The URL name a user lands on after signing in, or None when no page is open to them yet."""
    for rule, url_name in FIRST_PAGES:
        if rules.test_rule(rule, user):
            return url_name
    return None
