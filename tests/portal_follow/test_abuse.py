"""The portal cannot be turned against a victim (security review, finding 6).

The attacks reproduced: someone who knows the crime reference (a suspect has it on their bail
papers) types five wrong codes to lock the victim out for 30 minutes; keeps trying to keep the lock
going; asks for new codes to tell real references from made-up ones (by the time taken), to flood
the victim's phone, or to cancel the code the victim holds. Each now fails.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.core import clock
from bluestone.victims.models import OutboxMessage, PortalAccess, PortalThrottle
from bluestone.victims.portal_throttle import portal_lock_status
from bluestone.victims.services import victim_profile_update
from tests.factories import BASE_TIME, UserFactory
from tests.portal_follow.conftest import ask_for_a_code, sign_in, sign_in_and_set_check

pytestmark = pytest.mark.django_db

WRONG = "AAAA-BBBB"
SLOWED = "There have been a lot of wrong tries"


def _attack(reference: str, *, clients: int, tries: int = 5) -> None:
    for number in range(clients):
        attacker = Client(REMOTE_ADDR=f"198.51.100.{number + 1}")
        for _ in range(tries):
            sign_in(attacker, reference, WRONG)


def test_a_suspect_who_knows_the_reference_cannot_lock_the_victim_out(follower):
    _attack(follower.reference, clients=1)
    victim = sign_in(Client(REMOTE_ADDR="10.0.0.5"), follower.reference, follower.code)
    assert victim.status_code == 302
    assert victim["Location"] == "/portal/follow/secret-word/"


def test_trying_again_while_locked_does_not_make_the_lock_longer(follower, fixed_now):
    attacker = Client(REMOTE_ADDR="198.51.100.1")
    _attack(follower.reference, clients=1)
    locked_until = set(PortalThrottle.objects.exclude(locked_until=None).values_list("locked_until", flat=True))
    assert len(locked_until) == 1
    failures_before = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count()
    for minutes in range(1, 30, 3):
        fixed_now(BASE_TIME + dt.timedelta(minutes=minutes))
        assert sign_in(attacker, follower.reference, WRONG).status_code == 429
    assert set(PortalThrottle.objects.exclude(locked_until=None).values_list("locked_until", flat=True)) == (
        locked_until
    )
    # Refused tries are not checked, so not counted either.
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == failures_before
    fixed_now(BASE_TIME + dt.timedelta(minutes=31))
    assert sign_in(attacker, follower.reference, follower.code).status_code == 302


def test_many_clients_together_slow_a_reference_down_for_a_minute_at_most(follower, fixed_now, settings):
    settings.BLUESTONE_PORTAL_SLOWDOWN_MAX_SECONDS = 60
    _attack(follower.reference, clients=3)  # 15 wrong tries: 10 more than one client may make
    slowed = sign_in(Client(REMOTE_ADDR="10.0.0.5"), follower.reference, follower.code)
    assert slowed.status_code == 429
    assert SLOWED in slowed.content.decode()
    row = PortalThrottle.objects.exclude(slowed_until=None).get()
    assert row.slowed_until is not None
    assert row.slowed_until - clock.now() <= dt.timedelta(seconds=60)
    fixed_now(BASE_TIME + dt.timedelta(seconds=61))
    victim = sign_in(Client(REMOTE_ADDR="10.0.0.5"), follower.reference, follower.code)
    assert victim.status_code == 302
    # The victim's sign-in clears the slow-down.
    assert not PortalThrottle.objects.exclude(slowed_until=None).exists()


def test_tries_while_slowed_or_address_locked_move_neither_until(follower, fixed_now, settings):
    """Finding 10: neither the reference's slow-down nor a client's lock over many references grows while
    someone keeps trying; each ends when it said it would, and then the right code gets in."""
    settings.BLUESTONE_PORTAL_SLOWDOWN_MAX_SECONDS = 60
    _attack(follower.reference, clients=3)
    slowed = PortalThrottle.objects.exclude(slowed_until=None).get()
    assert slowed.slowed_until is not None
    for number in range(20):  # 20 more clients, each trying while the reference is slowed down
        assert sign_in(Client(REMOTE_ADDR=f"203.0.113.{number}"), follower.reference, WRONG).status_code == 429
    assert PortalThrottle.objects.exclude(slowed_until=None).get().slowed_until == slowed.slowed_until
    fixed_now(slowed.slowed_until + dt.timedelta(seconds=1))
    assert sign_in(Client(REMOTE_ADDR="10.0.0.5"), follower.reference, follower.code).status_code == 302

    # One client over many references (20 wrong tries) is locked out altogether, for 30 minutes only.
    roamer = Client(REMOTE_ADDR="198.51.100.200")
    for number in range(20):
        sign_in(roamer, f"BS/25/{number:06d}", WRONG)
    address_lock = set(PortalThrottle.objects.exclude(locked_until=None).values_list("locked_until", flat=True))
    for minutes in range(1, 30, 4):
        fixed_now(slowed.slowed_until + dt.timedelta(seconds=1, minutes=minutes))
        assert sign_in(roamer, f"BS/26/{minutes:06d}", WRONG).status_code == 429
    assert set(PortalThrottle.objects.exclude(locked_until=None).values_list("locked_until", flat=True)) == (
        address_lock
    )
    fixed_now(slowed.slowed_until + dt.timedelta(seconds=2, minutes=30))
    checked = sign_in(roamer, "BS/26/999999", WRONG)  # checked again (and wrong), no longer refused unread
    assert checked.status_code == 200
    assert "The details you entered do not match" in checked.content.decode()


def test_one_client_alone_never_slows_the_reference_for_others(follower):
    attacker = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(25):  # locked after 5: the rest are refused without counting
        sign_in(attacker, follower.reference, WRONG)
    assert not PortalThrottle.objects.exclude(slowed_until=None).exists()
    assert sign_in(Client(REMOTE_ADDR="10.0.0.5"), follower.reference, follower.code).status_code == 302


def test_the_case_team_sees_and_lifts_a_lock_and_it_is_logged(follower):
    _attack(follower.reference, clients=3)
    officer = Client()
    officer.force_login(follower.vc.investigator)
    tab = officer.get(f"/cases/{follower.vc.case.pk}/victim/")
    panel = tab.content.decode()
    assert 'data-testid="portal-lock"' in panel
    # The first attacker is locked out; the others' tries were slowed down, not checked.
    assert "1 connection locked out" in panel
    assert "Every try is slowed down" in panel

    lifted = officer.post(f"/cases/{follower.vc.case.pk}/victim/portal-lock/lift/")

    assert lifted.status_code == 302
    assert not portal_lock_status(reference=follower.reference).any
    entry = AuditEvent.objects.get(details__what="portal sign-in locks lifted")
    assert (entry.actor, entry.case_id, entry.action) == (follower.vc.investigator, follower.vc.case.pk, "alteration")
    # The attackers' own counts at the reference went too: the victim signs in from anywhere.
    assert sign_in(Client(REMOTE_ADDR="198.51.100.1"), follower.reference, follower.code).status_code == 302


def test_triage_sees_and_lifts_a_lock_for_a_reference_a_caller_gives(follower):
    _attack(follower.reference, clients=1)
    triage = Client()
    triage.force_login(UserFactory.create(role="triage", team=None))
    page = triage.get("/triage/portal-locks/", {"reference": follower.reference.lower()})
    status = re.search(r'data-testid="portal-lock-status">([^<]+)<', page.content.decode())
    assert status is not None
    assert "1 connection locked out" in status.group(1)
    made_up = triage.get("/triage/portal-locks/", {"reference": "BS/26/7777777"})
    assert "Nothing is locked" in made_up.content.decode()

    lifted = triage.post("/triage/portal-locks/", {"reference": follower.reference})

    assert lifted.status_code == 302
    assert not PortalThrottle.objects.filter(locked_until__gt=clock.now()).exists()
    entry = AuditEvent.objects.get(details__what="portal sign-in locks lifted")
    assert entry.case_id == follower.vc.case.pk
    assert entry.actor is not None
    assert entry.actor.role == "triage"


def test_break_glass_cannot_lift_a_lock(follower):
    from bluestone.cases.services import break_glass_open  # noqa: PLC0415

    _attack(follower.reference, clients=1)
    outsider = UserFactory.create(role="investigator")
    break_glass_open(user=outsider, case=follower.vc.case, justification="Checking a linked safeguarding report")
    client = Client()
    client.force_login(outsider)
    assert client.post(f"/cases/{follower.vc.case.pk}/victim/portal-lock/lift/").status_code == 403
    assert portal_lock_status(reference=follower.reference).any


# --- Asking for a new code -------------------------------------------------------------------------


def _normalised(sql: str) -> str:
    return re.sub(r'"s\d+_x\d+"', "SP", re.sub(r"'[^']*'|\b\d+\b", "?", sql))


def test_asking_for_a_code_does_the_same_work_for_real_and_made_up_references(follower, settings):
    """The request itself (the background task aside) runs the same queries whether or not the
    reference exists: no lookup of the case, no password hashing, no message (finding 6, timing)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    victim_profile_update(
        actor=follower.vc.investigator, profile=follower.vc.profile, changes={"safe_phone": "07700 900111"}
    )
    shapes = []
    for number, reference in enumerate((follower.reference, "BS/26/5555555")):
        asker = Client(REMOTE_ADDR=f"10.0.0.{number + 8}")  # each a first request from its client
        with CaptureQueriesContext(connection) as queries:
            response = asker.post("/portal/follow/new-code/", {"reference": reference})
        assert response.status_code == 200
        shapes.append([_normalised(q["sql"]) for q in queries.captured_queries])
    assert shapes[0] == shapes[1]
    assert not any("cases_case" in sql for sql in shapes[0])
    assert not OutboxMessage.objects.exists()  # sent only by the task


