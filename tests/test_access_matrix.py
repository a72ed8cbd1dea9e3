"""The access matrix: every URL the project serves, for every role and for an anonymous visitor.

The routes are read from Django's URL resolver, not listed by hand, and each must have a row in
MATRIX below saying what each role gets. A route with no row fails `test_every_route_has_a_decision`,
so a new page cannot ship without somebody deciding who may use it. A row for a route that no longer
exists fails too, so the table stays true.

Routes with a case in the URL are tried with four cases: one of the users' own team, where the
investigator is the officer in the case ("own"); one of another team ("other"); a case of the users'
own team restricted to people who are not among them ("restricted"); and a case of the users' own
team whose officer in the case is another investigator ("colleague"). A route that names an object
of the case besides the case (an exhibit, a request, a bail, a decision, an obligation: "nested") is
also tried with the own case in the URL and the other case's object ("foreign"), which must be
hidden (404) from everyone who could open the own case's object.

POST-only routes are tried with GET (405, Method Not Allowed) and with an empty POST; routes that
take GET and POST are tried with both. An empty POST never changes anything: each form refuses it.

Excluded: static files. WhiteNoise serves them from middleware, so they have no URL pattern; any
pattern under STATIC_URL or MEDIA_URL (as `django.conf.urls.static` would add in development) is
skipped, because it serves public assets, not data.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bluestone.accounts.models import Role
from bluestone.cases.models import RestrictionReason
from bluestone.cases.services import case_restrict
from tests.access import (
    ALLOW,
    ANONYMOUS,
    DENY,
    FOREIGN,
    HIDDEN,
    INV,
    NOT_ALLOWED,
    POST_ONLY,
    REDIRECT,
    ROLES,
    SIGN_IN,
    STAFF,
    VARIANTS,
    Route,
    World,
    everywhere,
    outcomes,
    per_case,
)
from tests.factories import CaseFactory, OfficerFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

MATRIX: dict[str, Route] = {
    # --- cases ------------------------------------------------------------------------------------
    "cases:home": Route(
        get=outcomes(REDIRECT),
        notes="Each role lands on the first page of its navigation.",
    ),
    "cases:mine": Route(get=outcomes(DENY, investigator=ALLOW)),
    "cases:team": Route(get=outcomes(DENY, investigator=ALLOW, supervisor=ALLOW)),
    # Search: staff who work cases; what it finds is limited by need-to-know (tests/cases/test_search.py).
    "cases:search": Route(get=outcomes(DENY, investigator=ALLOW, supervisor=ALLOW)),
    "cases:team-break-glass": Route(get=outcomes(DENY, supervisor=ALLOW)),
    "cases:detail": Route(
        takes_case=True,
        get=per_case(
            own=outcomes(DENY, investigator=ALLOW, supervisor=ALLOW),
            # Investigators and supervisors get the break-glass prompt, with status 403.
            other=outcomes(DENY),
            restricted=outcomes(DENY),
        ),
    ),
    "cases:break-glass": Route(
        takes_case=True,
        get=everywhere(POST_ONLY),
        post=per_case(
            own=outcomes(DENY),  # in scope already: nothing to break into
            other=outcomes(DENY, investigator=ALLOW, supervisor=ALLOW),  # the form again, with its error
            restricted=outcomes(DENY),
        ),
    ),
    "cases:restrict": Route(
        takes_case=True,
        get=per_case(own=outcomes(DENY, supervisor=ALLOW), other=outcomes(DENY), restricted=outcomes(DENY)),
        post=per_case(own=outcomes(DENY, supervisor=ALLOW), other=outcomes(DENY), restricted=outcomes(DENY)),
    ),
    "cases:restriction": Route(
        takes_case=True,
        # The own case is not restricted: its supervisor sees that and a link to restrict it. An empty
        # POST names no action and changes nothing.
        get=per_case(own=outcomes(DENY, supervisor=ALLOW), other=outcomes(DENY), restricted=outcomes(DENY)),
        post=per_case(own=outcomes(DENY, supervisor=ALLOW), other=outcomes(DENY), restricted=outcomes(DENY)),
    ),
    "cases:allocate": Route(
        takes_case=True,
        get=per_case(own=outcomes(DENY, supervisor=ALLOW), other=outcomes(DENY), restricted=outcomes(DENY)),
        # An empty form: the supervisor gets the form back with its error; nobody else gets that far.
        post=per_case(own=outcomes(DENY, supervisor=ALLOW), other=outcomes(DENY), restricted=outcomes(DENY)),
    ),
    "cases:grant-case-need": Route(
        takes_case=True,
        get=per_case(own=outcomes(DENY, supervisor=ALLOW), other=outcomes(DENY), restricted=outcomes(DENY)),
        post=per_case(own=outcomes(DENY, supervisor=ALLOW), other=outcomes(DENY), restricted=outcomes(DENY)),
    ),
    "cases:analysis-list": Route(get=outcomes(DENY, analyst=ALLOW)),
    "cases:analysis-detail": Route(
        takes_case=True,
        get=per_case(
            own=outcomes(DENY, analyst=ALLOW),
            other=outcomes(DENY, analyst=ALLOW),
            # Analysts are not told that a restricted case exists.
            restricted=outcomes(DENY, analyst=HIDDEN),
        ),
    ),
    "cases:analysis-case-need": Route(
        takes_case=True,
        get=everywhere(POST_ONLY),
        post=per_case(
            own=outcomes(DENY, analyst=ALLOW),
            other=outcomes(DENY, analyst=ALLOW),
            restricted=outcomes(DENY, analyst=HIDDEN),
        ),
    ),
    "cases:break-glass-log": Route(get=outcomes(DENY, auditor=ALLOW)),
    # --- insights ---------------------------------------------------------------------------------
    "insights:measures": Route(get=outcomes(DENY, supervisor=ALLOW, analyst=ALLOW)),
    # An empty form: the page again with what to put right, for those who may download.
    "insights:measures-download": Route(get=POST_ONLY, post=outcomes(DENY, supervisor=ALLOW, analyst=ALLOW)),
    # Pseudonymised exports: analysts only (SERVICE-MAP); an empty form is the page again with its errors.
    "insights:exports": Route(get=outcomes(DENY, analyst=ALLOW)),
    "insights:exports-download": Route(get=POST_ONLY, post=outcomes(DENY, analyst=ALLOW)),
    # --- audit ------------------------------------------------------------------------------------
    # Auditors only. An empty search (or an empty download form) is the page again with its errors.
    "audit:access-log": Route(get=outcomes(DENY, auditor=ALLOW)),
    "audit:access-log-export": Route(get=POST_ONLY, post=outcomes(DENY, auditor=ALLOW)),
    "audit:verify": Route(get=outcomes(DENY, auditor=ALLOW)),
    "audit:sign-ins": Route(get=outcomes(DENY, auditor=ALLOW)),
    # --- accounts ---------------------------------------------------------------------------------
    "accounts:sign-in": Route(
        # Someone signed in already is sent on to their start page.
        get=outcomes(REDIRECT, anonymous=ALLOW),
        post=outcomes(REDIRECT, anonymous=ALLOW),  # anonymous: the form again, with its errors
    ),
    "accounts:sign-out": Route(
        get=outcomes(NOT_ALLOWED, anonymous=NOT_ALLOWED),
        post=outcomes(SIGN_IN, anonymous=SIGN_IN),
    ),
    "accounts:account": Route(get=outcomes(ALLOW)),
    "accounts:sign-out-everywhere": Route(
        get=outcomes(NOT_ALLOWED),
        post=outcomes(SIGN_IN),
    ),
    # The matrix users have no authenticator app: the code step sends them on, removal has nothing to remove.
    "accounts:two-factor": Route(get=outcomes(REDIRECT), post=outcomes(REDIRECT)),
    "accounts:two-factor-set-up": Route(get=outcomes(ALLOW), post=outcomes(ALLOW)),
    "accounts:two-factor-remove": Route(get=outcomes(REDIRECT), post=outcomes(REDIRECT)),
    # Single sign-on is off in the test settings: its pages are not there for anybody
    # (tests/accounts/test_sso_provider.py signs in through a real provider).
    "accounts:sso-start": Route(get=outcomes(HIDDEN, anonymous=HIDDEN), post=outcomes(HIDDEN, anonymous=HIDDEN)),
    "accounts:sso-callback": Route(get=outcomes(HIDDEN, anonymous=HIDDEN), post=outcomes(HIDDEN, anonymous=HIDDEN)),
}


def _collect_rows() -> dict[str, Route]:
    """The rows each later app declares in tests/<app>/access_rows.py (a ROWS dict)."""
    rows: dict[str, Route] = {}
    tests_dir = Path(__file__).parent
    for package in sorted(p.name for p in tests_dir.iterdir() if (p / "access_rows.py").exists()):
        module = importlib.import_module(f"tests.{package}.access_rows")
        clash = set(module.ROWS) & (set(rows) | set(MATRIX))
        assert not clash, f"Routes with two rows in the access matrix: {sorted(clash)}"
        rows |= module.ROWS
    return rows


MATRIX |= _collect_rows()


def _is_excluded(route: str) -> bool:
    prefixes = [p.lstrip("/") for p in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", "")) if p and p != "/"]
    return any(route.startswith(prefix) for prefix in prefixes)


def _walk(patterns: list[URLPattern | URLResolver], namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, route)
        elif not _is_excluded(route):
            yield (f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {route}>"), route


def project_routes() -> dict[str, str]:
    return dict(_walk(get_resolver().url_patterns))


def test_every_route_has_a_decision():
    routes = project_routes()

    undecided = sorted(set(routes) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(routes))
    assert not undecided, f"Routes with no row in the access matrix (decide who may use them): {undecided}"
    assert not stale, f"Rows for routes that no longer exist: {stale}"


def test_the_matrix_covers_every_role_and_variant():
    for name, route in MATRIX.items():
        for method, table in (("GET", route.get), ("POST", route.post)):
            if table is None:
                continue
            tables = [table[v] for v in VARIANTS] if route.takes_case else [table]
            for entry in tables:
                assert set(entry) == set(ROLES), f"{method} {name} does not say what every role gets"
            if route.takes_case:
                assert set(table[FOREIGN]) == set(ROLES), f"{method} {name} (foreign) does not say what every role gets"


@pytest.fixture
def world() -> World:
    team = TeamFactory.create(code="OWN", name="Own team")
    other_team = TeamFactory.create(code="OTHER", name="Other team")
    users = {role: UserFactory.create(username=f"matrix-{role}", role=role, team=team) for role in STAFF}
    officer = OfficerFactory.create(team=team, user=users[INV])
    own = CaseFactory.create(team=team, officer=officer)
    other = CaseFactory.create(team=other_team)
    restricted = CaseFactory.create(team=team)
    restricting = UserFactory.create(username="matrix-restricting", role=Role.SUPERVISOR, team=team)
    case_restrict(actor=restricting, case=restricted, reason=RestrictionReason.OTHER, named_users=[])
    colleague_officer = OfficerFactory.create(
        team=team, user=UserFactory.create(username="matrix-colleague", team=team)
    )
    colleague = CaseFactory.create(team=team, officer=colleague_officer)
    cases = {"own": own, "other": other, "restricted": restricted, "colleague": colleague}
    return World(users=users, cases=cases)


def _outcome(response, sign_in_url: str) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        return SIGN_IN if response["Location"].split("?")[0] == sign_in_url else REDIRECT
    return {200: ALLOW, 403: DENY, 404: HIDDEN, 405: NOT_ALLOWED}.get(status, f"status {status}")


def _foreign_kwargs(route: Route, world: World) -> dict[str, object] | None:
    """The own case's URL naming the other case's object, for a nested route; None for any other."""
    if not route.takes_case or route.url_kwargs is None:
        return None
    own, other = route.url_kwargs(world, "own"), route.url_kwargs(world, "other")
    if not {key for key in own if key != "pk" and own[key] != other.get(key)}:
        return None  # nothing but the case (or a constant such as a kind) in the URL
    return {**other, "pk": world.cases["own"].pk}


def requests_for(rows: dict[str, Route], world: World) -> Iterator[tuple[str, str, str, str, str]]:
    """(name, variant, method, url, variant key) for everything the rows declare, with every variant."""
    for name, route in rows.items():
        for method, table in (("GET", route.get), ("POST", route.post)):
            if table is None:
                continue
            if route.takes_case:
                for variant in VARIANTS:
                    kwargs = route.url_kwargs(world, variant) if route.url_kwargs else {"pk": world.cases[variant].pk}
                    yield name, variant, method, reverse(name, kwargs=kwargs), variant
                foreign = _foreign_kwargs(route, world)
                if foreign is not None:
                    yield name, FOREIGN, method, reverse(name, kwargs=foreign), FOREIGN
            else:
                kwargs = route.url_kwargs(world, "") if route.url_kwargs else {}
                yield name, "", method, reverse(name, kwargs=kwargs), ""


def _client_for(world: World, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        user = world.users[role]
        # "Sign out everywhere" (tried above) raises the session generation: log in with the new one.
        user.refresh_from_db()
        client.force_login(user)
    return client


def wrong_outcomes(rows: dict[str, Route], world: World, role: str) -> list[str]:
    """Every request of the rows, as `role`: the lines where the outcome is not the row's.

    One signed-in client per role, signed in afresh after anything that may end or change its
    session (a POST to an account route: sign out, sign out everywhere, the second factor).
    """
    sign_in_url = reverse(settings.LOGIN_URL)
    wrong = []
    client = _client_for(world, role)
    for name, variant, method, url, key in requests_for(rows, world):
        route = rows[name]
        table = route.get if method == "GET" else route.post
        assert table is not None
        expected = (table[key] if key else table)[role]
        response = client.get(url) if method == "GET" else client.post(url, {})
        actual = _outcome(response, sign_in_url)
        if actual != expected:
            wrong.append(f"{method} {name}{f' ({variant} case)' if variant else ''}: expected {expected}, got {actual}")
        # A form sent empty comes back with its problems summarised once (GOV.UK), never twice.
        summaries = response.content.count(b'class="govuk-error-summary"') if actual == ALLOW else 0
        if summaries > 1:
            wrong.append(f"{method} {name}{f' ({variant} case)' if variant else ''}: {summaries} error summaries")
        if method == "POST" and name.startswith("accounts:"):
            client = _client_for(world, role)
    return wrong


def test_every_nested_route_is_tried_with_another_case_s_object(world):
    nested = [name for name, route in MATRIX.items() if _foreign_kwargs(route, world) is not None]
    # Exhibits, requests, lines, bails, decisions, profiles, obligations, messages: every app's nested routes.
    assert len(nested) >= 20, nested
    for prefix in ("evidence:exhibit", "evidence:request", "investigation:line", "investigation:bail", "victims:"):
        assert any(name.startswith(prefix) for name in nested), f"no nested {prefix} route is tried: {nested}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(role, world):
    wrong = wrong_outcomes(MATRIX, world, role)
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
