"""The access matrix for the ways into a case that are not a role's own: break glass (in force and
run out) and being named on a restricted case. Every route with a case in its address, from every
app, is tried; the routes come from the matrix (tests/test_access_matrix.py), which is read from
Django's URL resolver, so a new case route is tried here as soon as it has its row there.

- **Break glass in force** (an investigator of another team): every page an investigator of the
  case's team may read, they read (except the page that issues the victim's portal code); every
  POST is refused with 403 and the page saying that break glass is read only. A supervisor of
  another team with break glass is refused every POST too.
- **Break glass run out**: every page and every POST is refused (the break-glass prompt, 403).
- **Named on a restricted case** (an investigator of another team): what the case's own officer
  gets, except issuing the victim's portal code, which is for the case's own team only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bluestone.accounts.models import Role, User
from bluestone.cases.models import Case, CaseAccess, CaseAccessKind, RestrictionReason
from bluestone.cases.services import break_glass_open, case_restrict
from bluestone.core import clock
from tests.access import ALLOW, DENY, HIDDEN, INV, NOT_ALLOWED, STAFF, SUP, Route, World
from tests.factories import CaseFactory, OfficerFactory, TeamFactory, UserFactory
from tests.test_access_matrix import MATRIX, _outcome

pytestmark = pytest.mark.django_db

REASON = "Checking a linked report for a safeguarding referral"
READ_ONLY = "You cannot change this case"

# Pages that the case's own officer opens but that stay closed to these ways in, and why.
TEAM_ONLY_PAGES = {
    # The victim's one-time code lets whoever holds it into their portal: the case's own team only.
    "victims:portal-access",
}


@pytest.fixture
def matrix_world() -> World:
    """The matrix's world, with the investigator of the "own" team as the officer in the case."""
    team = TeamFactory.create(code="OWN", name="Own team")
    users = {role: UserFactory.create(username=f"grants-{role}", role=role, team=team) for role in STAFF}
    officer = OfficerFactory.create(team=team, user=users[INV])
    own = CaseFactory.create(team=team, officer=officer)
    return World(users=users, cases={"own": own})


# Pages that show the case and also hold a form to change it: a link to them is a link to read.
READ_PAGES_WITH_A_FORM = {"investigation:line"}
# Pages that are only a way to change the case but take no POST themselves (a chooser of forms).
CHOOSERS = {"evidence:request-new"}


def _is_form_page(name: str) -> bool:
    """A case page that is only a form (GET shows it, POST sends it): not shown under break glass."""
    route = MATRIX[name]
    if name in CHOOSERS:
        return True
    return (
        route.post is not None and route.get is not None and name not in READ_PAGES_WITH_A_FORM | {"cases:break-glass"}
    )


def _case_routes() -> Iterator[tuple[str, Route]]:
    for name, route in sorted(MATRIX.items()):
        if route.takes_case:
            yield name, route


def _requests(world: World, case: Case) -> Iterator[tuple[str, str, str, str]]:
    """(name, method, url, what the officer in the case gets) for every case route, on `case`."""
    on_case = World(users=world.users, cases={"own": case, "other": case, "restricted": case})
    for name, route in _case_routes():
        for method, table in (("GET", route.get), ("POST", route.post)):
            if table is None:
                continue
            kwargs = route.url_kwargs(on_case, "own") if route.url_kwargs else {"pk": case.pk}
            yield name, method, reverse(name, kwargs=kwargs), table["own"][INV]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _other_teams_user(role: str) -> User:
    return UserFactory.create(role=role, team=TeamFactory.create())


def _try(client: Client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url, {})


def test_break_glass_reads_what_the_team_reads_and_writes_nothing(matrix_world):
    case = matrix_world.cases["own"]
    outsider = _other_teams_user(Role.INVESTIGATOR)
    break_glass_open(user=outsider, case=case, justification=REASON)
    sign_in_url = reverse(settings.LOGIN_URL)
    wrong = []
    tried = 0
    for name, method, url, officer_gets in _requests(matrix_world, case):
        response = _try(_client(outsider), method, url)
        actual = _outcome(response, sign_in_url)
        in_case = url.startswith("/cases/")
        if method == "POST" and name == "cases:break-glass":
            expected = ALLOW  # asking again: the form, with its error
        elif method == "POST" and in_case:
            # Refused before the view runs, whatever it is (so a GET-only page answers 403, not 405).
            expected = DENY
        elif officer_gets in (NOT_ALLOWED, HIDDEN):
            expected = officer_gets
        elif _is_form_page(name) and officer_gets == ALLOW:
            expected = DENY  # a page that is only a form: the read-only page instead
        else:
            expected = DENY if name in TEAM_ONLY_PAGES else officer_gets
        if actual != expected:
            wrong.append(f"{method} {name}: expected {expected}, got {actual}")
        elif expected == DENY and in_case and (method == "POST" or (_is_form_page(name) and officer_gets == ALLOW)):
            if READ_ONLY not in response.content.decode():
                wrong.append(f"{method} {name}: refused without saying that break glass is read only")
        tried += method == "POST"
    assert tried > 30  # every app's case forms were tried (a guard against an empty matrix)
    assert not wrong, "break glass in force:\n" + "\n".join(wrong)


