"""The auditor's pages: the access log, its CSV download and the check of the chain."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from bluestone.accounts.models import Role, User
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.audit.services import audit_record
from bluestone.cases.models import Case, PersonRecord
from tests.audit import tamper
from tests.dates import date_boxes
from tests.factories import CaseFactory, PersonRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCESS_LOG = reverse("audit:access-log")
EXPORT = reverse("audit:access-log-export")
VERIFY = reverse("audit:verify")
SIGN_INS = reverse("audit:sign-ins")
ERROR_SUMMARY = "There is a problem"


@pytest.fixture
def auditor_client(client: Client, auditor: User) -> Client:
    client.force_login(auditor)
    return client


def recorded_at(when: dt.datetime, **kwargs) -> AuditEvent:
    """An entry as if written at `when` (the clock is the only way to set occurred_at)."""
    from unittest import mock  # noqa: PLC0415

    with mock.patch("bluestone.core.clock.now", return_value=when):
        return audit_record(**kwargs)


def table_rows(response) -> list[str]:
    """The text of each row of the results table, whitespace squeezed."""
    body = response.content.decode()
    table = re.search(r'<tbody class="govuk-table__body">(.*?)</tbody>', body, re.S)
    if table is None:
        return []
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table.group(1), re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", " ", row).split())) for row in rows]


def own_entries(auditor: User, action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=auditor, action=action).order_by("sequence"))


# --- who may use the pages ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST, Role.TRIAGE, Role.ADMINISTRATOR])
def test_everyone_but_auditors_is_refused(client: Client, role: str, case: Case) -> None:
    client.force_login(UserFactory.create(role=role))
    before = AuditEvent.objects.exclude(action=AuditAction.SIGN_IN).count()

    responses = [
        client.get(ACCESS_LOG, {"case": case.crime_reference}),
        client.post(EXPORT, {"case": case.crime_reference, "recipient": "Me"}),
        client.get(VERIFY),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert AuditEvent.objects.exclude(action=AuditAction.SIGN_IN).count() == before


def test_a_deactivated_auditor_is_refused(client: Client, auditor: User) -> None:
    client.force_login(auditor)
    User.objects.filter(pk=auditor.pk).update(is_active=False)

    response = client.get(ACCESS_LOG, follow=True)

    # Signed out by the deactivation: back at sign-in, asked to sign in, shown no access log.
    assert response.redirect_chain == [(f"{reverse('accounts:sign-in')}?next={ACCESS_LOG}", 302)]
    assert not response.wsgi_request.user.is_authenticated
    body = response.content.decode()
    assert "Sign in to Bluestone" in body
    assert "Access log" not in body


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    for url in (ACCESS_LOG, VERIFY):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_auditors_see_their_pages_in_the_navigation_in_the_service_map_order(auditor_client: Client) -> None:
    body = auditor_client.get(ACCESS_LOG).content.decode()
    nav = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', body, re.S)
    assert nav is not None
    links = re.findall(r'href="([^"]+)"', nav.group(0))
    assert links == [ACCESS_LOG, SIGN_INS, reverse("cases:break-glass-log"), VERIFY]


def test_investigators_do_not_see_them(client: Client) -> None:
    client.force_login(UserFactory.create(role=Role.INVESTIGATOR))
    body = client.get(reverse("cases:mine")).content.decode()
    assert ACCESS_LOG not in body
    assert VERIFY not in body


# --- searching --------------------------------------------------------------------------------------


def test_search_by_crime_reference_shows_who_did_what_when_why_and_from_where(
    auditor_client: Client, investigator: User, case: Case
) -> None:
    other_case = CaseFactory.create()
    audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case, object_type="cases.Case")
    audit_record(
        actor=investigator,
        action=AuditAction.BREAK_GLASS,
        case=case,
        justification="Linked report in Leeds, checking the suspect",
    )
    audit_record(actor=investigator, action=AuditAction.DISCLOSURE, case=case, recipient="CPS Yorkshire")
    audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=other_case)

    response = auditor_client.get(ACCESS_LOG, {"case": case.crime_reference.lower()})

    assert response.status_code == 200
    rows = table_rows(response)
    assert len(rows) == 3
    # Newest first: the disclosure, then break-glass, then the view.
    assert "Disclosure" in rows[0]
    assert "CPS Yorkshire" in rows[0]
    assert "Break-glass access" in rows[1]
    assert "Linked report in Leeds, checking the suspect" in rows[1]
    assert "Consultation (viewed a record)" in rows[2]
    for row in rows:
        assert "amira" in row
        assert "Investigator" in row
        assert f"Case {case.crime_reference}" in row
    assert other_case.crime_reference not in response.content.decode()


def test_each_entry_says_in_words_what_was_seen_never_a_model_name(
    auditor_client: Client, investigator: User, case: Case, person: PersonRecord
) -> None:
    from bluestone.cases.services import case_view_record  # noqa: PLC0415

    case_view_record(user=investigator, case=case, basis="team", person_ids=[str(person.pk)])
    audit_record(
        actor=investigator,
        action=AuditAction.ALTERATION,
        case=case,
        object_type="victims.Obligation",
        object_id="41",
        details={"status": "not_applicable", "right": "update_arrest"},
    )

    rows = table_rows(auditor_client.get(ACCESS_LOG, {"case": case.crime_reference}))

    assert len(rows) == 3
    assert "Victims' Code duty: status: not applicable" in rows[0]
    # One view of a case page: the case's entry and one per person shown, and the log says why.
    assert "Person record: shown on the case page (one entry for each person shown" in rows[1]
    assert "Case: 1 person shown" in rows[2]
    for row in rows:
        assert "cases.PersonRecord" not in row
        assert "victims.Obligation" not in row
        assert "cases.Case" not in row


def test_search_by_case_id_finds_entries_of_a_case_that_no_longer_exists(auditor_client: Client, investigator: User):
    gone = "5b0c6f0e-8a71-4c1e-9a57-0d7b4b0c9e11"
    audit_record(actor=investigator, action=AuditAction.ERASURE, case=gone, object_type="cases.Case")

    rows = table_rows(auditor_client.get(ACCESS_LOG, {"case": gone}))

    assert len(rows) == 1
    assert "Erasure" in rows[0]
    assert f"Case {gone}" in rows[0]


def test_the_address_is_shown(auditor_client: Client, investigator: User, case: Case, rf) -> None:
    request = rf.get("/", REMOTE_ADDR="10.20.30.40")
    audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case, request=request)

    rows = table_rows(auditor_client.get(ACCESS_LOG, {"case": str(case.pk)}))

    assert "10.20.30.40" in rows[0]


def test_search_by_person_record(auditor_client: Client, investigator: User, case: Case, person: PersonRecord):
    other = PersonRecordFactory.create()
    audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case, person=person)
    audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case, person=other)

    rows = table_rows(auditor_client.get(ACCESS_LOG, {"person": str(person.pk)}))

    assert len(rows) == 1
    assert f"Person record {person.pk}" in rows[0]
    # Person records are shown by ID only: no names on the auditor's screen.
    assert person.last_name not in " ".join(rows)


def test_search_by_username_shows_what_they_did_and_failed_sign_ins_to_their_account(
    auditor_client: Client, investigator: User, case: Case
) -> None:
    someone_else = UserFactory.create(username="bella")
    audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case)
    audit_record(actor=someone_else, action=AuditAction.CONSULTATION, case=case)
    audit_record(actor=None, action=AuditAction.SIGN_IN_FAILED, details={"username": "amira", "step": "password"})
    audit_record(actor=None, action=AuditAction.SIGN_IN_FAILED, details={"username": "bella", "step": "password"})

    rows = table_rows(auditor_client.get(ACCESS_LOG, {"username": "amira"}))

    assert len(rows) == 2
    assert "Sign-in failed" in rows[0]
    assert "Username tried: amira" in rows[0]
    assert "Consultation" in rows[1]
    assert "amira" in rows[1]
    assert not any("bella" in row for row in rows)


def test_dates_and_action_narrow_the_search(auditor_client: Client, investigator: User, case: Case) -> None:
    def at(day: int, action: AuditAction) -> None:
        recorded_at(
            dt.datetime(2026, 3, day, 12, tzinfo=dt.UTC), actor=investigator, action=action, case=case, recipient="X"
        )

    at(1, AuditAction.CONSULTATION)
    at(2, AuditAction.CONSULTATION)
    at(2, AuditAction.DISCLOSURE)
    at(4, AuditAction.CONSULTATION)

    by_date = table_rows(
        auditor_client.get(
            ACCESS_LOG,
            {"case": str(case.pk), **date_boxes("date_from", "2/3/2026"), **date_boxes("date_to", "3/3/2026")},
        )
    )
    by_both = table_rows(
        auditor_client.get(
            ACCESS_LOG,
            {
                "case": str(case.pk),
                **date_boxes("date_from", "2/3/2026"),
                **date_boxes("date_to", "3/3/2026"),
                "action": "consultation",
            },
        )
    )

    assert len(by_date) == 2
    assert all("2 March 2026" in row for row in by_date)
    assert len(by_both) == 1
    assert "Consultation" in by_both[0]
    assert "2 March 2026" in by_both[0]


def test_results_are_paginated(auditor_client: Client, investigator: User, case: Case) -> None:
    for _ in range(53):
        audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case)

    first = auditor_client.get(ACCESS_LOG, {"case": str(case.pk)})
    second = auditor_client.get(ACCESS_LOG, {"case": str(case.pk), "page": "2"})
    nonsense = auditor_client.get(ACCESS_LOG, {"case": str(case.pk), "page": "last-but-one"})

    assert len(table_rows(first)) == 50
    # The first search is itself an entry about the case, so the second page holds 53 + 1 - 50.
    assert len(table_rows(second)) == 4
    assert "54 entries, showing 51 to 54" in second.content.decode()
    assert nonsense.status_code == 200


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({}, None, None),
        ({"action": "consultation"}, "case", "Enter a case, a person record ID or a username"),
        ({"case": "NO/SUCH/REF"}, "case", "No case has that crime reference"),
        ({"person": "not-an-id"}, "person", "Enter the person record ID in full"),
        ({"username": "nobody.here"}, "username", "No member of staff has that username"),
        ({"username": "amira", "person": "5b0c6f0e-8a71-4c1e-9a57-0d7b4b0c9e11"}, "username", "one of case"),
        (
            {"username": "amira", **date_boxes("date_from", "31/2/2026")},
            "date_from",
            "The date from must be a real date",
        ),
        (
            {"username": "amira", **date_boxes("date_from", "3/3/2026"), **date_boxes("date_to", "1/3/2026")},
            "date_to",
            "same as or after",
        ),
        ({"username": "amira", **date_boxes("date_to", "31/12/9999")}, "date_to", "today or in the past"),
        ({"username": "amira", **date_boxes("date_from", "1/1/0001")}, "date_from", "1 January 2000"),
        ({"username": "amira", "action": "drop table"}, "action", "Choose an action from the list"),
        ({"username": "amira\x00"}, "username", "Null characters are not allowed"),
        ({"case": "x" * 5000}, "case", "64 characters or fewer"),
    ],
)
def test_bad_searches_are_explained_never_a_server_error(
    auditor_client: Client, investigator: User, query: dict[str, str], field: str | None, message: str | None
) -> None:
    response = auditor_client.get(ACCESS_LOG, query)

    assert response.status_code == 200
    body = response.content.decode()
    assert table_rows(response) == []
    if message is None:
        assert ERROR_SUMMARY not in body
    else:
        assert ERROR_SUMMARY in body
        # A date links to its day box (GOV.UK date input); any other field to itself.
        target = f"id_{field}_day" if field and field.startswith("date_") else f"id_{field}"
        assert f'href="#{target}"' in body
        assert message in body
        assert "<title>Error: Access log" in body


# --- the auditor's own use is logged ---------------------------------------------------------------


def test_a_search_is_logged_with_the_filters_not_the_rows(
    auditor_client: Client, auditor: User, investigator: User, case: Case
) -> None:
    audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case, justification="secret reason")

    auditor_client.get(
        ACCESS_LOG, {"case": case.crime_reference, **date_boxes("date_from", "1/3/2026"), "action": "consultation"}
    )

    [entry] = own_entries(auditor, AuditAction.LIST)
    assert entry.case_id == case.pk  # "who looked at this case" finds the auditor too
    assert entry.object_type == "audit.AuditEvent"
    assert entry.details == {
        "search": {"by": "case", "id": str(case.pk)},
        "filters": {"date_from": "2026-03-01", "date_to": None, "actions": ["consultation"]},
        "count": 1,
        "page": 1,
    }
    assert "secret reason" not in str(entry.details)


def test_the_entry_for_a_search_is_not_among_its_own_results(auditor_client: Client, auditor: User, case: Case):
    first = auditor_client.get(ACCESS_LOG, {"case": str(case.pk)})
    second = auditor_client.get(ACCESS_LOG, {"case": str(case.pk)})

    assert table_rows(first) == []
    [row] = table_rows(second)
    assert "iris" in row
    assert "Auditor" in row


def test_an_invalid_or_empty_search_shows_nothing_and_logs_nothing(auditor_client: Client, auditor: User) -> None:
    auditor_client.get(ACCESS_LOG)
    auditor_client.get(ACCESS_LOG, {"person": "nope"})

    assert own_entries(auditor, AuditAction.LIST) == []


# --- the CSV download --------------------------------------------------------------------------------


def test_the_download_needs_a_recipient(auditor_client: Client, auditor: User, investigator: User, case: Case):
    audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case)

    response = auditor_client.post(EXPORT, {"case": case.crime_reference, "recipient": "   "})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert ERROR_SUMMARY in body
    assert 'href="#id_recipient"' in body
    assert "Enter who the download is for and why" in body
    assert own_entries(auditor, AuditAction.DISCLOSURE) == []
    # The search is shown again, so the auditor can put the recipient right and download.
    assert len(table_rows(response)) == 1


def test_the_download_is_the_search_as_csv_and_a_logged_disclosure(
    auditor_client: Client, auditor: User, investigator: User, case: Case, rf
) -> None:
    other_case = CaseFactory.create()
    viewed = audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case)
    shared = audit_record(actor=investigator, action=AuditAction.DISCLOSURE, case=case, recipient="=CPS")
    audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=other_case)
    audit_record(actor=investigator, action=AuditAction.ALTERATION, case=case)
    expected = [str(e.id) for e in AuditEvent.objects.filter(case_id=case.pk).order_by("-occurred_at", "-sequence")]

    response = auditor_client.post(
        EXPORT,
        {"case": case.crime_reference, "action": "", "date_from": "", "recipient": "PSD, misconduct file 2026/014"},
        REMOTE_ADDR="10.9.8.7",
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="access-log-\d{8}-\d{6}\.csv"', response["Content-Disposition"])
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["id"] for row in rows] == expected
    assert {row["id"] for row in rows} >= {str(viewed.id), str(shared.id)}
    assert all(row["case_id"] == str(case.pk) for row in rows)
    assert next(row for row in rows if row["id"] == str(shared.id))["recipient"] == "'=CPS"

    [disclosure] = own_entries(auditor, AuditAction.DISCLOSURE)
    assert disclosure.recipient == "PSD, misconduct file 2026/014"
    assert disclosure.case_id == case.pk
    assert disclosure.ip_address == "10.9.8.7"
    assert disclosure.details["rows"] == len(rows) == 3
    assert disclosure.details["filters"] == {
        "search": {"by": "case", "id": str(case.pk)},
        "filters": {"date_from": None, "date_to": None, "actions": []},
    }


def test_the_download_keeps_the_filters(auditor_client: Client, auditor: User, investigator: User, case: Case):
    audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case)
    audit_record(actor=investigator, action=AuditAction.ALTERATION, case=case)

    response = auditor_client.post(EXPORT, {"username": "amira", "action": "alteration", "recipient": "PSD"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["action"] for row in rows] == ["alteration"]


def test_the_download_form_carries_the_search(auditor_client: Client, investigator: User, case: Case) -> None:
    audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case)

    body = auditor_client.get(ACCESS_LOG, {"case": case.crime_reference, "action": "consultation"}).content.decode()

    form = re.search(rf'<form method="post" action="{EXPORT}".*?</form>', body, re.S)
    assert form is not None
    assert f'<input type="hidden" name="case" value="{case.crime_reference}">' in form.group(0)
    assert '<input type="hidden" name="action" value="consultation">' in form.group(0)
    assert 'name="csrfmiddlewaretoken"' in form.group(0)


# --- verify ----------------------------------------------------------------------------------------------


def test_verify_shows_an_intact_log_and_is_logged(auditor_client: Client, auditor: User, chain: list[AuditEvent]):
    sign_in_entries = AuditEvent.objects.count() - len(chain)

    response = auditor_client.get(VERIFY)

    body = response.content.decode()
    last = AuditEvent.objects.order_by("-sequence").exclude(actor=auditor, action=AuditAction.CONSULTATION).first()
    assert last is not None
    assert "The log is intact" in body
    assert f"{len(chain) + sign_in_entries} entries checked" in body
    assert f'<code class="govuk-!-text-break-word" data-testid="last-hash">{last.hash}</code>' in body
    [entry] = own_entries(auditor, AuditAction.CONSULTATION)
    assert entry.details["check"] == "verify"
    assert entry.details["intact"] is True
    assert entry.details["entries"] == len(chain) + sign_in_entries


def test_verify_names_the_first_altered_entry(auditor_client: Client, auditor: User, chain: list[AuditEvent]):
    altered = chain[2]
    tamper.set_column(altered.sequence, "justification", "nothing to see here")

    response = auditor_client.get(VERIFY)

    body = response.content.decode()
    assert response.status_code == 200
    assert "The log is intact" not in body
    assert 'class="govuk-warning-text"' in body
    assert f"The log has been tampered with at entry {altered.sequence}." in body
    assert f"Entry #{altered.sequence} (id {altered.id}) was altered" in body
    [entry] = own_entries(auditor, AuditAction.CONSULTATION)
    assert entry.details["intact"] is False
    assert entry.details["broken"] == {"kind": "altered", "sequence": altered.sequence}


def test_verify_with_a_kept_hash_finds_a_shortened_log(auditor_client: Client, chain: list[AuditEvent]) -> None:
    kept = chain[-1].hash
    tamper.delete_entry(chain[-1].sequence)

    body = auditor_client.get(VERIFY, {"expected_hash": kept.upper()}).content.decode()

    assert "The log has been tampered with." in body
    assert "entries were removed from the end of the log" in body


@pytest.mark.parametrize("value", ["abc", "g" * 64, "0" * 65])
def test_verify_refuses_a_hash_that_is_not_one(auditor_client: Client, auditor: User, value: str) -> None:
    response = auditor_client.get(VERIFY, {"expected_hash": value})

    assert response.status_code == 200
    body = response.content.decode()
    assert ERROR_SUMMARY in body
    assert 'href="#id_expected_hash"' in body
    assert own_entries(auditor, AuditAction.CONSULTATION) == []


def test_verify_shows_the_last_signed_checkpoint_and_a_cut_tail(
    auditor_client: Client, chain: list[AuditEvent], tmp_path: Path, settings: Settings
) -> None:
    settings.BLUESTONE_AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    body = auditor_client.get(VERIFY).content.decode()
    assert "No checkpoint has been written outside the database yet." in body

    call_command("audit", "checkpoint", stdout=io.StringIO())
    head = AuditEvent.objects.order_by("-sequence").first()
    assert head is not None
    body = auditor_client.get(VERIFY).content.decode()
    assert f"Entry {head.sequence}, checkpointed at " in body

    tamper.cut_tail(3)  # the checkpointed entry and the two after it (the page's own entry among them)
    body = auditor_client.get(VERIFY).content.decode()
    assert "The log has been tampered with." in body
    assert f"recorded entry #{head.sequence}, but the log now ends at entry #{head.sequence - 2}" in body

    Path(settings.BLUESTONE_AUDIT_CHECKPOINT_FILE).write_text('{"v": 1}\n')
    body = auditor_client.get(VERIFY).content.decode()
    assert "line 1: not a checkpoint" in body
