"""GOV.UK Notify: the real client, pointed at a stand-in on loopback that checks each request's JWT
and body (tests/victims/notify_server.py)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest

from bluestone.victims.models import OutboxMessage, OutboxStatus
from bluestone.victims.notifications import (
    StaffEmail,
    outbox_delivery_poll,
    outbox_send_pending,
    outbox_update_queue,
    staff_case_path,
    staff_email_queue,
    update_text,
)
from bluestone.victims.selectors import victim_panels_for_case
from bluestone.victims.services import victim_profile_update
from tests.victims.notify_server import API_KEY, NotifyStub, notify_server

pytestmark = pytest.mark.django_db

TEMPLATES = {
    ("sms", "update"): "a1111111-1111-4111-8111-111111111111",
    ("sms", "access_code"): "a2222222-2222-4222-8222-222222222222",
    ("email", "update"): "a3333333-3333-4333-8333-333333333333",
    ("email", "access_code"): "a4444444-4444-4444-8444-444444444444",
    ("email", "staff"): "a5555555-5555-4555-8555-555555555555",
}


@pytest.fixture
def notify(settings) -> Iterator[NotifyStub]:
    with notify_server() as stub:
        settings.BLUESTONE_NOTIFICATION_SENDER = "bluestone.victims.notifications.NotifySender"
        settings.BLUESTONE_NOTIFY_API_KEY = API_KEY
        settings.BLUESTONE_NOTIFY_BASE_URL = stub.url
        settings.BLUESTONE_NOTIFY_TEMPLATES = TEMPLATES
        settings.BLUESTONE_STAFF_URL = "https://staff.bluestone.force.example"
        yield stub


def _safe(victim_case, notify_by: str) -> None:
    victim_profile_update(
        actor=victim_case.investigator,
        profile=victim_case.profile,
        changes={"safe_email": "safe@example.org", "safe_phone": "07700 900222", "notify_by": notify_by},
    )


def test_a_victims_update_goes_by_text_message_to_the_safe_number(victim_case, notify):
    _safe(victim_case, "sms")
    message = outbox_update_queue(profile=victim_case.profile)
    assert message is not None

    assert outbox_send_pending() == 1

    assert notify.refused == []
    [request] = notify.accepted
    assert request["path"] == "/v2/notifications/sms"
    assert request["phone_number"] == "07700 900222"
    assert request["template_id"] == TEMPLATES[("sms", "update")]
    assert request["personalisation"] == {"body": update_text()}
    assert request["reference"] == f"outbox-{message.pk}"
    assert "email_address" not in request
    message.refresh_from_db()
    assert (message.status, message.provider_id) == (OutboxStatus.SENT, request["id"])


def test_a_victim_who_chose_email_is_sent_email_only(victim_case, notify):
    _safe(victim_case, "email")
    outbox_update_queue(profile=victim_case.profile)

    outbox_send_pending()

    [request] = notify.accepted
    assert request["path"] == "/v2/notifications/email"
    assert request["email_address"] == "safe@example.org"
    assert request["template_id"] == TEMPLATES[("email", "update")]


def test_notify_refusing_leaves_the_message_waiting_for_another_try(victim_case, notify):
    _safe(victim_case, "sms")
    message = outbox_update_queue(profile=victim_case.profile)
    assert message is not None
    notify.fail_next = 1

    assert outbox_send_pending() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert "GOV.UK Notify refused the message (500)" in message.error

    assert outbox_send_pending() == 1
    assert len(notify.accepted) == 1


def test_a_key_with_the_wrong_secret_is_refused_by_the_server(victim_case, notify, settings):
    settings.BLUESTONE_NOTIFY_API_KEY = API_KEY[:-36] + "00000000-0000-4000-8000-000000000000"
    _safe(victim_case, "sms")
    outbox_update_queue(profile=victim_case.profile)

    assert outbox_send_pending() == 0

    assert notify.accepted == []
    assert "Signature verification failed" in notify.refused[0]
    assert "(403)" in OutboxMessage.objects.get().error


def test_an_undelivered_message_shows_as_unsent_to_the_case_team(victim_case, notify):
    _safe(victim_case, "sms")
    message = outbox_update_queue(profile=victim_case.profile)
    assert message is not None
    outbox_send_pending()
    message.refresh_from_db()
    notify.statuses[message.provider_id] = "permanent-failure"

    assert outbox_delivery_poll() == 1

    message.refresh_from_db()
    assert (message.status, message.delivery_status) == (OutboxStatus.FAILED, "permanent-failure")
    [panel] = victim_panels_for_case(user=victim_case.investigator, case=victim_case.case)
    assert [m.pk for m in panel.unsent] == [message.pk]
    assert outbox_delivery_poll() == 0  # a final status is not asked again


def test_a_delivered_message_is_recorded_as_delivered(victim_case, notify):
    _safe(victim_case, "email")
    message = outbox_update_queue(profile=victim_case.profile)
    assert message is not None
    outbox_send_pending()
    message.refresh_from_db()
    notify.statuses[message.provider_id] = "delivered"

    assert outbox_delivery_poll() == 1

    message.refresh_from_db()
    assert (message.status, message.delivery_status) == (OutboxStatus.SENT, "delivered")


def test_a_staff_email_goes_by_email_with_a_link_and_nothing_about_the_victim(victim_case, notify):
    officer = victim_case.investigator
    officer.email = "officer@force.example"
    officer.save()
    message = staff_email_queue(user=officer, what=StaffEmail.ALLOCATED, path=staff_case_path(victim_case.case.pk))
    assert message is not None

    assert outbox_send_pending() == 1

    [request] = notify.accepted
    assert request["path"] == "/v2/notifications/email"
    assert request["email_address"] == "officer@force.example"
    assert request["template_id"] == TEMPLATES[("email", "staff")]
    link = f"https://staff.bluestone.force.example/cases/{victim_case.case.pk}/"
    assert request["personalisation"] == {"body": f"A case has been allocated to you. Open it in Bluestone: {link}"}
    person = victim_case.involvement.person
    # As whole words: a name such as "Ada" is also a run of hex digits in the case's UUID in the link.
    sent = str(request).lower()
    for detail in (victim_case.case.crime_reference, person.first_name, person.last_name):
        assert not re.search(rf"\b{re.escape(detail.lower())}\b", sent), detail


def test_a_staff_email_may_not_carry_other_text(victim_case, notify):
    officer = victim_case.investigator
    officer.email = "officer@force.example"
    officer.save()

    with pytest.raises(ValueError, match="A staff email may only say what happened"):
        staff_email_queue(user=officer, what="The victim, Jane, called.", path="/cases/")
    assert OutboxMessage.objects.count() == 0


def test_the_outbox_command_sends_and_polls(victim_case, notify):
    from django.core.management import call_command  # noqa: PLC0415

    _safe(victim_case, "sms")
    message = outbox_update_queue(profile=victim_case.profile)
    assert message is not None
    out = io.StringIO()

    call_command("outbox", "send", stdout=out)
    message.refresh_from_db()
    notify.statuses[message.provider_id] = "temporary-failure"
    call_command("outbox", "poll", stdout=out)

    assert out.getvalue().splitlines() == ["1 sent", "1 delivery statuses changed"]
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.error == "Not delivered: GOV.UK Notify says temporary-failure."


def test_an_officer_allocated_a_case_is_emailed_through_notify(notify, fixed_now):
    from bluestone.accounts.models import Role  # noqa: PLC0415
    from bluestone.cases.services import case_allocate  # noqa: PLC0415
    from tests.factories import CaseFactory, OfficerFactory, TeamFactory, UserFactory  # noqa: PLC0415

    team = TeamFactory.create()
    supervisor = UserFactory.create(role=Role.SUPERVISOR, team=team)
    investigator = UserFactory.create(role=Role.INVESTIGATOR, team=team, email="allocated@force.example")
    officer = OfficerFactory.create(team=team, user=investigator)
    case = CaseFactory.create(team=team, officer=None)

    case_allocate(actor=supervisor, case=case, officer=officer)
    assert outbox_send_pending() == 1

    [request] = notify.accepted
    assert request["email_address"] == "allocated@force.example"
    assert request["template_id"] == TEMPLATES[("email", "staff")]
    assert request["personalisation"]["body"].startswith("A case has been allocated to you.")
    assert request["personalisation"]["body"].endswith(f"/cases/{case.pk}/")


# --- staff emails: approvals asked and decided, reviews due ------------------------------------------


def _team_case(fixed_now):
    from bluestone.accounts.models import Role  # noqa: PLC0415
    from bluestone.investigation.models import IntrusiveKind, LineGroup  # noqa: PLC0415
    from bluestone.investigation.services import line_add, plan_create  # noqa: PLC0415
    from tests.factories import CaseFactory, OfficerFactory, TeamFactory, UserFactory  # noqa: PLC0415

    team = TeamFactory.create()
    supervisor = UserFactory.create(role=Role.SUPERVISOR, team=team, email="supervisor@force.example")
    UserFactory.create(role=Role.SUPERVISOR, team=team, email="gone@force.example", is_active=False)
    UserFactory.create(role=Role.SUPERVISOR, team=TeamFactory.create(), email="elsewhere@force.example")
    investigator = UserFactory.create(role=Role.INVESTIGATOR, team=team, email="officer@force.example")
    officer = OfficerFactory.create(team=team, user=investigator)
    case = CaseFactory.create(team=team, officer=officer)
    plan = plan_create(actor=investigator, case=case)
    line = line_add(
        actor=investigator,
        plan=plan,
        group=LineGroup.VICTIM_ACCOUNT,
        title="Download the messages from the night",
        intrusive_kind=IntrusiveKind.PHONE_DOWNLOAD,
    )
    return case, plan, line, supervisor, investigator


def _ask(line, investigator):
    from bluestone.investigation.services import victim_action_request_approval  # noqa: PLC0415

    victim_action_request_approval(
        actor=investigator,
        line=line,
        rationale="Messages between the two on the night are a reasonable line of enquiry.",
        less_intrusive_considered="The suspect's phone first.",
        victim_agreed=True,
        victim_notice_given=False,
    )


def test_the_team_s_supervisors_are_emailed_when_their_approval_is_asked(notify, fixed_now):
    case, _plan, line, _supervisor, investigator = _team_case(fixed_now)

    _ask(line, investigator)
    assert outbox_send_pending() == 1

    assert notify.refused == []
    [request] = notify.accepted  # the inactive supervisor and the other team's are not emailed
    assert request["path"] == "/v2/notifications/email"
    assert request["email_address"] == "supervisor@force.example"
    assert request["template_id"] == TEMPLATES[("email", "staff")]
    link = f"https://staff.bluestone.force.example/cases/{case.pk}/plan/lines/{line.pk}/decision/"
    assert request["personalisation"] == {
        "body": f"Your approval has been asked for on a case. Open it in Bluestone: {link}"
    }
    assert case.crime_reference not in str(request)
    assert "messages" not in request["personalisation"]["body"].lower()


@pytest.mark.parametrize(("approve", "said"), [(True, "approved"), (False, "refused")])
def test_the_officer_who_asked_is_emailed_the_decision(notify, fixed_now, approve, said):
    from bluestone.investigation.services import victim_action_decide  # noqa: PLC0415

    case, _plan, line, supervisor, investigator = _team_case(fixed_now)
    _ask(line, investigator)
    outbox_send_pending()
    notify.accepted.clear()

    victim_action_decide(actor=supervisor, line=line, approve=approve, note="" if approve else "Not yet: ask first.")
    assert outbox_send_pending() == 1

    [request] = notify.accepted
    assert request["email_address"] == "officer@force.example"
    link = f"https://staff.bluestone.force.example/cases/{case.pk}/plan/lines/{line.pk}/"
    assert request["personalisation"] == {
        "body": f"A decision you asked for has been {said}. Open it in Bluestone: {link}"
    }
    assert "ask first" not in str(request)


def test_supervisors_are_emailed_once_when_a_review_falls_due(notify, fixed_now):
    import datetime as dt  # noqa: PLC0415

    from django.core.management import call_command  # noqa: PLC0415

    from bluestone.investigation.services import review_record, reviews_due_announce  # noqa: PLC0415
    from bluestone.investigation.services.reviews import REVIEW_PROMPTS  # noqa: PLC0415

    case, plan, _line, supervisor, _investigator = _team_case(fixed_now)
    assert reviews_due_announce() == 0  # due in 24 hours, not yet
    assert OutboxMessage.objects.count() == 0

    fixed_now(plan.next_review_due_at + dt.timedelta(minutes=1))
    out = io.StringIO()
    call_command("reviews", "due", stdout=out)
    assert out.getvalue().strip() == "1 reviews due announced"
    assert reviews_due_announce() == 0  # announced once for this due time
    assert outbox_send_pending() == 1

    [request] = notify.accepted
    assert request["email_address"] == "supervisor@force.example"
    link = f"https://staff.bluestone.force.example/cases/{case.pk}/plan/review/"
    assert request["personalisation"] == {
        "body": f"A supervisory review is due on a case. Open it in Bluestone: {link}"
    }

    # Reviewed: the next due time is announced again when it comes.
    review_record(
        actor=supervisor,
        case=case,
        answers={key: {"answer": "yes"} for key, _ in REVIEW_PROMPTS},
    )
    plan.refresh_from_db()
    fixed_now(plan.next_review_due_at + dt.timedelta(hours=1))
    assert reviews_due_announce() == 1


# --- staff emails: outcome sign-off and bail extensions -----------------------------------------------


def _propose_outcome(case, investigator):
    import datetime as dt  # noqa: PLC0415

    from bluestone.cases.entry import case_event_record  # noqa: PLC0415
    from bluestone.cases.models import EventKind  # noqa: PLC0415
    from bluestone.cases.models import Role as InvolvementRole  # noqa: PLC0415
    from bluestone.core.models import OutcomeType  # noqa: PLC0415
    from bluestone.investigation.services import outcome_propose  # noqa: PLC0415
    from tests.factories import BASE_TIME, InvolvementFactory  # noqa: PLC0415

    if not case.involvements.filter(role=InvolvementRole.SUSPECT).exists():
        InvolvementFactory.create(case=case, role=InvolvementRole.SUSPECT)
    case_event_record(
        actor=investigator, case=case, kind=EventKind.VICTIM_WITHDREW, occurred_at=BASE_TIME - dt.timedelta(hours=3)
    )
    return outcome_propose(
        actor=investigator,
        case=case,
        outcome_type=OutcomeType.objects.get(code=16),
        decided_on=BASE_TIME.date(),
        rationale="The victim no longer supports the investigation.",
        victim_informed=True,
        victim_informed_on=BASE_TIME.date(),
        victim_told_right_to_review=True,
    )


def test_the_team_s_supervisors_are_emailed_when_an_outcome_waits_for_sign_off(notify, fixed_now):
    case, _plan, _line, _supervisor, investigator = _team_case(fixed_now)

    decision = _propose_outcome(case, investigator)
    assert outbox_send_pending() == 1

    assert notify.refused == []
    [request] = notify.accepted  # not the inactive supervisor, the other team's, nor the officer
    assert request["email_address"] == "supervisor@force.example"
    link = f"https://staff.bluestone.force.example/cases/{case.pk}/outcome/{decision.pk}/sign-off/"
    assert request["template_id"] == TEMPLATES[("email", "staff")]
    assert request["personalisation"] == {
        "body": f"Your approval has been asked for on a case. Open it in Bluestone: {link}"
    }
    assert case.crime_reference not in str(request)
    assert "victim" not in request["personalisation"]["body"].lower()


@pytest.mark.parametrize(("approve", "said"), [(True, "approved"), (False, "refused")])
def test_the_officer_who_proposed_an_outcome_is_emailed_the_decision(notify, fixed_now, approve, said):
    from bluestone.investigation.models import DecisionState  # noqa: PLC0415
    from bluestone.investigation.services import outcome_sign_off  # noqa: PLC0415

    case, _plan, _line, supervisor, investigator = _team_case(fixed_now)
    decision = _propose_outcome(case, investigator)
    outbox_send_pending()
    notify.accepted.clear()

    outcome_sign_off(
        actor=supervisor, decision=decision, approve=approve, note="" if approve else "Speak to the ISVA first."
    )
    decision.refresh_from_db()
    assert decision.state == (DecisionState.SIGNED_OFF if approve else DecisionState.RETURNED)
    assert outbox_send_pending() == 1

    [request] = notify.accepted
    assert request["email_address"] == "officer@force.example"
    link = f"https://staff.bluestone.force.example/cases/{case.pk}/outcome/"
    assert request["personalisation"] == {
        "body": f"A decision you asked for has been {said}. Open it in Bluestone: {link}"
    }
    assert "ISVA" not in str(request)


def test_a_supervisor_who_proposes_and_signs_off_an_outcome_emails_nobody_but_the_team(notify, fixed_now):
    from bluestone.investigation.services import outcome_sign_off  # noqa: PLC0415

    case, _plan, _line, supervisor, _investigator = _team_case(fixed_now)
    decision = _propose_outcome(case, supervisor)
    outcome_sign_off(actor=supervisor, decision=decision, approve=False, note="Not yet.")

    # Asked of the team's other supervisors (there are none active) and decided by the proposer: no email.
    assert outbox_send_pending() == 0
    assert notify.accepted == []


def _bail_case(fixed_now):
    import datetime as dt  # noqa: PLC0415

    from bluestone.accounts.models import Rank, Role  # noqa: PLC0415
    from bluestone.cases.models import Role as InvolvementRole  # noqa: PLC0415
    from bluestone.investigation.services import bail_record  # noqa: PLC0415
    from tests.factories import InvolvementFactory, OfficerFactory, UserFactory  # noqa: PLC0415

    case, _plan, _line, supervisor, investigator = _team_case(fixed_now)
    inspector = UserFactory.create(role=Role.SUPERVISOR, team=case.team, email="inspector@force.example")
    OfficerFactory.create(user=inspector, team=case.team, rank=Rank.DI)
    suspect = InvolvementFactory.create(case=case, role=InvolvementRole.SUSPECT)
    bail = bail_record(
        actor=investigator,
        case=case,
        suspect=suspect,
        starts_on=dt.date(2026, 3, 2),
        conditions="",
        victim_views="Asked",
    )
    return case, bail, supervisor, inspector, investigator, suspect


def test_a_bail_extension_asked_for_emails_the_supervisors_holding_the_authority(notify, fixed_now):
    import datetime as dt  # noqa: PLC0415

    from bluestone.investigation.services import bail_extension_request  # noqa: PLC0415

    case, bail, _supervisor, _inspector, investigator, suspect = _bail_case(fixed_now)

    # To 1 August: past 3 months from the start, within 6: an inspector's authority.
    bail_extension_request(actor=investigator, bail=bail, until=dt.date(2026, 8, 1), reason="Download pending")
    assert outbox_send_pending() == 1

    [request] = notify.accepted  # the supervisor without bail authority is not asked
    assert request["email_address"] == "inspector@force.example"
    link = f"https://staff.bluestone.force.example/cases/{case.pk}/plan/bail/{bail.pk}/extend/"
    assert request["personalisation"] == {
        "body": f"Your approval has been asked for on a case. Open it in Bluestone: {link}"
    }
    sent = str(request).lower()
    assert "download" not in sent
    for detail in (case.crime_reference, suspect.person.first_name, suspect.person.last_name):
        assert not re.search(rf"\b{re.escape(detail.lower())}\b", sent), detail


def test_a_bail_extension_nobody_on_the_team_can_grant_emails_all_its_supervisors(notify, fixed_now):
    import datetime as dt  # noqa: PLC0415

    from bluestone.investigation.services import bail_extension_request  # noqa: PLC0415

    _case, bail, _supervisor, _inspector, investigator, _suspect = _bail_case(fixed_now)

    # To 1 November: past 6 months, a superintendent's authority, which nobody on the team holds.
    bail_extension_request(actor=investigator, bail=bail, until=dt.date(2026, 11, 1), reason="Expert report")
    assert outbox_send_pending() == 2

    assert sorted(request["email_address"] for request in notify.accepted) == [
        "inspector@force.example",
        "supervisor@force.example",
    ]


def test_the_officer_who_asked_for_a_bail_extension_is_emailed_when_it_is_granted(notify, fixed_now):
    import datetime as dt  # noqa: PLC0415

    from bluestone.investigation.services import bail_extend, bail_extension_request  # noqa: PLC0415

    case, bail, _supervisor, inspector, investigator, _suspect = _bail_case(fixed_now)
    bail_extension_request(actor=investigator, bail=bail, until=dt.date(2026, 8, 1), reason="Download pending")
    outbox_send_pending()
    notify.accepted.clear()

    bail_extend(actor=inspector, bail=bail, until=dt.date(2026, 8, 1), reason="Download pending")
    assert outbox_send_pending() == 1

    [request] = notify.accepted
    assert request["email_address"] == "officer@force.example"
    link = f"https://staff.bluestone.force.example/cases/{case.pk}/plan/"
    assert request["personalisation"] == {
        "body": f"A decision you asked for has been approved. Open it in Bluestone: {link}"
    }

    # An extension nobody asked for emails nobody.
    notify.accepted.clear()
    bail_extend(actor=inspector, bail=bail, until=dt.date(2026, 8, 20), reason="Download pending")
    assert outbox_send_pending() == 0


# --- delivery status by callback ---------------------------------------------------------------------

CALLBACK_TOKEN = "c4llb4ck-t0ken-0123456789abcdef0123456789"


def _sent(victim_case, notify, settings) -> OutboxMessage:
    settings.BLUESTONE_NOTIFY_CALLBACK_TOKEN = CALLBACK_TOKEN
    _safe(victim_case, "sms")
    message = outbox_update_queue(profile=victim_case.profile)
    assert message is not None
    outbox_send_pending()
    message.refresh_from_db()
    return message


def _callback(message: OutboxMessage, status: str, token: str = CALLBACK_TOKEN):
    from django.test import Client  # noqa: PLC0415

    body = {
        "id": message.provider_id,
        "reference": f"outbox-{message.pk}",
        "to": message.to,
        "status": status,
        "notification_type": "sms",
    }
    # CSRF checks on, as in production: the callback is exempt, and only it.
    return Client(enforce_csrf_checks=True).post(
        "/notify/delivery-status/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_a_failure_called_back_by_notify_shows_as_unsent_to_the_case_team(victim_case, notify, settings, caplog):
    message = _sent(victim_case, notify, settings)

    with caplog.at_level("DEBUG"):
        response = _callback(message, "permanent-failure")

    assert response.status_code == 200
    message.refresh_from_db()
    assert (message.status, message.delivery_status) == (OutboxStatus.FAILED, "permanent-failure")
    assert message.error == "Not delivered: GOV.UK Notify says permanent-failure."
    [panel] = victim_panels_for_case(user=victim_case.investigator, case=victim_case.case)
    assert [m.pk for m in panel.unsent] == [message.pk]
    assert "07700" not in caplog.text
    assert message.provider_id not in caplog.text
    # A later "delivered" for the same message does not undo the final status.
    assert _callback(message, "delivered").status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == "permanent-failure"


def test_a_delivery_called_back_is_recorded_and_not_polled_again(victim_case, notify, settings):
    message = _sent(victim_case, notify, settings)

    assert _callback(message, "delivered").status_code == 200

    message.refresh_from_db()
    assert (message.status, message.delivery_status) == (OutboxStatus.SENT, "delivered")
    notify.statuses[message.provider_id] = "permanent-failure"
    assert outbox_delivery_poll() == 0


@pytest.mark.parametrize("token", ["", "wrong", CALLBACK_TOKEN[:-1], CALLBACK_TOKEN + "x"])
def test_a_callback_without_the_token_changes_nothing(victim_case, notify, settings, token):
    message = _sent(victim_case, notify, settings)

    response = _callback(message, "permanent-failure", token=token)

    assert response.status_code == 403
    message.refresh_from_db()
    assert (message.status, message.delivery_status) == (OutboxStatus.SENT, "created")


def test_no_callback_is_taken_when_no_token_is_set(victim_case, notify, settings):
    message = _sent(victim_case, notify, settings)
    settings.BLUESTONE_NOTIFY_CALLBACK_TOKEN = ""

    assert _callback(message, "permanent-failure", token="").status_code == 403
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_a_callback_that_is_not_a_status_is_refused(victim_case, notify, settings):
    from django.test import Client  # noqa: PLC0415

    _sent(victim_case, notify, settings)
    client = Client(enforce_csrf_checks=True)
    auth = {"Authorization": f"Bearer {CALLBACK_TOKEN}"}

    assert (
        client.post("/notify/delivery-status/", "[1]", content_type="application/json", headers=auth).status_code == 400
    )
    assert (
        client.post("/notify/delivery-status/", "{", content_type="application/json", headers=auth).status_code == 400
    )
    unknown = {"id": "00000000-0000-4000-8000-000000000000", "status": "delivered"}
    assert (
        client.post("/notify/delivery-status/", unknown, content_type="application/json", headers=auth).status_code
        == 200
    )
