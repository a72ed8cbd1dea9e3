from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from bluestone.accounts.models import Role
from bluestone.cases.models import CaseStatus, EventKind, Relationship
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core.models import OutcomeType
from tests.dates import date_boxes
from tests.factories import (
    BASE_TIME,
    CaseEventFactory,
    CaseFactory,
    InvolvementFactory,
    OfficerFactory,
    OutcomeFactory,
    PersonRecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def title(page: str) -> str:
    """The GOV.UK page title pattern: the page, an en dash, the service."""
    return f"<title>{page} \N{EN DASH} Bluestone</title>"


# Session, user, the user's team (header), the user's officer record, offence classes (filter), the
# count, the page of rows,
# three for saving the session (SESSION_SAVE_EVERY_REQUEST slides the idle timeout), and four for the
# s.62 log entry of the list (savepoint, chain head, insert, release; five on PostgreSQL, which also
# takes the chain's advisory lock).
LIST_PAGE_MAX_QUERIES = 15


def crime_references(response) -> list[str]:
    return re.findall(r'href="/cases/[0-9a-f-]+/">([^<]+)</a>', response.content.decode())


@pytest.mark.parametrize(
    "url",
    ["/", "/cases/mine/", "/cases/team/", "/measures/", "/cases/00000000-0000-0000-0000-000000000000/"],
)
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign-in')}?next={url}"


@pytest.mark.parametrize(
    ("role", "destination"),
    [
        (Role.INVESTIGATOR, "/my-work/"),
        (Role.SUPERVISOR, "/team-work/"),
        (Role.ANALYST, "/repeat-suspects/"),
        (Role.TRIAGE, "/triage/"),
        (Role.AUDITOR, "/audit/"),
        (Role.ADMINISTRATOR, "/templates/"),
        (Role.SARC_LIAISON, "/sarc/"),
    ],
)
def test_home_sends_each_role_to_its_first_page(signed_in, team, role, destination):
    response = signed_in(UserFactory.create(role=role, team=team)).get("/")

    assert response.status_code == 302
    assert response["Location"] == destination


def test_my_cases_lists_only_the_users_cases(signed_in, investigator, investigator_officer, team):
    mine = CaseFactory.create(
        team=team, officer=investigator_officer, reported_at=dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC)
    )
    CaseFactory.create(team=team)

    response = signed_in(investigator).get("/cases/mine/")

    body = response.content.decode()
    assert response.status_code == 200
    assert crime_references(response) == [mine.crime_reference]
    assert "3 March 2026" in body
    assert title("My cases") in body
    assert 'aria-sort="descending"' in body  # newest first by default


def test_team_cases_list_only_the_teams_cases(signed_in, supervisor, team, other_team):
    ours = CaseFactory.create(team=team)
    CaseFactory.create(team=other_team)

    response = signed_in(supervisor).get("/cases/team/")

    assert crime_references(response) == [ours.crime_reference]


def test_filtering_by_status_narrows_the_list(signed_in, supervisor, team):
    closed = CaseFactory.create(team=team, status=CaseStatus.CLOSED)
    CaseFactory.create(team=team, status=CaseStatus.REPORTED)

    response = signed_in(supervisor).get("/cases/team/", {"status": "closed"})

    assert crime_references(response) == [closed.crime_reference]


def test_filtering_by_reported_dates_accepts_day_month_year(signed_in, supervisor, team):
    inside = CaseFactory.create(team=team, reported_at=dt.datetime(2026, 1, 15, 10, tzinfo=dt.UTC))
    CaseFactory.create(team=team, reported_at=dt.datetime(2025, 12, 1, 10, tzinfo=dt.UTC))

    response = signed_in(supervisor).get(
        "/cases/team/", {**date_boxes("reported_from", "1/1/2026"), **date_boxes("reported_to", "31/1/2026")}
    )

    assert crime_references(response) == [inside.crime_reference]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({**date_boxes("reported_from", "31/2/2026")}, "The reported from date must be a real date"),
        (
            {"reported_to_day": "yesterday", "reported_to_month": "1", "reported_to_year": "2026"},
            "The reported to date must be a real date",
        ),
        (
            {**date_boxes("reported_from", "2/2/2026"), **date_boxes("reported_to", "1/2/2026")},
            "must be the same as or after",
        ),
        ({"status": "nonsense"}, "Select a valid choice"),
        ({"offence_class": "'; DROP TABLE"}, "Select a valid choice"),
    ],
)
def test_bad_filter_input_shows_an_error_not_a_crash(signed_in, supervisor, team, params, message):
    CaseFactory.create(team=team)

    response = signed_in(supervisor).get("/cases/team/", params)

    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert message in body
    assert body.count(message) == 2  # in the summary and beside the field
    assert title("Error: Team cases") in body
    assert crime_references(response) == []


