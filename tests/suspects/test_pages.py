"""The suspects app's pages: what each user sees of a record, what is logged, and what a form does."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from bluestone.accounts.models import Role as StaffRole
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.extensions import MY_WORK, TEAM_WORK, work_items_for
from bluestone.cases.models import CaseAccess, CaseAccessKind, Gender, RestrictionReason
from bluestone.cases.services import case_restrict
from bluestone.core import clock
from bluestone.core.pseudonyms import person_pseudonym
from bluestone.suspects.models import DecisionKind, LinkageRun, ReviewDecision, RunStatus, TacticRecord, TacticStatus
from bluestone.suspects.selectors import identity_label
from tests.dates import date_boxes
from tests.factories import CaseFactory, InvolvementFactory, OfficerFactory, TeamFactory, UserFactory
from tests.suspects.factories import explanation, identity_of, suspect_on, tactic_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> object:
    return TeamFactory.create(name="RASSO North")


@pytest.fixture
def people(team: object) -> dict[str, object]:
    """Three reports naming one suspect: two of the investigator's team, one of another team."""
    investigator = UserFactory.create(username="inv", role=StaffRole.INVESTIGATOR, team=team)
    officer = OfficerFactory.create(team=team, user=investigator)
    other_team = TeamFactory.create(name="RASSO South")
    other_officer = OfficerFactory.create(team=other_team, first_name="Priya", last_name="Kaur", collar_number="7001")
    own = CaseFactory.create(team=team, officer=officer, crime_reference="XS/26/000001")
    own_too = CaseFactory.create(team=team, officer=officer, crime_reference="XS/26/000002")
    elsewhere = CaseFactory.create(team=other_team, officer=other_officer, crime_reference="XS/26/000003")
    records = [
        suspect_on(own, first_name="Dale", last_name="Marsh", gender=Gender.MALE),
        suspect_on(own_too, first_name="Dale", last_name="Marsh", gender=Gender.MALE),
        suspect_on(elsewhere, first_name="Dayle", last_name="Marsh", gender=Gender.MALE),
    ]
    for case in (own, own_too, elsewhere):
        InvolvementFactory.create(case=case, role="victim")
    explanation(records[0], records[2], probability=0.97)
    identity = identity_of(*records)
    analyst = UserFactory.create(username="ana", first_name="Ana", last_name="Lyst", role=StaffRole.ANALYST, team=None)
    supervisor = UserFactory.create(username="sup", role=StaffRole.SUPERVISOR, team=team)
    return {
        "investigator": investigator,
        "analyst": analyst,
        "supervisor": supervisor,
        "own": own,
        "own_too": own_too,
        "elsewhere": elsewhere,
        "records": records,
        "identity": identity,
    }


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_register_lists_repeat_suspects_with_the_parts_of_the_score_and_logs_the_list(people: dict) -> None:
    single = identity_of(suspect_on(CaseFactory.create()), suspect_on(CaseFactory.create()))
    single.report_count = 1
    single.save()

    response = _client(people["analyst"]).get(reverse("suspects:register"))

    body = response.content.decode()
    assert response.status_code == 200
    assert identity_label(people["identity"].pk) in body
    for part in ("Recency", "Frequency", "Gravity", "Escalation", "Victims", "Child victims"):
        assert part in body
    assert "Marsh" not in body  # the register shows no names
    entry = AuditEvent.objects.get(action=AuditAction.LIST, actor=people["analyst"])
    assert identity_label(single.pk) not in body  # in one report only: not a repeat suspect
    assert entry.details["list"] == "repeat suspects"
    assert entry.details["count"] == 1