def test_a_supervisor_with_break_glass_writes_nothing_either(matrix_world):
    case = matrix_world.cases["own"]
    outsider = _other_teams_user(Role.SUPERVISOR)
    break_glass_open(user=outsider, case=case, justification=REASON)
    wrong = []
    for name, method, url, _officer_gets in _requests(matrix_world, case):
        if method != "POST" or name == "cases:break-glass" or not url.startswith("/cases/"):
            continue
        response = _try(_client(outsider), method, url)
        if response.status_code != 403 or READ_ONLY not in response.content.decode():
            wrong.append(f"POST {name}: got {response.status_code}")
    assert not wrong, "supervisor with break glass:\n" + "\n".join(wrong)


def test_once_break_glass_runs_out_nothing_opens(matrix_world):
    case = matrix_world.cases["own"]
    outsider = _other_teams_user(Role.INVESTIGATOR)
    break_glass_open(user=outsider, case=case, justification=REASON)
    CaseAccess.objects.filter(user=outsider).update(expires_at=clock.now() - dt.timedelta(seconds=1))
    sign_in_url = reverse(settings.LOGIN_URL)
    wrong = []
    for name, method, url, officer_gets in _requests(matrix_world, case):
        actual = _outcome(_try(_client(outsider), method, url), sign_in_url)
        expected = officer_gets if officer_gets in (NOT_ALLOWED, HIDDEN) else DENY
        if name == "cases:break-glass" and method == "POST":
            expected = ALLOW  # the prompt to break glass again, with its error
        if actual != expected:
            wrong.append(f"{method} {name}: expected {expected}, got {actual}")
    assert not wrong, "break glass run out:\n" + "\n".join(wrong)


def test_a_person_named_on_a_restricted_case_works_it_as_its_officer_does(matrix_world):
    case = matrix_world.cases["own"]
    named = _other_teams_user(Role.INVESTIGATOR)
    restricting = UserFactory.create(role=Role.SUPERVISOR, team=case.team)
    case_restrict(actor=restricting, case=case, reason=RestrictionReason.OTHER, named_users=[named])
    assert CaseAccess.objects.filter(case=case, user=named, kind=CaseAccessKind.NAMED).exists()
    sign_in_url = reverse(settings.LOGIN_URL)
    wrong = []
    for name, method, url, officer_gets in _requests(matrix_world, case):
        actual = _outcome(_try(_client(named), method, url), sign_in_url)
        expected = DENY if name in TEAM_ONLY_PAGES else officer_gets
        if name == "cases:break-glass" and method == "POST":
            expected = DENY  # nothing to break into: they may see it already
        if actual != expected:
            wrong.append(f"{method} {name}: expected {expected}, got {actual}")
    assert not wrong, "named on a restricted case:\n" + "\n".join(wrong)


def test_the_officer_of_a_restricted_case_still_gets_what_the_matrix_says(matrix_world):
    """The baseline the rows above compare with: the case's own officer, named when it is restricted."""
    case = matrix_world.cases["own"]
    officer = matrix_world.users[INV]
    case_restrict(actor=matrix_world.users[SUP], case=case, reason=RestrictionReason.OTHER, named_users=[])
    sign_in_url = reverse(settings.LOGIN_URL)
    wrong = []
    for name, method, url, officer_gets in _requests(matrix_world, case):
        expected = DENY if name == "cases:break-glass" and method == "POST" else officer_gets
        actual = _outcome(_try(_client(officer), method, url), sign_in_url)
        if actual != expected:
            wrong.append(f"{method} {name}: expected {expected}, got {actual}")
    assert not wrong, "officer of a restricted case:\n" + "\n".join(wrong)


POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>", re.IGNORECASE)


def _write_links(case: Case, world: World) -> set[str]:
    """The addresses of the case's pages that take a POST (its forms), as links would name them."""
    return {
        url.split("?")[0]
        for name, method, url, _officer_gets in _requests(world, case)
        if method == "POST" and name != "cases:break-glass" and name not in READ_PAGES_WITH_A_FORM
    }


def test_under_break_glass_no_page_shows_a_way_to_change_the_case(matrix_world):
    """SERVICE-MAP.md: under break glass the case opens read only and no action button shows. Every
    page the break-glass user may read is checked for a form that posts and for a link to a form."""
    case = matrix_world.cases["own"]
    outsider = _other_teams_user(Role.INVESTIGATOR)
    break_glass_open(user=outsider, case=case, justification=REASON)
    forms = _write_links(case, matrix_world)
    wrong = []
    for name, method, url, _officer_gets in _requests(matrix_world, case):
        if method != "GET":
            continue
        response = _client(outsider).get(url)
        if response.status_code != 200:
            continue
        body = response.content.decode()
        main = body[body.find("<main") :]  # the header's sign-out form is not the case's
        if POST_FORM.search(main):
            wrong.append(f"{name}: a form that posts")
        linked = {href.split("?")[0] for href in re.findall(r'href="([^"#]+)"', main)}
        if linked & forms - {url}:
            wrong.append(f"{name}: links to {sorted(linked & forms)}")
    assert not wrong, "actions shown under break glass:\n" + "\n".join(wrong)