def test_sorting_by_crime_reference_reverses_with_the_next_click(signed_in, supervisor, team):
    for ref in ("BS/2", "BS/1", "BS/3"):
        CaseFactory.create(team=team, crime_reference=ref)
    client = signed_in(supervisor)

    ascending = client.get("/cases/team/", {"sort": "crime_reference"})
    descending = client.get("/cases/team/", {"sort": "-crime_reference"})

    assert crime_references(ascending) == ["BS/1", "BS/2", "BS/3"]
    assert crime_references(descending) == ["BS/3", "BS/2", "BS/1"]
    assert 'aria-sort="ascending"' in ascending.content.decode()
    assert "sort=-crime_reference" in ascending.content.decode()


def test_an_unknown_sort_key_falls_back_to_newest_first(signed_in, supervisor, team):
    older = CaseFactory.create(team=team, reported_at=BASE_TIME - dt.timedelta(days=5))
    newer = CaseFactory.create(team=team, reported_at=BASE_TIME)

    response = signed_in(supervisor).get("/cases/team/", {"sort": "officer__user__password"})

    assert response.status_code == 200
    assert crime_references(response) == [newer.crime_reference, older.crime_reference]


def test_pagination_shows_page_size_rows_and_keeps_filters(signed_in, supervisor, team, settings):
    settings.CASE_LIST_PAGE_SIZE = 3
    for i in range(7):
        CaseFactory.create(
            team=team,
            status=CaseStatus.REPORTED,
            crime_reference=f"BS/{i}",
            reported_at=BASE_TIME - dt.timedelta(days=i),
        )
    CaseFactory.create(team=team, status=CaseStatus.CLOSED)
    client = signed_in(supervisor)

    first = client.get("/cases/team/", {"status": "reported"})
    last = client.get("/cases/team/", {"status": "reported", "page": "3"})
    beyond = client.get("/cases/team/", {"status": "reported", "page": "99"})

    assert crime_references(first) == ["BS/0", "BS/1", "BS/2"]
    assert crime_references(last) == ["BS/6"]
    assert crime_references(beyond) == ["BS/6"]  # a page past the end shows the last one
    body = first.content.decode()
    assert "govuk-pagination" in body
    assert 'href="?status=reported&amp;page=2"' in body
    assert "7 cases, showing 1 to 3" in body


def test_empty_state_says_how_cases_arrive(signed_in, investigator, investigator_officer):
    response = signed_in(investigator).get("/cases/mine/")

    assert "Cases appear here when you are made the officer in the case." in response.content.decode()


@pytest.mark.parametrize("url", ["/cases/mine/", "/cases/team/"])
def test_list_pages_use_a_fixed_number_of_queries(
    signed_in, investigator, investigator_officer, url, django_assert_max_num_queries
):
    for _ in range(30):
        CaseFactory.create(team=investigator_officer.team, officer=investigator_officer)
    client = signed_in(investigator)

    with django_assert_max_num_queries(LIST_PAGE_MAX_QUERIES) as queries:
        response = client.get(url, {"status": "under_investigation", "sort": "offence"})

    assert len(crime_references(response)) == 25
    case_queries = [q["sql"] for q in queries.captured_queries if '"cases_case"' in q["sql"]]
    assert len(case_queries) == 2  # the count for the pager, and the page's rows with their joins