def test_an_analyst_sees_pseudonyms_and_a_suspect_s_name_only_where_a_case_need_is_recorded(people: dict) -> None:
    analyst, records = people["analyst"], people["records"]
    CaseAccess.objects.create(
        case=people["elsewhere"],
        user=analyst,
        kind=CaseAccessKind.CASE_NEED,
        justification="Checking a possible repeat suspect",
        granted_at=clock.now(),
        expires_at=clock.now() + dt.timedelta(days=30),
    )

    response = _client(analyst).get(reverse("suspects:identity", kwargs={"pk": people["identity"].pk}))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Dayle Marsh" in body  # the case need's suspect
    assert "Dale Marsh" not in body  # the others stay pseudonymised
    assert person_pseudonym(records[0].pk) in body
    assert "XS/26/" not in body  # case keys, not crime references
    logged = set(
        AuditEvent.objects.filter(action=AuditAction.CONSULTATION, object_type="cases.PersonRecord").values_list(
            "person_id", flat=True
        )
    )
    assert logged == {r.pk for r in records}


def test_a_supervisor_sees_their_team_s_reports_in_full_and_others_pseudonymised(people: dict) -> None:
    response = _client(people["supervisor"]).get(reverse("suspects:identity", kwargs={"pk": people["identity"].pk}))

    body = response.content.decode()
    assert "XS/26/000001" in body
    assert "XS/26/000002" in body
    assert "XS/26/000003" not in body
    assert "Dayle" not in body
    assert "Officer in the case: DC Priya Kaur (7001)" in body


def test_the_case_summary_says_where_else_the_suspect_appears(people: dict) -> None:
    restricted = CaseFactory.create(team=people["own"].team, crime_reference="XS/26/000009")
    hidden = suspect_on(restricted, first_name="Dale", last_name="Marsh")
    from bluestone.suspects.models import IdentityMember  # noqa: PLC0415

    IdentityMember.objects.create(identity=people["identity"], person=hidden, run=people["identity"].last_run)
    case_restrict(
        actor=UserFactory.create(role=StaffRole.SUPERVISOR, team=people["own"].team),
        case=restricted,
        reason=RestrictionReason.OTHER,
        named_users=[],
    )

    response = _client(people["investigator"]).get(reverse("cases:detail", kwargs={"pk": people["own"].pk}))

    body = response.content.decode()
    assert "Dale Marsh appears in 2 other reports" in body
    assert reverse("cases:detail", kwargs={"pk": people["own_too"].pk}) in body
    assert "A report you cannot open, held by RASSO South" in body
    assert "DC Priya Kaur (7001)" in body
    assert "XS/26/000003" not in body
    assert "XS/26/000009" not in body
    entry = AuditEvent.objects.get(object_type="suspects.Identity", case_id=people["own"].pk)
    assert entry.details["reports_opened"] == 1
    assert entry.details["reports_mentioned"] == 1


def test_a_case_without_linked_suspects_shows_no_panel(people: dict) -> None:
    case = CaseFactory.create(team=people["own"].team, officer=people["own"].officer)
    suspect_on(case)

    response = _client(people["investigator"]).get(reverse("cases:detail", kwargs={"pk": case.pk}))

    assert "other report" not in response.content.decode()


