"""The access matrix's vocabulary, shared by its rows: tests/test_access_matrix.py holds the core
apps' rows, and each later app adds its own in `tests/<app>/access_rows.py` (a `ROWS` dict), which
the matrix collects. See tests/test_access_matrix.py for how each row is tried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bluestone.accounts.models import Role, User
from bluestone.cases.models import Case

ANONYMOUS = "anonymous"
INV, SUP, ANA, TRI, AUD, ADM = (
    Role.INVESTIGATOR.value,
    Role.SUPERVISOR.value,
    Role.ANALYST.value,
    Role.TRIAGE.value,
    Role.AUDITOR.value,
    Role.ADMINISTRATOR.value,
)
SARC = Role.SARC_LIAISON.value
OH = Role.OCCUPATIONAL_HEALTH.value
ROLES = [ANONYMOUS, INV, SUP, ANA, TRI, AUD, ADM, SARC, OH]
STAFF = [INV, SUP, ANA, TRI, AUD, ADM, SARC, OH]

# Outcomes.
ALLOW = "allow (200)"
DENY = "deny (403)"
HIDDEN = "hidden (404)"
SIGN_IN = "redirect to sign-in"
REDIRECT = "redirect elsewhere"
NOT_ALLOWED = "method not allowed (405)"

VARIANTS = ("own", "other", "restricted", "colleague")
# Tried for every nested route (one naming an exhibit, request, bail, decision, obligation... besides
# its case): the own case in the URL with the object of the other team's case.
FOREIGN = "foreign"


def outcomes(default: str, anonymous: str = SIGN_IN, **by_role: str) -> dict[str, str]:
    """Every role gets `default` unless named; anonymous visitors are sent to sign in unless said."""
    return {ANONYMOUS: anonymous} | {role: by_role.get(role, default) for role in STAFF}


@dataclass
class World:
    """What the matrix runs against: one user per role in the "own" team (the investigator is the
    officer in the "own" case, not in the "colleague" case of the same team), and the cases."""

    users: dict[str, User]
    cases: dict[str, Case]


@dataclass(frozen=True)
class Route:
    """What each role gets from one URL name. For routes with a case in the URL, one table per variant."""

    # Role -> outcome, or (takes_case) variant -> role -> outcome.
    get: dict[str, Any] | None = None
    post: dict[str, Any] | None = None
    takes_case: bool = False
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    # For a route with other URL arguments: builds them from the world and the variant ("own",
    # "other", "restricted" when takes_case; "" otherwise), creating whatever object the URL names.
    # Without it, a case route gets {"pk": <the variant's case>.pk}.
    url_kwargs: Callable[[World, str], dict[str, Any]] | None = None


def per_case(
    own: dict[str, str],
    other: dict[str, str],
    restricted: dict[str, str],
    colleague: dict[str, str] | None = None,
    foreign: dict[str, str] | None = None,
) -> dict[str, dict[str, str]]:
    """One table per case variant.

    `colleague` (a case of the own team whose officer in the case is another investigator) is the
    own case's table unless said: the team works its cases together. `foreign` (the own case's URL
    naming another case's object) is, unless said, the own case's table with every success turned
    into 404: nobody may reach another case's exhibit, request or decision through their own case.
    """
    tables = {
        "own": own,
        "other": other,
        "restricted": restricted,
        "colleague": own if colleague is None else colleague,
    }
    tables[FOREIGN] = foreign_of(own) if foreign is None else foreign
    return tables


def foreign_of(own: dict[str, str]) -> dict[str, str]:
    """What each role gets from another case's object named under the own case: 404 where the own
    case's object would open (or its form would go on), the same refusal otherwise."""
    return {role: HIDDEN if outcome in (ALLOW, REDIRECT) else outcome for role, outcome in own.items()}


def everywhere(table: dict[str, str]) -> dict[str, dict[str, str]]:
    return per_case(table, table, table, table, table)


POST_ONLY = outcomes(NOT_ALLOWED, anonymous=NOT_ALLOWED)