def test_at_most_one_code_every_fifteen_minutes(follower, fixed_now):
    ask_for_a_code(follower)
    for _ in range(5):
        Client(REMOTE_ADDR="198.51.100.9").post("/portal/follow/new-code/", {"reference": follower.reference})
    assert OutboxMessage.objects.filter(purpose="access_code").count() == 1
    fixed_now(BASE_TIME + dt.timedelta(minutes=16))
    ask_for_a_code(follower)
    assert OutboxMessage.objects.filter(purpose="access_code").count() == 2


def test_asking_for_a_code_cancels_nothing_until_the_new_one_is_used(follower):
    sign_in_and_set_check(Client(), follower)
    first = ask_for_a_code(follower)
    # Someone else asks for one too (too soon: nothing sent), and the victim's code still works.
    Client(REMOTE_ADDR="198.51.100.9").post("/portal/follow/new-code/", {"reference": follower.reference})
    assert sign_in(Client(), follower.reference, first, "blue-heron-7").status_code == 302
    access = PortalAccess.objects.get()
    assert access.requested_code_hash == ""


def test_the_officers_code_stops_working_once_a_requested_code_is_used(follower, fixed_now):
    requested = ask_for_a_code(follower)
    assert sign_in(Client(), follower.reference, requested)["Location"] == "/portal/follow/secret-word/"
    # The officer's earlier code is spent with it.
    assert "do not match" in sign_in(Client(), follower.reference, follower.code).content.decode()


def test_asking_for_codes_never_locks_the_reference(follower, settings):
    settings.BLUESTONE_PORTAL_ADDRESS_ATTEMPTS = 100
    for number in range(3):
        asker = Client(REMOTE_ADDR=f"198.51.100.{number + 1}")
        for _ in range(6):
            asker.post("/portal/follow/new-code/", {"reference": follower.reference})
    assert not portal_lock_status(reference=follower.reference).any
    assert sign_in(Client(REMOTE_ADDR="10.0.0.5"), follower.reference, follower.code).status_code == 302
