"""Every read of personal data is logged (DPA 2018 s.62): a crawl of every page, for every role.

On a small synthetic force (tests/forces.py, loaded through the extract loader), one case is given
something behind every kind of page: a plan with a victim-focused action waiting for approval, bail,
a proposed outcome, exhibits and requests, the victim's profile, a duty and a portal message, a
repeat-suspect identity with a tactic and a proposed link, an online report, a SARC sample, a
case-file review sample with an action. Then, for
each role, every GET route the URL resolver knows is fetched, its path parameters filled with those
rows' ids. A page (status 200) that shows a person's name, date of birth, phone number, email address
or postcode (in every form tests/anonymity.py knows for them) must have written, in the same request,
an audit entry naming that person or one of their cases (an online report's reporter: the report).

A new route with a path parameter this test cannot fill fails it: add the parameter to `_kwargs`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bluestone.accounts.models import Officer, Role, User
from bluestone.audit.models import AuditEvent
from bluestone.cases.entry import case_event_record
from bluestone.cases.loading import extract_load
from bluestone.cases.models import Case, CaseStatus, EventKind, Involvement, PersonRecord
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core import clock
from bluestone.core.models import OutcomeType
from bluestone.filereviews.models import CaseReview, Pillar, ReviewAction, ReviewSample
from bluestone.filereviews.selectors import template_current
from bluestone.investigation.models import AuthorityLevel, BailAuthority, PlanTemplateLine
from bluestone.investigation.services import (
    bail_record,
    line_add,
    outcome_propose,
    plan_create,
    victim_action_request_approval,
)
from bluestone.portal.models import OnlineReport, SupportService
from bluestone.suspects.models import TacticStatus, TacticType
from bluestone.suspects.services import tactic_record_create
from bluestone.victims.models import Obligation, ObligationStatus
from bluestone.victims.services import portal_access_issue, portal_message_send, victim_profiles_ensure
from bluestone.workforce.models import CourseType
from bluestone.workforce.services import check_in_record
from tests.anonymity import _RUN, date_forms, phone_forms, postcode_forms, staff_names
from tests.anonymity import _occurs_whole as occurs_whole
from tests.evidence.factories import authorised_device_request, sarc_sample, scene_exhibit
from tests.factories import UserFactory
from tests.portal.factories import OnlineReportFactory
from tests.suspects.factories import explanation, identity_of

pytestmark = pytest.mark.django_db

ROLES = [role.value for role in Role]
VICTIM = "victim (follow my case)"


@dataclass
class World:
    users: dict[str, User]
    kwargs: dict[str, Any]
    reference: str = ""
    portal_code: str = ""


@dataclass
class Identifiers:
    """Each phrase that identifies someone, with the runs of letters and digits it needs, and who it names."""

    phrases: dict[str, tuple[frozenset[str], set[str]]] = field(default_factory=dict)
    # Who may be named by an entry: a person record's id, their cases' ids; an online report's id.
    keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, phrase: str, who: str) -> None:
        phrase = phrase.strip()
        if len(phrase) < 5:
            return
        self.phrases.setdefault(phrase, (frozenset(_RUN.findall(phrase)), set()))[1].add(who)

    def shown_in(self, text: str) -> dict[str, set[str]]:
        """Each identifying phrase in `text`, with the people it may be (two records can share a name)."""
        runs = set(_RUN.findall(text))
        return {
            phrase: people
            for phrase, (needs, people) in self.phrases.items()
            if needs <= runs and occurs_whole(phrase, text)
        }

    def logged(self, people: set[str], named: set[str]) -> bool:
        return any(self.keys[who] & named for who in people)


def _add_person(ids: Identifiers, person: PersonRecord) -> None:
    who = str(person.pk)
    ids.keys[who].add(who)
    phrases = {f"{person.first_name} {person.last_name}" if person.first_name and person.last_name else ""}
    phrases |= {person.full_name} if " " in person.full_name else set()
    phrases |= date_forms(person.date_of_birth) if person.date_of_birth else set()
    phrases |= {form for phone in person.phones.all() for form in phone_forms(phone.number)}
    phrases |= {email.address for email in person.emails.all()}
    phrases |= {form for a in person.addresses.all() if a.postcode for form in postcode_forms(a.postcode)}
    for phrase in phrases:
        ids.add(phrase, who)


def _identifiers() -> Identifiers:
    ids = Identifiers()
    for person in PersonRecord.objects.prefetch_related("addresses", "phones", "emails"):
        _add_person(ids, person)
    for person_id, case_id in Involvement.objects.values_list("person_id", "case_id"):
        ids.keys[str(person_id)].add(str(case_id))
    for report in OnlineReport.objects.all():
        who = f"report:{report.pk}"
        ids.keys[who].add(str(report.pk))
        if report.first_name and report.last_name:
            ids.add(f"{report.first_name} {report.last_name}", who)
        for form in phone_forms(report.phone) if report.phone else ():
            ids.add(form, who)
        if report.email:
            ids.add(report.email, who)
    return ids


def _named_by(entries: list[AuditEvent]) -> set[str]:
    named: set[str] = set()
    for entry in entries:
        named |= {str(value) for value in (entry.person_id, entry.case_id, entry.object_id) if value}
        named |= {str(value) for value in entry.details.get("person_ids", []) or []}
    return named


# --- The world ------------------------------------------------------------------------------------


def _the_case() -> tuple[Case, Involvement, Involvement]:
    """A case that is still open, with a victim and a named suspect."""
    for case in Case.objects.exclude(status=CaseStatus.CLOSED).order_by("crime_reference"):
        victim = case.involvements.filter(role=InvolvementRole.VICTIM, person__date_of_birth__isnull=False).first()
        suspect = case.involvements.filter(role=InvolvementRole.SUSPECT).exclude(person__last_name="").first()
        if victim is not None and suspect is not None and case.officer_id is not None:
            return case, victim, suspect
    raise AssertionError("the small force has no open case with a victim and a named suspect")


def _users(case: Case) -> dict[str, User]:
    users = {}
    for role in ROLES:
        team = case.team if role in (Role.INVESTIGATOR, Role.SUPERVISOR) else None
        # Staff names no person record has, so that the header makes no false alarm.
        users[role] = UserFactory.create(
            username=f"crawl-{role}", first_name="Quillon", last_name=f"Zarkovy{role.title()}", role=role, team=team
        )
    assert case.officer_id is not None
    Officer.objects.filter(pk=case.officer_id).update(user=users[Role.INVESTIGATOR])
    BailAuthority.objects.create(user=users[Role.SUPERVISOR], level=AuthorityLevel.INSPECTOR)
    return users


def _other_suspects(case: Case, count: int) -> list[PersonRecord]:
    records = (
        PersonRecord.objects.filter(involvements__role=InvolvementRole.SUSPECT)
        .exclude(involvements__case=case)
        .exclude(last_name="")
        .order_by("pk")
        .distinct()
    )
    found = list(records[:count])
    assert len(found) == count
    return found


def _build(force_dir: Path) -> World:
    extract_load(directory=force_dir)
    case, victim, suspect = _the_case()
    users = _users(case)
    investigator, supervisor = users[Role.INVESTIGATOR], users[Role.SUPERVISOR]

    plan = plan_create(actor=investigator, case=case)
    line = line_add(
        actor=investigator, plan=plan, group="victim_account", title="Messages", intrusive_kind="phone_download"
    )
    victim_action_request_approval(
        actor=investigator,
        line=line,
        rationale="Messages on the night are a reasonable line of enquiry for the suspect's account.",
        less_intrusive_considered="The suspect's phone first.",
        victim_agreed=True,
        victim_notice_given=False,
    )
    bail = bail_record(
        actor=investigator,
        case=case,
        suspect=suspect,
        starts_on=clock.today() - dt.timedelta(days=1),
        conditions="Not to contact the victim",
        victim_views="The victim asked for a no-contact condition.",
    )
    decision = outcome_propose(
        actor=investigator,
        case=case,
        outcome_type=OutcomeType.objects.get(code=10),
        decided_on=clock.today(),
        rationale="Formal action against the suspect is not in the public interest.",
    )
    exhibit = scene_exhibit(officer=investigator, case=case)
    request = authorised_device_request(officer=investigator, supervisor=supervisor, case=case, person=victim.person)
    profile = victim_profiles_ensure(case_id=case.pk, actor=investigator)[0]
    case_event_record(actor=investigator, case=case, kind=EventKind.SUSPECT_ARRESTED, occurred_at=clock.now())
    obligation = Obligation.objects.filter(case=case, status=ObligationStatus.OPEN).first()
    message = portal_message_send(profile=profile, body="When will I hear about the interview?")
    sample = sarc_sample(liaison=users[Role.SARC_LIAISON], collected_on=clock.today() - dt.timedelta(days=30))
    other, third = _other_suspects(case, 2)
    identity = identity_of(suspect.person, other)
    pair = explanation(suspect.person, third, probability=0.7)
    tactic = tactic_record_create(
        actor=users[Role.ANALYST],
        identity=identity,
        tactic=TacticType.objects.get(code="sro"),
        status=TacticStatus.APPLIED_FOR,
        status_on=clock.today(),
        owner=supervisor,
        review_on=clock.today() + dt.timedelta(days=30),
    )
    report = OnlineReportFactory.create(first_name="Robin", last_name="Quarrendon")
    assert case.officer is not None
    check_in = check_in_record(
        actor=supervisor,
        officer=case.officer,
        held_on=clock.today(),
        notes="",
        support_offered="",
        referred_to_occupational_health=True,
    )
    template_line = PlanTemplateLine.objects.order_by("pk").first()
    assert obligation is not None
    assert template_line is not None
    review_sample = ReviewSample.objects.create(
        template=template_current(),
        title="Crawl sample",
        decided_from=clock.today(),
        decided_to=clock.today(),
        size=1,
        seed=1,
    )
    case_review = CaseReview.objects.create(sample=review_sample, case=case, outcome_group="other", team=case.team)
    review_action = ReviewAction.objects.create(
        sample=review_sample,
        pillar=Pillar.VICTIM_ENGAGEMENT,
        description="Refresher on the Victims' Code",
        owner=supervisor,
        due_on=clock.today() + dt.timedelta(days=30),
    )
    kwargs = {
        "case": case.pk,
        "line": line.pk,
        "bail": bail.pk,
        "decision": decision.pk,
        "profile": profile.pk,
        "obligation": obligation.pk,
        "message": message.pk,
        "exhibit_id": exhibit.pk,
        "request_id": request.pk,
        "kind": "victim_device",
        "sample_id": sample.pk,
        "identity": identity.pk,
        "tactic": tactic.pk,
        "pair": pair.pk,
        "report": report.pk,
        "bail_authority": BailAuthority.objects.get(user=supervisor).pk,
        "template": template_line.template_id,
        "officer": case.officer_id,
        "guidance_key": "bail",
        "guidance_number": 1,
        "check_in": check_in.pk,
        "course": CourseType.objects.order_by("pk")[0].pk,
        "template_line": template_line.pk,
        "step": "who",
        "sample": review_sample.pk,
        "review": case_review.pk,
        "action": review_action.pk,
        "staff_user": supervisor.pk,
        "support_service": SupportService.objects.create(
            name="Hollowmere Survivors Line", offer="Listening", area="Everywhere", phone="01632 960 001"
        ).pk,
    }
    _access, code = portal_access_issue(actor=investigator, profile=profile)
    return World(users=users, kwargs=kwargs, reference=case.crime_reference, portal_code=code)


# --- The routes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    template: str
    name: str
    parameters: tuple[str, ...]


def _routes(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            # A route outside every namespace (the health checks) is reversed by its bare name.
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(prefix + str(entry.pattern), name, tuple(converters))


# `pk` means the row of the path segment before it.
PK_OF = {
    "cases/": "case",
    "analysis/cases/": "case",
    "repeat-suspects/": "identity",
    "repeat-suspects/tactics/": "tactic",
    "link-review/": "pair",
    "bail-authority/": "bail_authority",
    "triage/reports/": "report",
    "administration/users/": "staff_user",
    "administration/support-services/": "support_service",
    "workforce/officers/": "officer",
    "workforce/check-ins/": "check_in",
    "workforce/courses/": "course",
}
SAME_NAME = {
    "line": "line",
    "bail": "bail",
    "decision": "decision",
    "profile": "profile",
    "obligation": "obligation",
    "message": "message",
    "exhibit_id": "exhibit_id",
    "request_id": "request_id",
    "kind": "kind",
    "sample_id": "sample_id",
    "template": "template",
    "step": "step",
    "key": "guidance_key",
    "number": "guidance_number",
    "sample": "sample",
    "review": "review",
    "action": "action",
}


def _kwargs(route: Route, world: World) -> dict[str, Any]:
    kwargs = {}
    for name in route.parameters:
        if name == "pk":
            before = route.template.split("<", 1)[0]
            key = PK_OF.get(before)
        elif name == "line" and route.template.startswith("templates/"):
            key = "template_line"
        else:
            key = SAME_NAME.get(name)
        assert key is not None, f"{route.template}: add its parameter '{name}' to the crawl"
        kwargs[name] = world.kwargs[key]
    return kwargs


def test_every_route_with_parameters_can_be_filled() -> None:
    world = World(users={}, kwargs=defaultdict(uuid.uuid4))
    routes = list(_routes())
    assert len(routes) > 100
    for route in routes:
        _kwargs(route, world)


def _sign_in(client: Client, role: str, world: World) -> None:
    if role != VICTIM:
        client.force_login(world.users[role])
        return
    response = client.post("/portal/follow/", {"reference": world.reference, "code": world.portal_code, "check": ""})
    assert response.status_code == 302
    check = "blue-heron-7"
    response = client.post("/portal/follow/secret-word/", {"check": check, "confirm": check})
    assert response.status_code == 302


@pytest.mark.parametrize("role", [*ROLES, VICTIM])
def test_every_page_that_shows_a_person_logs_it(role: str, small_force_dir: Path, client: Client) -> None:
    world = _build(small_force_dir)
    identifiers = _identifiers()
    staff = sorted(staff_names(), key=len, reverse=True)
    _sign_in(client, role, world)
    pages = with_people = 0
    unlogged: list[str] = []
    for route in _routes():
        url = reverse(route.name, kwargs=_kwargs(route, world))
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", "html"):
            continue
        pages += 1
        text = response.content.decode()
        for name in staff:
            text = text.replace(name, " ")
        shown = identifiers.shown_in(text)
        if not shown:
            continue
        with_people += 1
        named = _named_by(list(AuditEvent.objects.filter(sequence__gt=last)))
        missing = sorted(phrase for phrase, people in shown.items() if not identifiers.logged(people, named))
        if missing:
            unlogged.append(f"{url} shows {missing[:4]} and logs neither the person nor their case")
    assert pages > 5, f"the {role} saw almost no page: is the crawl signed in?"
    if role in (Role.INVESTIGATOR, Role.SUPERVISOR):
        # The case team sees the people on its case on most of its pages: the matching finds them.
        assert with_people > 15, with_people
    assert not unlogged, "\n".join(unlogged)