def test_link_review_shows_the_strongest_proposed_link_and_records_a_decision(people: dict) -> None:
    a = suspect_on(CaseFactory.create(), first_name="Lee", last_name="Hart")
    b = suspect_on(CaseFactory.create(), first_name="Leigh", last_name="Hart")
    weaker = suspect_on(CaseFactory.create())
    proposed = explanation(a, b, probability=0.8)
    explanation(a, weaker, probability=0.6)
    client = _client(people["analyst"])

    response = client.get(reverse("suspects:review"))
    assert response["Location"] == reverse("suspects:pair", kwargs={"pk": proposed.pk})

    page = client.get(response["Location"]).content.decode()
    assert "80%" in page
    assert "Lee" not in page
    assert "Not shown" in page
    assert 'data-comparison="date_of_birth"' in page
    chart = re.search(r'data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="Bar chart of the match weight', page)
    assert chart is not None
    svg = base64.b64decode(chart.group(1)).decode()
    # Drawn like every chart: the GOV.UK typeface, whole labels, a value axis with its title.
    assert "GDS Transport" in svg
    assert "Times" not in svg
    assert "Date of birth</text>" in svg
    assert "Match weight</text>" in svg
    assert "…" not in svg
    assert "Lee" not in svg

    refused = client.post(response["Location"], {"decision": DecisionKind.REJECT, "reason": ""})
    assert "Enter why these records are not the same person" in refused.content.decode()
    assert not ReviewDecision.objects.exists()

    done = client.post(response["Location"], {"decision": DecisionKind.CONFIRM, "reason": "Same phone"})
    assert done.status_code == 302
    decision = ReviewDecision.objects.get()
    assert decision.kind == DecisionKind.CONFIRM
    assert decision.decided_by == people["analyst"]
    assert decision.match_probability == pytest.approx(0.8)
    # The pair has left the queue: the next proposed link is the weaker one.
    assert client.get(reverse("suspects:review"))["Location"].endswith(
        reverse("suspects:pair", kwargs={"pk": proposed.__class__.objects.get(match_probability=0.6).pk})
    )


def test_an_analyst_records_a_case_need_on_both_reports_from_link_review(people: dict) -> None:
    a = suspect_on(CaseFactory.create(), first_name="Lee", last_name="Hart")
    b = suspect_on(CaseFactory.create(), first_name="Leigh", last_name="Hart")
    proposed = explanation(a, b, probability=0.8)
    client = _client(people["analyst"])
    url = reverse("suspects:pair-case-need", kwargs={"pk": proposed.pk})

    short = client.post(url, {"justification": "too short"})
    assert "must be 20 characters or more" in short.content.decode()

    client.post(url, {"justification": "Reviewing a proposed link between these two suspects"})

    assert CaseAccess.objects.filter(kind=CaseAccessKind.CASE_NEED, user=people["analyst"]).count() == 2
    page = client.get(reverse("suspects:pair", kwargs={"pk": proposed.pk})).content.decode()
    assert "Lee Hart" in page
    assert "Leigh Hart" in page


def test_the_review_page_says_when_there_is_nothing_to_review(people: dict) -> None:
    response = _client(people["supervisor"]).get(reverse("suspects:review"))

    assert response.status_code == 200
    assert "There are no proposed links to review" in response.content.decode()


def test_disparity_compares_repeat_suspects_with_all_suspects(people: dict) -> None:
    suspect_on(CaseFactory.create(), gender=Gender.FEMALE)

    response = _client(people["analyst"]).get(reverse("suspects:disparity"))

    body = response.content.decode()
    assert "3 of 4 suspect records belong to repeat suspects" in body
    assert "Female" in body
    assert "Male" in body
    assert "Ethnicity" in body


