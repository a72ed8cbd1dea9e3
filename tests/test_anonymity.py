"""Lifetime anonymity (Sexual Offences (Amendment) Act 1992): outside the case team, nothing that could
identify a complainant is shown or logged.

The suite's synthetic force (400 cases, tests/forces.py) is loaded through the extract loader, a dozen
victims are given an alias and National Insurance, passport and driving licence numbers (the force
records PNC IDs only), and the suspects are linked. An analyst, and an investigator and a supervisor of
a team that owns none of the cases, then fetch every page open to them (and the pages that are not,
which must refuse without echoing anything): case lists with every filter and every page of them,
every pseudonymised case page, the measures, the break-glass pages, the repeat-suspect register
and every identity page, the link review and its pairs, case-file review samples and every sampled
case's review page, and error pages. Nothing in the shared list of
victim identifiers (tests/anonymity.py: names whole and alone, aliases, identifiers, dates of birth
in every format the pages write, addresses, postcodes, phone numbers, email addresses) may appear in
any response or in any log record written while they were served.

There are no analyst exports yet: when one lands, add its URL to `analyst_urls`.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from bluestone.accounts.models import Role, User
from bluestone.cases.loading import extract_load
from bluestone.cases.models import Case, CaseStatus, Involvement, RestrictionReason
from bluestone.cases.models import Role as InvolvementRole
from bluestone.cases.services import case_need_record, case_restrict
from bluestone.core import clock
from bluestone.core.models import OffenceClass
from bluestone.filereviews.services import sample_draw
from bluestone.linkage import LinkageModel
from bluestone.suspects.models import Identity
from bluestone.suspects.selectors import review_queue
from bluestone.suspects.services import linkage_run_full
from tests.anonymity import Secrets, give_victims_every_kind_of_identifier, staff_names, victim_secrets
from tests.factories import TeamFactory, UserFactory
from tests.forces import FORCE_CASES

pytestmark = pytest.mark.django_db(transaction=False)

REASON = "Checking whether this suspect is a repeat suspect in other reports"
PAGE_SIZE = 50


@pytest.fixture
def force(force_dir: Path) -> Secrets:
    extract_load(directory=force_dir)
    assert Case.objects.count() == FORCE_CASES
    give_victims_every_kind_of_identifier()
    secrets = victim_secrets()
    assert len(secrets.words) > 50, "the synthetic force should have named victims"
    assert any(t.startswith("QQ") for t in secrets.tokens), "National Insurance numbers should be on the list"
    return secrets


@pytest.fixture
def linked_force(force: Secrets, suspects_model: LinkageModel) -> Secrets:
    """The force with its suspects linked, so that the repeat-suspect and link-review pages have content."""
    linkage_run_full(actor=None, model=suspects_model)
    assert Identity.objects.filter(active=True).exists()
    return force


def _user(role: str, team_code: str | None, secrets: Secrets) -> User:
    team = TeamFactory.create(code=team_code, name="Elsewhere unit") if team_code else None
    # Staff names that no victim shares, so that the header cannot make a false alarm.
    user = UserFactory.create(
        username=f"anon-{role}", first_name="Quillon", last_name=f"Zarkovy{role.title()}", role=role, team=team
    )
    assert not secrets.found_in(f"{user.first_name} {user.last_name} Elsewhere unit")
    return user


def _check(
    client: Client,
    url: str,
    secrets: Secrets,
    *,
    expect: int,
    shown: frozenset[str] = frozenset(),
    except_words: frozenset[str] = frozenset(),
    follow: bool = False,
):
    response = client.get(url, follow=follow)
    assert response.status_code == expect, url
    html = response.content.decode()
    # The charts are SVG images inside the page: their text is read too.
    charts = [
        base64.b64decode(data).decode() for data in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)
    ]
    leaked = secrets.found_in("\n".join([html, *charts]), shown=shown, except_words=except_words)
    assert not leaked, f"{url} shows victim identifiers: {leaked[:5]}"
    return response


def _suspect_pages() -> list[str]:
    """The repeat-suspect register, every identity of more than one record, the link review and its pairs."""
    urls = [reverse("suspects:register"), reverse("suspects:disparity"), reverse("suspects:review")]
    identities = Identity.objects.filter(active=True).values_list("pk", flat=True)
    urls += [reverse("suspects:identity", kwargs={"pk": pk}) for pk in identities]
    return urls


def _review_pages(user: User) -> list[str]:
    return [reverse("suspects:pair", kwargs={"pk": e.pk}) for e in review_queue(user=user)[:25]]


def _file_review_pages(user: User) -> list[str]:
    """A sample of 40 finalised cases drawn by `user`: the samples, the sample, each case's review page."""
    sample = sample_draw(
        actor=user,
        title="Anonymity sample",
        decided_from=dt.date(2000, 1, 1),
        decided_to=clock.today(),
        size=40,
        seed=5,
    )
    assert sample.reviews.count() == 40
    base = f"/case-file-reviews/{sample.pk}/"
    urls = ["/case-file-reviews/", "/case-file-reviews/new/", base]
    return urls + [f"{base}cases/{pk}/" for pk in sample.reviews.values_list("pk", flat=True)]


