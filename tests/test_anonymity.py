"""Lifetime anonymity (Sexual Offences (Amendment) Act 1992): outside the case team, nothing that could
identify a complainant is shown or logged.

A synthetic force of 300 cases is loaded through the extract loader. An analyst, and an investigator
and a supervisor of a team that owns none of the cases, then fetch every page open to them (and the
pages that are not, which must refuse without echoing anything): case lists with every filter and
every page of them, every pseudonymised case page, the force overview, the break-glass pages, and
error pages. No victim's first, middle or last name, full name, date of birth (in the formats
Bluestone writes dates), address, postcode, phone number or email address may appear in any response
or in any log record written while they were served.

There are no analyst exports yet: when one lands, add its URL to `analyst_urls`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from bluestone.accounts.models import Role, User
from bluestone.cases.loading import extract_load
from bluestone.cases.models import Case, CaseStatus, Involvement, RestrictionReason
from bluestone.cases.models import Role as InvolvementRole
from bluestone.cases.services import case_need_record, case_restrict
from bluestone.core.models import OffenceClass
from bluestone.synth import generate_force, write_force
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=False)

SEED = 20260303
CASES = 300
REASON = "Checking whether this suspect is a repeat suspect in other reports"

MONTHS = {dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)}


def _date_forms(day: dt.date) -> set[str]:
    return {day.isoformat(), f"{day.day} {day:%B %Y}", f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}"}


@dataclass
class Secrets:
    """What identifies the victims: exact strings, and name words to find as whole words."""

    strings: set[str]
    words: set[str]

    def found_in(self, text: str, *, except_words: frozenset[str] = frozenset()) -> list[str]:
        found = [s for s in self.strings if s in text]
        found += (self.words - except_words) & set(re.findall(r"[^\W\d_]+(?:['-][^\W\d_]+)*", text))
        return sorted(found)


def _victim_secrets() -> Secrets:
    strings: set[str] = set()
    words: set[str] = set()
    victims = Involvement.objects.filter(role=InvolvementRole.VICTIM).select_related("person")
    for involvement in victims:
        person = involvement.person
        if person.first_name and person.last_name:
            strings.add(f"{person.first_name} {person.last_name}")
        if person.full_name and " " in person.full_name:
            strings.add(person.full_name)
        for part in (person.first_name, person.last_name, *person.middle_names.split()):
            # Month names are also first names ("May", "June"): pages write months, so a month on a
            # page says nothing about a victim. Full names above still catch "May Johnson". A lone
            # initial ("A") identifies nobody and is in every page's text.
            if len(part) > 1 and part not in MONTHS:
                words.add(part)
        if person.date_of_birth:
            strings |= _date_forms(person.date_of_birth)
        for address in person.addresses.all():
            if address.address:
                strings.add(address.address)
            if address.postcode:
                compact = address.postcode.replace(" ", "")
                strings |= {address.postcode, compact, f"{compact[:-3]} {compact[-3:]}"}
        strings |= {phone.number for phone in person.phones.all() if phone.number}
        strings |= {email.address for email in person.emails.all() if email.address}
    assert len(words) > 50, "the synthetic force should have named victims"
    return Secrets(strings=strings, words=words)


@pytest.fixture
def force(tmp_path: Path) -> Secrets:
    write_force(generate_force(cases=CASES, seed=SEED), tmp_path / "extract")
    extract_load(directory=tmp_path / "extract")
    assert Case.objects.count() == CASES
    return _victim_secrets()


def _user(role: str, team_code: str | None, secrets: Secrets) -> User:
    team = TeamFactory.create(code=team_code, name="Elsewhere unit") if team_code else None
    # Staff names that no victim shares, so that the header cannot make a false alarm.
    user = UserFactory.create(
        username=f"anon-{role}", first_name="Quillon", last_name=f"Zarkovy{role.title()}", role=role, team=team
    )
    assert not secrets.found_in(f"{user.first_name} {user.last_name} Elsewhere unit")
    return user


def _check(client: Client, url: str, secrets: Secrets, *, expect: int, except_words: frozenset[str] = frozenset()):
    response = client.get(url)
    assert response.status_code == expect, url
    # A CSRF token is random letters and digits: a short name ("Zo") can turn up inside one by chance.
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    leaked = secrets.found_in(text, except_words=except_words)
    assert not leaked, f"{url} shows victim identifiers: {leaked[:5]}"
    return response


def _logged_text(record: logging.LogRecord) -> str:
    """The message and any traceback, as a handler would write them."""
    return logging.Formatter().format(record)


def _list_urls(base: str, pages: int) -> list[str]:
    urls = [base, f"{base}?page={pages}", f"{base}?sort=-offence", f"{base}?sort=status"]
    urls += [f"{base}?status={status}" for status in CaseStatus.values]
    urls += [f"{base}?offence_class={code}" for code in OffenceClass.objects.values_list("code", flat=True)[:5]]
    urls += [f"{base}?reported_from=1/1/2025&reported_to=31/12/2025", f"{base}?reported_from=nonsense"]
    urls += [f"{base}?page={page}" for page in range(2, pages)]
    return urls


def test_analysts_see_no_victim_identifiers_on_any_page_or_in_the_logs(client, force, caplog, settings):
    settings.CASE_LIST_PAGE_SIZE = 50
    caplog.set_level(logging.DEBUG)
    analyst = _user(Role.ANALYST, None, force)
    cases = list(Case.objects.order_by("crime_reference"))
    supervisor = UserFactory.create(username="anon-case-supervisor", role=Role.SUPERVISOR, team=cases[0].team)
    # One case restricted, one with a case need recorded for the analyst.
    case_restrict(actor=supervisor, case=cases[0], reason=RestrictionReason.PUBLIC_FIGURE, named_users=[])
    needed = next(c for c in cases[1:] if c.involvements.filter(role=InvolvementRole.SUSPECT).exists())
    case_need_record(actor=analyst, analyst=analyst, case=needed, justification=REASON)
    client.force_login(analyst)
    caplog.clear()  # from here on, only what the application logs while serving pages

    for url in _list_urls("/analysis/cases/", pages=CASES // 50):
        _check(client, url, force, expect=200)
    _check(client, "/overview/", force, expect=200)
    for case in cases[1:]:
        if case.pk == needed.pk:
            continue
        _check(client, f"/analysis/cases/{case.pk}/", force, expect=200)

    # With a case need the suspects are named; a victim who shares a suspect's name is still not.
    suspects = [i.person for i in needed.involvements.filter(role=InvolvementRole.SUSPECT).select_related("person")]
    suspect_words = frozenset(w for p in suspects for w in p.full_name.split())
    response = _check(client, f"/analysis/cases/{needed.pk}/", force, expect=200, except_words=suspect_words)
    assert 'data-testid="case-need-in-force"' in response.content.decode()

    # Pages an analyst may not open refuse without showing anything.
    _check(client, f"/analysis/cases/{cases[0].pk}/", force, expect=404)
    for case in cases[1:20]:
        _check(client, f"/cases/{case.pk}/", force, expect=403)
    for url in ("/cases/team/", "/cases/mine/", "/cases/break-glass/", "/break-glass-log/"):
        _check(client, url, force, expect=403)

    for record in caplog.records:
        leaked = force.found_in(_logged_text(record))
        assert not leaked, f"log record {record.name} holds victim identifiers: {leaked[:5]}"


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.SUPERVISOR])
def test_staff_of_another_team_see_no_victim_identifiers(client, force, caplog, role):
    caplog.set_level(logging.DEBUG)
    user = _user(role, "ELSEWHERE", force)
    client.force_login(user)
    caplog.clear()  # from here on, only what the application logs while serving pages

    own_lists = ["/cases/team/"] + (["/cases/mine/"] if role == Role.INVESTIGATOR else [])
    own_lists += ["/cases/break-glass/", "/overview/"] if role == Role.SUPERVISOR else []
    for url in own_lists:
        _check(client, url, force, expect=200)
    for case in Case.objects.order_by("crime_reference")[:60]:
        # The break-glass prompt: it says nothing about the case, not even its crime reference.
        response = _check(client, f"/cases/{case.pk}/", force, expect=403)
        assert case.crime_reference not in response.content.decode()
        _check(client, f"/analysis/cases/{case.pk}/", force, expect=403)
    _check(client, "/analysis/cases/", force, expect=403)

    for record in caplog.records:
        leaked = force.found_in(_logged_text(record))
        assert not leaked, f"log record {record.name} holds victim identifiers: {leaked[:5]}"


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
