"""Case search: what a term finds (typos, nicknames, dates, postcodes, phones, PNC IDs), who finds
what (need-to-know), and what the s.62 log keeps (the term and the count, never the rows)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from bluestone.accounts.models import Role
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.entry import PersonDetails, case_create
from bluestone.cases.events import PeopleChanged
from bluestone.cases.models import (
    CaseAccess,
    CaseAccessKind,
    HowReported,
    IdentifierKind,
    PersonAddress,
    PersonIdentifier,
    PersonPhone,
    RestrictionReason,
    SearchEntry,
)
from bluestone.cases.models import Role as InvolvementRole
from bluestone.cases.search import case_search
from bluestone.cases.search_index import search_index_refresh, search_query_read
from bluestone.cases.services import case_restrict
from bluestone.core import clock, events
from bluestone.core.models import OffenceClass
from tests.factories import CaseFactory, InvolvementFactory, PersonRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def william(team):
    """A suspect, William Smith, on a case of `team`, with a postcode, a phone and a PNC ID."""
    case = CaseFactory.create(team=team, crime_reference="BS/26/000777")
    person = PersonRecordFactory.create(
        first_name="William", last_name="Smith", date_of_birth=dt.date(1985, 4, 5), aliases=["Billy Smyth"]
    )
    PersonAddress.objects.create(person=person, address="5 Foxglove Grove", postcode="LS6 2AB")
    PersonPhone.objects.create(person=person, number="07700 900123")
    PersonIdentifier.objects.create(person=person, kind=IdentifierKind.PNC_ID, value="04/98318C")
    InvolvementFactory.create(case=case, person=person, role=InvolvementRole.SUSPECT)
    # Someone else on another case of the team, who must not turn up for William's details.
    InvolvementFactory.create(
        case=CaseFactory.create(team=team),
        person=PersonRecordFactory.create(first_name="Jane", last_name="Brown", date_of_birth=dt.date(1990, 1, 2)),
    )
    search_index_refresh()
    return case


def references(user, term: str) -> set[str]:
    return {hit.case.crime_reference for hit in case_search(user=user, term=term).hits}


@pytest.mark.parametrize(
    "term",
    [
        "William Smith",
        "Jonh Smiht",  # not John; see below
        "Wiliam Smiht",  # a letter missing, two swapped
        "Bill Smith",  # a nickname
        "Will smith",
        "SMITH",
        "Billy Smyth",  # an alias
    ],
)
def test_names_are_found_through_typos_nicknames_and_aliases(investigator, william, term):
    found = references(investigator, term)

    if term == "Jonh Smiht":
        # "Jonh" is one edit from John, two from William: a typo of another name finds nobody.
        assert found == set()
    else:
        assert found == {"BS/26/000777"}


def test_a_typo_of_the_name_itself_is_found(investigator, team):
    case = CaseFactory.create(team=team, crime_reference="BS/26/000888")
    InvolvementFactory.create(case=case, person=PersonRecordFactory.create(first_name="John", last_name="Smith"))
    search_index_refresh(case_ids=[case.pk])

    assert references(investigator, "Jonh Smiht") == {"BS/26/000888"}
    # Every word must match: a different surname is not this John.
    assert references(investigator, "John Jones") == set()


@pytest.mark.parametrize("term", ["05/04/1985", "5/4/1985", "1985-04-05", "5 April 1985", "05-APR-85", "5.4.85"])
def test_a_date_of_birth_is_found_in_any_format_linkage_reads(investigator, william, term):
    results = case_search(user=investigator, term=term)

    assert {hit.case.crime_reference for hit in results.hits} == {"BS/26/000777"}
    assert results.query.kinds == ("date of birth",)


@pytest.mark.parametrize(
    ("term", "kind"),
    [
        ("LS6 2AB", "postcode"),
        ("ls62ab", "postcode"),
        ("07700 900123", "phone"),
        ("+44 7700 900123", "phone"),
        ("0044 7700900123", "phone"),
        ("04/98318C", "PNC ID"),
        ("2004/0098318C", "PNC ID"),
    ],
)
def test_postcodes_phones_and_pnc_ids_are_standardised(investigator, william, term, kind):
    results = case_search(user=investigator, term=term)

    assert {hit.case.crime_reference for hit in results.hits} == {"BS/26/000777"}
    assert kind in results.query.kinds


def test_a_crime_reference_is_found_whatever_its_case(investigator, william):
    results = case_search(user=investigator, term="bs/26/000777")

    assert [hit.case.crime_reference for hit in results.hits] == ["BS/26/000777"]
    assert results.hits[0].by_reference


def test_a_result_names_the_matching_person_and_role(investigator, william):
    hit = case_search(user=investigator, term="Bill Smith").hits[0]

    assert hit.people == (("William Smith", "Suspect"),)


def test_another_teams_case_is_not_found(william, other_team):
    outsider = UserFactory.create(role=Role.INVESTIGATOR, team=other_team)
    outside_supervisor = UserFactory.create(role=Role.SUPERVISOR, team=other_team)

    for user in (outsider, outside_supervisor):
        assert references(user, "William Smith") == set()
        assert references(user, "BS/26/000777") == set()


def test_break_glass_in_force_opens_a_case_to_search(william, other_team):
    outsider = UserFactory.create(role=Role.INVESTIGATOR, team=other_team)
    CaseAccess.objects.create(
        case=william,
        user=outsider,
        kind=CaseAccessKind.BREAK_GLASS,
        justification="Linked report",
        granted_at=clock.now(),
        expires_at=clock.now() + dt.timedelta(hours=1),
    )

    assert references(outsider, "William Smith") == {"BS/26/000777"}


def test_a_restricted_case_is_found_only_by_its_named_people(william, team, supervisor, investigator, other_team):
    named_elsewhere = UserFactory.create(role=Role.INVESTIGATOR, team=other_team)
    case_restrict(
        actor=supervisor,
        case=william,
        reason=RestrictionReason.POLICE_EMPLOYEE_SUSPECT,
        named_users=[named_elsewhere],
    )

    other_supervisor = UserFactory.create(role=Role.SUPERVISOR, team=team)

    assert references(investigator, "William Smith") == set()
    assert references(other_supervisor, "LS6 2AB") == set()
    assert references(other_supervisor, "BS/26/000777") == set()
    # The supervisor who restricted it is named on it, as is the investigator from elsewhere.
    assert references(supervisor, "LS6 2AB") == {"BS/26/000777"}
    assert references(named_elsewhere, "William Smith") == {"BS/26/000777"}


@pytest.mark.parametrize("role", [Role.ANALYST, Role.AUDITOR])
def test_search_is_only_for_staff_who_work_cases(william, team, role):
    with pytest.raises(PermissionDenied):
        case_search(user=UserFactory.create(role=role, team=team), term="William Smith")


def test_the_search_is_logged_with_its_term_and_count_not_its_rows(signed_in, investigator, william):
    response = signed_in(investigator).get("/cases/search/", {"q": "Bill  Smith"})

    assert response.status_code == 200
    assert "BS/26/000777" in response.content.decode()
    entry = AuditEvent.objects.filter(action=AuditAction.LIST, actor=investigator).get()
    assert entry.details == {"list": "search", "term": "Bill Smith", "read_as": ["name"], "count": 1}
    assert entry.case_id is None
    assert "BS/26/000777" not in str(entry.details)


def test_a_search_that_finds_nothing_is_logged_too(signed_in, investigator, william):
    response = signed_in(investigator).get("/cases/search/", {"q": "Nobody Atall"})

    assert "No cases found" in response.content.decode()
    assert AuditEvent.objects.get(action=AuditAction.LIST, actor=investigator).details["count"] == 0


def test_the_empty_search_page_logs_nothing(signed_in, investigator):
    response = signed_in(investigator).get("/cases/search/")

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.LIST).exists()


def test_a_search_term_too_long_is_refused_with_a_clear_error(signed_in, investigator):
    response = signed_in(investigator).get("/cases/search/", {"q": "x" * 101})

    assert response.status_code == 200
    assert "Search term must be 100 characters or fewer" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.LIST).exists()


def test_an_analyst_is_refused_the_page_and_has_no_search_box(signed_in, team):
    analyst = UserFactory.create(role=Role.ANALYST, team=team)
    client = signed_in(analyst)

    assert client.get("/cases/search/", {"q": "Smith"}).status_code == 403
    assert 'id="header-search"' not in client.get("/analysis/cases/").content.decode()


def test_the_header_search_box_is_on_an_investigators_pages(signed_in, investigator):
    page = signed_in(investigator).get("/cases/team/").content.decode()

    assert 'id="header-search"' in page
    assert 'action="/cases/search/"' in page


def test_people_added_to_a_case_are_indexed_in_the_same_transaction(team):
    case = CaseFactory.create(team=team)
    involvement = InvolvementFactory.create(
        case=case, person=PersonRecordFactory.create(first_name="Robert", last_name="Okafor")
    )

    events.publish(PeopleChanged(case_id=case.pk, person_ids=(involvement.person_id,), actor_id=None))

    tokens = SearchEntry.objects.get(involvement=involvement).tokens.split()
    assert {"robert", "okafor", "bob"} <= set(tokens)


def test_a_term_with_nothing_to_search_reads_as_empty():
    assert search_query_read("  ,;  ").is_empty


def test_a_case_recorded_through_case_entry_is_found_at_once(investigator, team):
    case = case_create(
        actor=investigator,
        offence_class=OffenceClass.objects.get(code="19C"),
        team=team,
        reported_at=dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC),
        offence_from=dt.date(2026, 2, 27),
        how_reported=HowReported.IN_PERSON,
        people=[
            PersonDetails(role=InvolvementRole.VICTIM, first_name="Joanna", last_name="Bloggs", phone="07700 900456"),
        ],
    )

    assert references(investigator, "Joana Blogs") == {case.crime_reference}
    assert references(investigator, "+447700900456") == {case.crime_reference}