def _list_urls(base: str, pages: int) -> list[str]:
    urls = [base, f"{base}?page={pages}", f"{base}?sort=-offence", f"{base}?sort=status"]
    urls += [f"{base}?status={status}" for status in CaseStatus.values]
    urls += [f"{base}?offence_class={code}" for code in OffenceClass.objects.values_list("code", flat=True)[:5]]
    urls += [
        f"{base}?reported_from_day=1&reported_from_month=1&reported_from_year=2025&reported_to_day=31&reported_to_month=12&reported_to_year=2025",
        f"{base}?reported_from_day=nonsense&reported_from_month=1&reported_from_year=2025",
    ]
    urls += [f"{base}?page={page}" for page in range(2, pages)]
    return urls


def test_analysts_see_no_victim_identifiers_on_any_page_or_in_the_logs(client, linked_force, caplog, settings):
    force = linked_force
    settings.CASE_LIST_PAGE_SIZE = PAGE_SIZE
    caplog.set_level(logging.DEBUG)
    analyst = _user(Role.ANALYST, None, force)
    cases = list(Case.objects.order_by("crime_reference"))
    supervisor = UserFactory.create(username="anon-case-supervisor", role=Role.SUPERVISOR, team=cases[0].team)
    # One case restricted, one with a case need recorded for the analyst.
    case_restrict(actor=supervisor, case=cases[0], reason=RestrictionReason.PUBLIC_FIGURE, named_users=[])
    needed = next(c for c in cases[1:] if c.involvements.filter(role=InvolvementRole.SUSPECT).exists())
    case_need_record(actor=analyst, analyst=analyst, case=needed, justification=REASON)
    officers = frozenset(staff_names())
    client.force_login(analyst)
    caplog.clear()  # from here on, only what the application logs while serving pages

    for url in _list_urls("/analysis/cases/", pages=FORCE_CASES // PAGE_SIZE):
        _check(client, url, force, expect=200)
    _check(client, "/measures/", force, expect=200)
    _check(client, "/measures/?relationship=stranger&victim_age_band=18_24", force, expect=200)
    for case in cases[1:]:
        if case.pk == needed.pk:
            continue
        _check(client, f"/analysis/cases/{case.pk}/", force, expect=200)

    # With a case need the suspects are named; a victim who shares a suspect's name is still not.
    suspects = [i.person for i in needed.involvements.filter(role=InvolvementRole.SUSPECT).select_related("person")]
    suspect_words = frozenset(w for p in suspects for w in p.full_name.split())
    response = _check(client, f"/analysis/cases/{needed.pk}/", force, expect=200, except_words=suspect_words)
    assert 'data-testid="case-need-in-force"' in response.content.decode()

    # The repeat-suspect register, every identity, the link review and its pairs.
    suspect_pages = _suspect_pages()
    review_pages = _review_pages(analyst)
    assert len(suspect_pages) > 20
    assert review_pages, "the link review should have pairs to show"
    for url in [*suspect_pages, *review_pages]:
        # The link review sends the reviewer on to the first pair.
        _check(client, url, force, expect=200, shown=officers, follow=True)

    # Case-file reviews: every sampled case pseudonymised. The action form lists staff by name.
    for url in _file_review_pages(analyst):
        _check(client, url, force, expect=200)
    _check(client, f"{url.split('cases/')[0]}actions/new/", force, expect=200, shown=officers)

    # Pages an analyst may not open refuse without showing anything.
    _check(client, f"/analysis/cases/{cases[0].pk}/", force, expect=404)
    for case in cases[1:20]:
        _check(client, f"/cases/{case.pk}/", force, expect=403)
    for url in ("/cases/team/", "/cases/mine/", "/cases/break-glass/", "/break-glass-log/"):
        _check(client, url, force, expect=403)

    leaked = force.found_in_logs(caplog.records)
    assert not leaked, f"log records hold victim identifiers: {leaked[:5]}"


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.SUPERVISOR])
def test_staff_of_another_team_see_no_victim_identifiers(client, linked_force, caplog, role):
    force = linked_force
    caplog.set_level(logging.DEBUG)
    user = _user(role, "ELSEWHERE", force)
    officers = frozenset(staff_names())
    client.force_login(user)
    caplog.clear()  # from here on, only what the application logs while serving pages

    own_lists = ["/cases/team/"] + (["/cases/mine/"] if role == Role.INVESTIGATOR else [])
    own_lists += ["/cases/break-glass/", "/measures/"] if role == Role.SUPERVISOR else []
    for url in own_lists:
        _check(client, url, force, expect=200)
    for case in Case.objects.order_by("crime_reference")[:60]:
        # The break-glass prompt: it says nothing about the case, not even its crime reference.
        response = _check(client, f"/cases/{case.pk}/", force, expect=403)
        assert case.crime_reference not in response.content.decode()
        _check(client, f"/analysis/cases/{case.pk}/", force, expect=403)
    _check(client, "/analysis/cases/", force, expect=403)
    # Supervisors work the repeat-suspect register and the link review too; investigators may not.
    suspect_expect = 200 if role == Role.SUPERVISOR else 403
    for url in _suspect_pages()[:10]:
        _check(client, url, force, expect=suspect_expect, shown=officers, follow=True)
    if role == Role.SUPERVISOR:
        for url in _review_pages(user)[:10]:
            _check(client, url, force, expect=200, shown=officers)
        # Case-file reviews of other teams' cases: pseudonymised.
        for url in _file_review_pages(user):
            _check(client, url, force, expect=200)
    else:
        _check(client, "/case-file-reviews/", force, expect=403)

    leaked = force.found_in_logs(caplog.records)
    assert not leaked, f"log records hold victim identifiers: {leaked[:5]}"


