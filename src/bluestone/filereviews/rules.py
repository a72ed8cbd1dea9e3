"""Who may draw samples, review case files and keep the review template, as `rules` predicates."""

from __future__ import annotations

from typing import Any

import rules

from bluestone.accounts.models import Role
from bluestone.cases.rules import is_analyst, is_supervisor


@rules.predicate
def is_administrator(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR)


# Supervisors (and the senior leaders who hold the supervisor role) and analysts review case files.
review_case_files = is_supervisor | is_analyst
edit_review_template = is_administrator

RULES = {
    "filereviews.review_case_files": review_case_files,
    "filereviews.edit_review_template": edit_review_template,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
    rules.add_perm(_name, _predicate)
