"""Who may keep users, teams and roles: administrators only."""

from __future__ import annotations

from typing import Any

import rules

from bluestone.accounts.models import Role


@rules.predicate
def is_administrator(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR)


RULES = {"administration.manage_users": is_administrator}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