def test_error_pages_do_not_echo_what_was_asked_for(client, force):
    analyst = _user(Role.ANALYST, None, force)
    victim = Involvement.objects.filter(role=InvolvementRole.VICTIM).exclude(person__last_name="").first()
    assert victim is not None
    name = f"{victim.person.first_name}-{victim.person.last_name}"
    missing = uuid.uuid4()
    client.force_login(analyst)

    for url, status in [
        (f"/analysis/cases/{missing}/", 404),
        (f"/cases/{missing}/", 404),
        (f"/analysis/cases/{name}/", 404),
        (f"/cases/{victim.case_id}/", 403),
        (f"/people/{victim.person_id}/", 404),
    ]:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == status, url
        for echoed in (str(missing), name, str(victim.person_id), str(victim.case_id)):
            assert echoed not in body, url
        assert not force.found_in(body), url


def test_the_check_finds_identifiers_where_the_case_team_is_meant_to_see_them(client, force):
    """The positive control: the case team's own page names the victim, and the check notices."""
    victim = (
        Involvement.objects.filter(role=InvolvementRole.VICTIM, person__date_of_birth__isnull=False)
        .exclude(person__last_name="")
        .select_related("case")
        .first()
    )
    assert victim is not None
    supervisor = UserFactory.create(username="anon-own-supervisor", role=Role.SUPERVISOR, team=victim.case.team)
    client.force_login(supervisor)

    body = client.get(f"/cases/{victim.case_id}/").content.decode()

    born = victim.person.date_of_birth
    assert born is not None
    assert victim.person.last_name in force.found_in(body)
    assert f"{born.day} {born:%B %Y}" in force.found_in(body)


def test_the_list_holds_every_kind_of_identifier_in_every_form(force):
    """The positive control for the list itself: each kind of identifier, written as a page or a log
    line would write it, is found; and a page with none of them is clean."""
    victim = give_victims_every_kind_of_identifier(count=13)[-1]
    secrets = victim_secrets()
    identifiers = {i.kind: i.value for i in victim.identifiers.all()}
    ni = identifiers["ni_number"]
    born = victim.date_of_birth
    written = {
        "surname alone": f"<td>{victim.last_name}</td>",
        "alias": f"also known as {victim.aliases[-2]}",
        "one-word alias": f"<td>{victim.aliases[-1]}</td>",
        "NI number in pairs": f"NI: {ni[:2]} {ni[2:4]} {ni[4:6]} {ni[6:8]} {ni[8]}",
        "passport": f"Passport {identifiers['passport']}.",
        "driving licence": f"Licence {identifiers['driving_licence']}",
    }
    if born:
        written |= {"date of birth, numeric": f"{born:%d/%m/%Y}", "date of birth, ISO": f'"{born.isoformat()}"'}
    address = victim.addresses.first()
    if address and address.postcode:
        written["postcode, compact"] = address.postcode.replace(" ", "")
    phone = victim.phones.first()
    if phone:
        digits = "".join(ch for ch in phone.number if ch.isdigit())[-6:]
        written["phone, international"] = f"+44 7700 {digits}"
    for kind, text in written.items():
        assert secrets.found_in(text), f"the check misses a victim's {kind}: {text}"
    assert not secrets.found_in("<p>Page 2 of 8. Suspect record 1, Identity 3a7f. Reported March 2025.</p>")

    record = logging.LogRecord("bluestone.test", logging.INFO, __file__, 1, "looked up %s", (ni,), None)
    assert secrets.found_in_logs([record])
