"""Who may see and do what on the workforce pages, as `rules` predicates (registered as rules and perms).

An officer's profile, training, screenings and exposure: the officer, the supervisors of their team and
occupational health. A check-in: the same people see that it happened and when; only the officer, the
supervisor who held it and occupational health read what was said and the support offered.
"""

from __future__ import annotations

from typing import Any

import rules

from bluestone.accounts.models import Role
from bluestone.cases.rules import has_team, is_investigator, is_supervisor


@rules.predicate
def is_occupational_health(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.OCCUPATIONAL_HEALTH)


@rules.predicate
def is_administrator(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR)


@rules.predicate
def is_staff_member(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in Role.values)


@rules.predicate
def has_officer_record(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "officer", None) is not None)


@rules.predicate
def is_the_officer(user: Any, officer: Any) -> bool:
    return bool(user.is_authenticated and officer.user_id is not None and officer.user_id == user.pk)


@rules.predicate
def supervises_team_of(user: Any, officer: Any) -> bool:
    return bool(user.team_id is not None and officer.team_id == user.team_id)


@rules.predicate
def is_check_in_officer(user: Any, check_in: Any) -> bool:
    return bool(user.is_authenticated and check_in.officer.user_id == user.pk)


@rules.predicate
def held_check_in(user: Any, check_in: Any) -> bool:
    return bool(user.is_authenticated and check_in.held_by_id == user.pk)


@rules.predicate
def may_view_check_in_officer(user: Any, check_in: Any) -> bool:
    return bool(view_officer.test(user, check_in.officer))


view_own = has_officer_record
in_investigator_navigation = is_investigator & has_officer_record
view_workforce = is_supervisor & has_team
view_officer = is_the_officer | (is_supervisor & supervises_team_of) | is_occupational_health
manage_officer = is_supervisor & supervises_team_of
view_check_in = may_view_check_in_officer
read_check_in = may_view_check_in_officer & (
    is_check_in_officer | (is_supervisor & held_check_in) | is_occupational_health
)
view_occupational_health = is_occupational_health
manage_courses = is_administrator
read_guidance = is_staff_member
edit_guidance = is_administrator

RULES = {
    "workforce.view_own": view_own,
    "workforce.in_investigator_navigation": in_investigator_navigation,
    "workforce.view_workforce": view_workforce,
    "workforce.view_officer": view_officer,
    "workforce.manage_officer": manage_officer,
    "workforce.view_check_in": view_check_in,
    "workforce.read_check_in": read_check_in,
    "workforce.view_occupational_health": view_occupational_health,
    "workforce.manage_courses": manage_courses,
    "workforce.read_guidance": read_guidance,
    "workforce.edit_guidance": edit_guidance,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
    rules.add_perm(_name, _predicate)