def test_a_tactic_is_recorded_reviewed_and_overdue_reviews_are_surfaced(people: dict) -> None:
    client = _client(people["analyst"])
    url = reverse("suspects:tactic-add", kwargs={"pk": people["identity"].pk})
    today = clock.today()
    form = {
        "tactic": "sro",
        "status": TacticStatus.APPLIED_FOR,
        **date_boxes("status_on", today.strftime("%d/%m/%Y")),
        "owner": people["supervisor"].pk,
        **date_boxes("review_on", "//"),
    }

    missing = client.post(url, form)
    assert "Enter a review date" in missing.content.decode()

    client.post(url, {**form, **date_boxes("review_on", (today + dt.timedelta(days=14)).strftime("%d/%m/%Y"))})
    record = TacticRecord.objects.get()
    assert record.owner == people["supervisor"]
    assert record.status == TacticStatus.APPLIED_FOR
    assert AuditEvent.objects.filter(action=AuditAction.COLLECTION, object_id=str(record.pk)).exists()

    overdue = tactic_for(people["identity"], owner=people["supervisor"], review_on=today - dt.timedelta(days=1))
    register = client.get(reverse("suspects:register")).content.decode()
    assert "Disruption tactics overdue for review" in register
    assert "1 overdue" in register
    team_items = work_items_for(user=people["supervisor"], queue=TEAM_WORK)
    assert [i.url for i in team_items if i.kind == "Disruption tactic review overdue"] == [
        reverse("suspects:tactic-update", kwargs={"pk": overdue.pk})
    ]
    assert work_items_for(user=people["supervisor"], queue=MY_WORK)[0].overdue

    client.post(
        reverse("suspects:tactic-update", kwargs={"pk": overdue.pk}),
        {
            "status": TacticStatus.GRANTED,
            **date_boxes("status_on", today.strftime("%d/%m/%Y")),
            **date_boxes("review_on", "//"),
            "notes": "Granted today",
        },
    )
    assert (
        "Enter a review date"
        in client.post(
            reverse("suspects:tactic-update", kwargs={"pk": overdue.pk}),
            {
                "status": TacticStatus.GRANTED,
                **date_boxes("status_on", today.strftime("%d/%m/%Y")),
                **date_boxes("review_on", "//"),
            },
        ).content.decode()
    )
    client.post(
        reverse("suspects:tactic-update", kwargs={"pk": overdue.pk}),
        {
            "status": TacticStatus.GRANTED,
            **date_boxes("status_on", today.strftime("%d/%m/%Y")),
            **date_boxes("review_on", (today + dt.timedelta(days=90)).strftime("%d/%m/%Y")),
            "notes": "Granted by the magistrates",
        },
    )
    overdue.refresh_from_db()
    assert overdue.status == TacticStatus.GRANTED
    assert "Granted by the magistrates" in overdue.notes
    assert not [i for i in work_items_for(user=people["supervisor"], queue=TEAM_WORK) if "tactic" in i.kind]


def test_run_linkage_now_queues_a_run_that_the_worker_runs(
    loaded: None, analyst: object, django_capture_on_commit_callbacks: object
) -> None:
    client = _client(analyst)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(reverse("suspects:run"))

    assert response.status_code == 302
    run = LinkageRun.objects.get()
    assert run.status == RunStatus.FINISHED
    assert run.started_by == analyst
    assert run.identities > 0
    page = client.get(reverse("suspects:register")).content.decode()
    assert "Finished" in page


def test_run_linkage_now_waits_for_a_queued_run_and_a_failed_run_says_why(db: None) -> None:
    analyst = UserFactory.create(username="ana2", role=StaffRole.ANALYST, team=None)
    client = _client(analyst)

    client.post(reverse("suspects:run"))  # queued: the worker only runs it once the request commits
    again = client.post(reverse("suspects:run"), follow=True)

    assert LinkageRun.objects.count() == 1
    assert "A linkage run is already waiting or running" in again.content.decode()
    assert "Waiting for the worker" in again.content.decode()

    LinkageRun.objects.update(status=RunStatus.FAILED, error="ValueError: There are 0 suspect records")
    page = client.get(reverse("suspects:register")).content.decode()
    assert "There are 0 suspect records" in page


def test_supervisors_cannot_start_a_run(people: dict) -> None:
    runs = LinkageRun.objects.count()

    response = _client(people["supervisor"]).post(reverse("suspects:run"))

    assert response.status_code == 403
    assert LinkageRun.objects.count() == runs


def test_a_form_sent_with_a_problem_shows_one_error_summary(people: dict) -> None:
    """The page layout shows the error summary for the page's form; a page must not add a second."""
    client = _client(people["supervisor"])
    for name in ("tactic-add", "identity-split", "identity-merge"):
        url = reverse(f"suspects:{name}", kwargs={"pk": people["identity"].pk})
        body = client.post(url, {"csrfmiddlewaretoken": "x"}).content.decode()
        assert body.count('class="govuk-error-summary"') == 1, name
