"""Report online: the question pages, what a sent report holds, and what is refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client, override_settings

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.core import clock
from bluestone.portal.models import OnlineReport, RateLimitHit, ReportDraft, ReporterKind
from bluestone.portal.report.services import OBJECT_TYPE, callback_hours_for
from tests.portal.conftest import ANONYMOUS_ANSWERS, MYSELF_ANSWERS
from tests.portal.factories import OnlineReportFactory

pytestmark = pytest.mark.django_db


def _title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match
    return " ".join(match.group(1).split())


def test_a_report_for_myself_is_sent_with_its_callback_clock_and_audited(client: Client, answer):
    answer(client, MYSELF_ANSWERS)
    check = client.get("/portal/report/check/")
    assert check.status_code == 200
    page = check.content.decode()
    for shown in ("Morgan", "07700 900 321", "Weekday mornings (9am to 12pm), Weekends", "Not when my partner is home"):
        assert shown in page

    before = clock.now()
    sent = client.post("/portal/report/check/")
    assert sent["Location"] == "/portal/report/sent/"

    report = OnlineReport.objects.get()
    assert report.kind == ReporterKind.MYSELF
    assert (report.first_name, report.last_name, report.phone) == ("Morgan", "Quillfeather", "07700 900 321")
    assert report.safe_times == "morning,weekend"
    assert report.message_allowed is False
    assert report.status == "waiting"
    assert before <= report.submitted_at <= clock.now()
    # In the last 7 days (the forensic window): the urgent clock, not the usual 12 hours.
    assert report.callback_due_at == report.submitted_at + dt.timedelta(hours=1)

    entry = AuditEvent.objects.get(object_type=OBJECT_TYPE, object_id=str(report.pk))
    assert entry.action == AuditAction.COLLECTION
    assert entry.actor is None
    assert entry.details["surface"] == "portal"

    # The draft keeps no answers once the report is sent, only the link for the confirmation page.
    draft = ReportDraft.objects.get()
    assert draft.answers == {}
    assert draft.report == report
    confirmation = client.get("/portal/report/sent/")
    assert report.reference in confirmation.content.decode()
    assert "within 1 hour," in confirmation.content.decode()


OLDER_ANSWERS = [(step, {"when_happened": "last_year"} if step == "when" else data) for step, data in MYSELF_ANSWERS]


@override_settings(BLUESTONE_CALLBACK_HOURS=4)
def test_the_callback_clock_is_configurable(client: Client, answer):
    answer(client, OLDER_ANSWERS)
    assert "within 4 hours," in client.get("/portal/report/check/").content.decode()
    client.post("/portal/report/check/")
    report = OnlineReport.objects.get()
    assert report.callback_due_at == report.submitted_at + dt.timedelta(hours=4)
    assert not report.is_urgent
    assert "within 4 hours" in client.get("/portal/").content.decode()
    sent = client.get("/portal/report/sent/").content.decode()
    assert "within 4 hours," in sent
    assert 'data-testid="forensic-advice"' not in sent


@override_settings(BLUESTONE_CALLBACK_HOURS=12, BLUESTONE_URGENT_CALLBACK_HOURS=2)
def test_a_report_inside_the_forensic_window_gets_the_urgent_clock_and_says_why(client: Client, answer, triage_user):
    answer(client, MYSELF_ANSWERS)
    assert "within 2 hours," in client.get("/portal/report/check/").content.decode()
    client.post("/portal/report/check/")
    report = OnlineReport.objects.get()
    assert report.is_urgent
    assert report.callback_due_at == report.submitted_at + dt.timedelta(hours=2)
    sent = client.get("/portal/report/sent/").content.decode()
    assert "within 2 hours," in sent
    assert "Try not to wash the clothes you were wearing" in sent
    assert "within 2 hours." in client.get("/portal/").content.decode()

    # Triage sees why the clock is short, in the queue and on the report.
    triage_client = Client()
    triage_client.force_login(triage_user)
    queue = triage_client.get("/triage/").content.decode()
    assert "Urgent" in queue
    assert "forensic evidence may be recoverable" in queue
    page = triage_client.get(f"/triage/reports/{report.pk}/").content.decode()
    assert 'data-testid="urgent-callback"' in page
    assert "The callback clock is 2 hours, not the usual 12." in page


def test_a_forensic_window_report_for_someone_else_gives_advice_for_them_not_the_reporter(client: Client, answer):
    answer(
        client,
        [
            ("who", {"kind": "someone_else"}),
            ("someone-else", {"victim_first_name": "", "victim_last_name": "", "relationship_to_victim": "Sister"}),
            ("they-know", {"victim_knows": "yes"}),
            *MYSELF_ANSWERS[1:],
        ],
    )
    client.post("/portal/report/check/")
    sent = client.get("/portal/report/sent/").content.decode()
    assert 'data-testid="forensic-advice"' in sent
    assert "Try not to wash the clothes you were wearing" not in sent
    assert "If the person it happened to wants to" in sent


def test_an_urgent_clock_is_never_longer_than_the_usual_one(settings):
    settings.BLUESTONE_CALLBACK_HOURS = 2
    settings.BLUESTONE_URGENT_CALLBACK_HOURS = 6
    assert callback_hours_for("last_week") == 2
    assert callback_hours_for("last_month") == 2


def test_the_start_page_links_to_following_a_case_and_every_tab_title_is_neutral(client: Client):
    start = client.get("/portal/")
    body = start.content.decode()
    assert 'href="/portal/follow/"' in body
    assert "Follow your case" in body
    pages = ("/portal/", "/portal/support/", "/portal/follow/", "/portal/report/who/", "/portal/staying-safe-online/")
    for url in pages:
        title = _title(client.get(url)).lower()
        assert title.endswith("online service"), (url, title)
        for word in ("sexual", "offence", "rape", "police", "assault"):
            assert word not in title, (url, title)


def test_what_happened_shows_its_character_limit_without_javascript(client: Client, answer):
    answer(client, MYSELF_ANSWERS[:1])
    page = client.get("/portal/report/what/").content.decode()
    assert 'data-module="govuk-character-count"' in page
    assert 'data-maxlength="5000"' in page
    assert "You can enter up to 5000 characters" in page
    assert re.search(r'aria-describedby="[^"]*id_what_happened-info', page)


def test_an_anonymous_report_asks_for_and_holds_no_contact_details(client: Client, answer):
    answer(client, ANONYMOUS_ANSWERS)
    # After the last question about what happened, straight to checking answers: no name or contact pages.
    assert client.get("/portal/report/your-name/")["Location"] == "/portal/report/check/"
    assert client.get("/portal/report/contact/")["Location"] == "/portal/report/check/"
    check = client.get("/portal/report/check/").content.decode()
    assert "we will not contact you" in check

    client.post("/portal/report/check/")
    report = OnlineReport.objects.get()
    assert report.kind == ReporterKind.ANONYMOUS
    for name in ("first_name", "last_name", "contact_channel", "phone", "email", "safe_times", "safe_times_note"):
        assert getattr(report, name) == "", name
    assert report.message_allowed is None
    assert report.callback_due_at is None
    # Nor does the access log keep the reporter's address or browser.
    entry = AuditEvent.objects.get(object_type=OBJECT_TYPE, object_id=str(report.pk))
    assert entry.ip_address is None
    assert entry.user_agent == ""
    assert "We will not contact you" in client.get("/portal/report/sent/").content.decode()


def test_switching_to_anonymous_drops_the_name_and_contact_already_given(client: Client, answer):
    answer(client, MYSELF_ANSWERS)
    assert "contact" in ReportDraft.objects.get().answers
    answer(client, [("who", {"kind": "anonymous"})])
    answers = ReportDraft.objects.get().answers
    assert set(answers) == {"who", "what", "when", "where"}
    client.post("/portal/report/check/")
    report = OnlineReport.objects.get()
    assert (report.first_name, report.phone) == ("", "")


def test_contact_answers_slipped_into_an_anonymous_draft_are_never_stored(client: Client, answer):
    answer(client, ANONYMOUS_ANSWERS)
    draft = ReportDraft.objects.get()
    # As if someone posted the contact pages by hand: the answers are in the draft, but do not apply.
    draft.answers = dict(draft.answers) | dict(MYSELF_ANSWERS[4:])
    draft.save()
    client.post("/portal/report/check/")
    report = OnlineReport.objects.get()
    assert report.is_anonymous
    assert (report.first_name, report.phone, report.safe_times) == ("", "", "")


def test_the_database_refuses_an_anonymous_report_with_contact_details():
    with pytest.raises(IntegrityError), transaction.atomic():
        OnlineReportFactory.create(kind=ReporterKind.ANONYMOUS, callback_due_at=None, message_allowed=None)
    assert not OnlineReport.objects.exists()


def test_a_report_for_someone_else_keeps_who_it_is_about(client: Client, answer):
    answer(
        client,
        [
            ("who", {"kind": "someone_else"}),
            (
                "someone-else",
                {"victim_first_name": "Robin", "victim_last_name": "", "relationship_to_victim": "Friend"},
            ),
            ("they-know", {"victim_knows": "yes"}),
            *MYSELF_ANSWERS[1:5],
            ("contact", {"contact_channel": "email", "phone": "", "email": "friend@example.com"}),
            ("safe-times", {"safe_times": ["evening"]}),
        ],
    )
    # Email: there is no message to leave, so that question is skipped.
    assert client.get("/portal/report/message/")["Location"] == "/portal/report/check/"
    client.post("/portal/report/check/")
    report = OnlineReport.objects.get()
    assert report.kind == ReporterKind.SOMEONE_ELSE
    assert (report.victim_first_name, report.relationship_to_victim, report.victim_knows) == ("Robin", "Friend", "yes")
    assert (report.contact_channel, report.email, report.phone) == ("email", "friend@example.com", "")
    assert report.message_allowed is None


def test_not_ready_goes_to_support_and_keeps_nothing(client: Client, answer):
    answer(client, [("who", {"kind": "myself"})])
    response = client.post("/portal/report/who/", {"kind": "not_ready"})
    assert response["Location"] == "/portal/support/"
    assert not ReportDraft.objects.exists()
    assert not OnlineReport.objects.exists()
    assert response.cookies["portal_report"].value == ""


@pytest.mark.parametrize(
    "case",
    [
        ("who", {}, "kind", "Select who you are reporting for"),
        ("what", {"what_happened": "  "}, "what_happened", "Tell us what happened"),
        ("when", {"when_happened": "yesterday"}, "when_happened", "Select when it happened"),
        ("your-name", {"first_name": "Morgan"}, "last_name", "Enter your last name"),
        ("contact", {"contact_channel": "phone"}, "phone", "Enter a phone number we can safely use"),
        ("contact", {"contact_channel": "text", "phone": "call me"}, "phone", "Enter a phone number, like 07700"),
        ("contact", {"contact_channel": "email", "email": "nope"}, "email", "Enter an email address in the correct"),
        ("safe-times", {}, "safe_times", "Select at least one time when it is safe to contact you"),
        ("message", {}, "message_allowed", "Select whether we can leave you a message"),
    ],
)
def test_a_wrong_answer_shows_the_error_summary_and_the_field_message(client: Client, answer, case):
    step, data, field, message = case
    before = [(s, d) for s, d in MYSELF_ANSWERS[: [s for s, _ in MYSELF_ANSWERS].index(step)]]
    answer(client, before)
    saved = ReportDraft.objects.first()
    saved_answers = dict(saved.answers) if saved else {}

    response = client.post(f"/portal/report/{step}/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert f'href="#id_{field}"' in page  # the summary links to the field
    assert f'id="id_{field}-error"' in page
    assert message in page
    assert _title(response).startswith("Error: ")
    # Nothing half-saved: the draft is as it was.
    after = ReportDraft.objects.first()
    assert (dict(after.answers) if after else {}) == saved_answers


def test_no_page_can_be_reached_before_the_ones_it_follows(client: Client, answer):
    assert client.get("/portal/report/contact/")["Location"] == "/portal/report/who/"
    assert client.get("/portal/report/check/")["Location"] == "/portal/report/who/"
    answer(client, MYSELF_ANSWERS[:2])
    assert client.get("/portal/report/contact/")["Location"] == "/portal/report/when/"
    assert client.post("/portal/report/check/")["Location"] == "/portal/report/when/"
    assert not OnlineReport.objects.exists()
    assert client.get("/portal/report/no-such-page/").status_code == 404


def test_a_report_is_sent_once(client: Client, answer):
    answer(client, MYSELF_ANSWERS)
    client.post("/portal/report/check/")
    again = client.post("/portal/report/check/")
    assert again["Location"] == "/portal/report/who/"
    assert OnlineReport.objects.count() == 1


def test_a_draft_expires_after_two_hours(client: Client, answer, monkeypatch):
    answer(client, MYSELF_ANSWERS[:3])
    later = clock.now() + dt.timedelta(hours=2, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert client.get("/portal/report/where/")["Location"] == "/portal/report/who/"
    # Starting again deletes the expired draft and its answers.
    answer(client, [("who", {"kind": "anonymous"})])
    assert ReportDraft.objects.count() == 1
    assert set(ReportDraft.objects.get().answers) == {"who"}


@override_settings(BLUESTONE_PORTAL_REPORTS_PER_HOUR=2)
def test_too_many_reports_from_one_client_are_refused_with_a_plain_message(client: Client, answer):
    for _ in range(2):
        answer(client, ANONYMOUS_ANSWERS)
        assert client.post("/portal/report/check/").status_code == 302
    answer(client, ANONYMOUS_ANSWERS)
    refused = client.post("/portal/report/check/")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Try again in an hour, or call 101" in page
    assert 'class="govuk-error-summary"' in page
    assert OnlineReport.objects.count() == 2
    # The draft is still there: the person can send it later.
    assert "what" in ReportDraft.objects.get(report__isnull=True).answers
    # The limiter counts a keyed hash, never the address itself.
    assert RateLimitHit.objects.count() == 2
    assert not RateLimitHit.objects.filter(client_hash__contains="127.0.0.1").exists()
    # Another client is not held back.
    other = Client(REMOTE_ADDR="192.0.2.44")
    answer(other, ANONYMOUS_ANSWERS)
    assert other.post("/portal/report/check/").status_code == 302


def test_no_answer_appears_in_an_address_or_a_page_title(client: Client):
    typed = ["Morgan", "Quillfeather", "07700 900 321", "Testborough", "assaulted"]
    for step, data in MYSELF_ANSWERS:
        page = client.get(f"/portal/report/{step}/")
        response = client.post(f"/portal/report/{step}/", data)
        for text in typed:
            assert text not in response["Location"]
            assert text not in _title(page)
    for url in ("/portal/report/check/",):
        assert not any(text in _title(client.get(url)) for text in typed)
    sent = client.post("/portal/report/check/")
    assert not any(text in sent["Location"] for text in typed)
    assert not any(text in _title(client.get("/portal/report/sent/")) for text in typed)


def test_the_draft_cookie_is_http_only_strict_and_for_the_portal_only(client: Client, answer):
    response = client.post("/portal/report/who/", {"kind": "myself"})
    cookie = response.cookies["portal_report"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/portal/"
    assert not cookie["max-age"]  # gone when the browser closes
    # The browser holds a random token; the server keeps only its hash.
    assert not ReportDraft.objects.filter(token_hash=cookie.value).exists()