def test_case_page_shows_people_in_their_roles_timeline_and_outcome(signed_in, supervisor, team):
    case = CaseFactory.create(team=team, status=CaseStatus.CLOSED)
    InvolvementFactory.create(
        case=case,
        role=InvolvementRole.VICTIM,
        person=PersonRecordFactory.create(first_name="Vera", last_name="Victim", date_of_birth=dt.date(1990, 5, 4)),
    )
    InvolvementFactory.create(
        case=case,
        role=InvolvementRole.SUSPECT,
        person=PersonRecordFactory.create(first_name="Sam", last_name="Suspect"),
        relationship_to_victim=Relationship.EX_PARTNER,
    )
    InvolvementFactory.create(
        case=case,
        role=InvolvementRole.WITNESS,
        person=PersonRecordFactory.create(first_name="Will", last_name="Witness"),
    )
    CaseEventFactory.create(
        case=case, kind=EventKind.SUSPECT_ARRESTED, occurred_at=dt.datetime(2026, 3, 5, 14, 30, tzinfo=dt.UTC)
    )
    OutcomeFactory.create(
        case=case, outcome_type=OutcomeType.objects.get(code=16), rationale="The victim withdrew support."
    )

    response = signed_in(supervisor).get(f"/cases/{case.pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-role="victim".*Vera Victim.*4 May 1990', body, re.S)
    assert re.search(r'data-role="suspect".*Sam Suspect.*Ex-partner', body, re.S)
    assert re.search(r'data-role="witness".*Will Witness', body, re.S)
    assert "moj-timeline" in body
    assert "Suspect arrested" in body
    assert "5 March 2026 at 2:30pm" in body
    assert "Outcome 16:" in body
    assert "The victim withdrew support." in body
    assert "moj-identity-bar" in body
    # Timeline and Outcome are tabs: no second set of links to them under the tabs.
    assert 'href="#timeline"' not in body
    assert 'href="#outcome"' not in body


def test_case_page_says_when_there_is_no_outcome(signed_in, supervisor, team):
    case = CaseFactory.create(team=team)

    response = signed_in(supervisor).get(f"/cases/{case.pk}/")

    assert "No outcome yet." in response.content.decode()


def test_case_of_another_team_is_403_with_the_break_glass_prompt(
    signed_in, investigator, investigator_officer, other_team
):
    theirs = CaseFactory.create(team=other_team, crime_reference="BS/SECRET")

    response = signed_in(investigator).get(f"/cases/{theirs.pk}/")

    assert response.status_code == 403
    assert "You have no need to know this case" in response.content.decode()
    assert "BS/SECRET" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR, Role.TRIAGE])
@pytest.mark.parametrize("page", ["detail", "mine", "team"])
def test_roles_without_case_access_get_403_on_case_pages(signed_in, team, role, page):
    case = CaseFactory.create(team=team)
    url = f"/cases/{case.pk}/" if page == "detail" else f"/cases/{page}/"

    response = signed_in(UserFactory.create(role=role, team=team)).get(url)

    assert response.status_code == 403


def test_an_unknown_case_is_404(signed_in, supervisor):
    response = signed_in(supervisor).get("/cases/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "items"),
    [
        (Role.INVESTIGATOR, ["My work", "My cases", "Team cases", "Your training and wellbeing"]),
        (
            Role.SUPERVISOR,
            [
                "Team work",
                "Team cases",
                "Workforce",
                "Measures",
                "Case-file reviews",
                "Break-glass access",
            ],
        ),
        (Role.ANALYST, ["Repeat suspects", "Link review", "Cases", "Measures", "Exports", "Case-file reviews"]),
        (Role.AUDITOR, ["Access log", "Sign-ins and lockouts", "Break-glass log", "Verify log"]),
        (Role.OCCUPATIONAL_HEALTH, ["Wellbeing referrals"]),
    ],
)
def test_navigation_lists_only_the_pages_a_role_may_use(signed_in, team, role, items):
    user = UserFactory.create(role=role, team=team)
    OfficerFactory.create(team=team, user=user)

    response = signed_in(user).get("/", follow=True)

    links = re.findall(
        r'class="govuk-service-navigation__link"[^>]*>\s*(?:<strong[^>]*>)?([^<]+?)\s*<', response.content.decode()
    )
    assert links == items


def test_header_shows_the_users_name_team_and_role(signed_in, investigator, investigator_officer):
    response = signed_in(investigator).get("/cases/mine/")

    body = response.content.decode()
    assert "Amira Shah" in body
    assert "RASSO North" in body
    assert "Investigator" in body
    assert 'action="/account/sign-out/"' in body


def test_pages_have_no_inline_script_or_style(signed_in, supervisor, team):
    case = CaseFactory.create(team=team)
    client = signed_in(supervisor)

    for url in ["/cases/team/", f"/cases/{case.pk}/", "/measures/", "/cases/team/?reported_from=x"]:
        body = client.get(url).content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body) == [], url
        assert "<style" not in body, url
        assert " style=" not in body, url
        assert re.search(r" on[a-z]+=", body) is None, url
