"""Signing in to "Follow my case": hashed, single-use, expiring codes; a second check; the same answer
whether or not a reference exists; lockout; idle time-out; every access in the s.62 log."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.victims.models import PortalAccess
from bluestone.victims.services import portal_access_issue
from tests.factories import BASE_TIME
from tests.portal_follow.conftest import ask_for_a_code, sign_in, sign_in_and_set_check

pytestmark = pytest.mark.django_db

NO_MATCH = "The details you entered do not match"
LOCKED = "You have tried too many times"


def _page_text(response) -> str:
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_code_is_stored_only_as_a_hash(follower):
    access = PortalAccess.objects.get(profile=follower.vc.profile)
    assert follower.code not in access.code_hash
    assert check_password(follower.code, access.code_hash)
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", follower.code)


def test_first_sign_in_asks_for_a_second_check_then_shows_the_updates(follower):
    client = Client()
    sign_in_and_set_check(client, follower)
    access = PortalAccess.objects.get(profile=follower.vc.profile)
    assert access.check_hash
    assert "blue-heron-7" not in access.check_hash
    response = client.get("/portal/follow/updates/")
    assert response.status_code == 200
    assert b"Updates about your case" in response.content
    sign_ins = AuditEvent.objects.filter(action=AuditAction.SIGN_IN, case_id=follower.vc.case.pk)
    assert sign_ins.count() == 1
    entry = sign_ins.get()
    assert entry.actor_id is None
    assert entry.details["surface"] == "portal"
    views = AuditEvent.objects.filter(action=AuditAction.CONSULTATION, case_id=follower.vc.case.pk, actor=None)
    assert {"surface": "portal", "page": "updates"} in [e.details for e in views]


def test_until_the_check_is_set_no_other_page_opens(follower):
    client = Client()
    sign_in(client, follower.reference, follower.code)
    response = client.get("/portal/follow/updates/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/follow/secret-word/"


def test_a_code_works_once(follower):
    client = Client()
    sign_in_and_set_check(client, follower)
    client.post("/portal/follow/sign-out/")
    again = sign_in(Client(), follower.reference, follower.code, "blue-heron-7")
    assert again.status_code == 200
    assert NO_MATCH in again.content.decode()


def test_a_later_sign_in_needs_a_new_code_and_the_second_check(follower):
    sign_in_and_set_check(Client(), follower)
    code = ask_for_a_code(follower)
    wrong = sign_in(Client(), follower.reference, code, "not-my-word")
    assert NO_MATCH in wrong.content.decode()
    right = sign_in(Client(), follower.reference, code, "blue-heron-7")
    assert right.status_code == 302
    assert right["Location"] == "/portal/follow/updates/"


def test_a_code_from_the_officer_resets_the_secret_word(follower):
    """A code given by the officer means the victim chooses a new secret word: whoever used an
    earlier code (and set a word with it) can no longer keep the victim out."""
    first = Client()
    sign_in_and_set_check(first, follower, check="taken-over-1")
    _access, code = portal_access_issue(actor=follower.vc.investigator, profile=follower.vc.profile)
    # The session opened with the earlier code has ended.
    assert first.get("/portal/follow/updates/")["Location"] == "/portal/follow/"
    assert NO_MATCH in sign_in(Client(), follower.reference, code, "taken-over-1").content.decode()
    again = sign_in(Client(), follower.reference, code)
    assert again["Location"] == "/portal/follow/secret-word/"


def test_a_code_runs_out(follower, fixed_now):
    fixed_now(BASE_TIME + dt.timedelta(hours=73))
    response = sign_in(Client(), follower.reference, follower.code)
    assert NO_MATCH in response.content.decode()


def test_the_answer_is_the_same_whether_or_not_the_reference_exists(follower):
    real = sign_in(Client(), follower.reference, "AAAA-BBBB")
    made_up = sign_in(Client(), "BS/26/9999999", "AAAA-BBBB")
    assert real.status_code == made_up.status_code == 200

    def without_typed_values(response) -> str:
        text = _page_text(response)
        return text.replace(follower.reference, "REF").replace("BS/26/9999999", "REF")

    assert without_typed_values(real) == without_typed_values(made_up)


def test_five_failures_lock_that_client_out_of_the_reference_not_the_victim(follower):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        sign_in(attacker, follower.reference, "AAAA-BBBB")
    refused = sign_in(attacker, follower.reference, follower.code)
    assert refused.status_code == 429
    assert LOCKED in refused.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT, case_id=follower.vc.case.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, case_id=follower.vc.case.pk).count() == 5
    # The victim, on their own connection, signs in with the right code.
    victim = sign_in(Client(REMOTE_ADDR="10.0.0.9"), follower.reference, follower.code)
    assert victim.status_code == 302
    assert victim["Location"] == "/portal/follow/secret-word/"


def test_a_made_up_reference_locks_the_same_way(db, fixed_now):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        sign_in(client, "BS/26/7777777", "AAAA-BBBB")
    response = sign_in(client, "BS/26/7777777", "AAAA-BBBB")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_the_lock_ends(follower, fixed_now):
    for _ in range(5):
        sign_in(Client(), follower.reference, "AAAA-BBBB")
    fixed_now(BASE_TIME + dt.timedelta(minutes=31))
    response = sign_in(Client(), follower.reference, follower.code)
    assert response.status_code == 302


def test_one_address_trying_many_references_is_locked(db, fixed_now, settings):
    settings.BLUESTONE_PORTAL_ADDRESS_ATTEMPTS = 3
    client = Client(REMOTE_ADDR="10.1.1.1")
    for number in range(3):
        sign_in(client, f"BS/26/000000{number}", "AAAA-BBBB")
    response = sign_in(client, "BS/26/0000009", "AAAA-BBBB")
    assert response.status_code == 429


def test_doing_nothing_signs_the_victim_out(follower, fixed_now):
    client = Client()
    sign_in_and_set_check(client, follower)
    fixed_now(BASE_TIME + dt.timedelta(minutes=16))
    response = client.get("/portal/follow/updates/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/follow/?signed-out=idle"


def test_signing_out_ends_the_session(follower):
    client = Client()
    sign_in_and_set_check(client, follower)
    client.post("/portal/follow/sign-out/")
    response = client.get("/portal/follow/updates/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/follow/"
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, case_id=follower.vc.case.pk, actor=None).exists()


def test_a_staff_session_opens_nothing_in_the_portal(follower):
    client = Client()
    client.force_login(follower.vc.investigator)
    response = client.get("/portal/follow/updates/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/follow/"


def test_the_cookie_is_http_only_strict_and_ends_with_the_browser(follower):
    client = Client()
    response = sign_in(client, follower.reference, follower.code)
    cookie = response.cookies["portal_follow"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/portal/"
    assert not cookie["max-age"]
    assert not cookie["expires"]


def test_a_new_code_can_be_asked_for_with_the_same_answer_either_way(follower):
    from bluestone.victims.models import OutboxMessage  # noqa: PLC0415
    from bluestone.victims.services import victim_profile_update  # noqa: PLC0415

    victim_profile_update(
        actor=follower.vc.investigator, profile=follower.vc.profile, changes={"safe_phone": "07700 900111"}
    )
    real = Client().post("/portal/follow/new-code/", {"reference": follower.reference})
    made_up = Client().post("/portal/follow/new-code/", {"reference": "BS/26/5555555"})
    assert real.status_code == made_up.status_code == 200
    assert _page_text(real) == _page_text(made_up)
    sent = OutboxMessage.objects.get(profile=follower.vc.profile, purpose="access_code")
    assert sent.to == "07700 900111"
    assert follower.reference not in sent.body
    # The officer's code still works: a code asked for cancels nothing until it is used.
    assert sign_in(Client(), follower.reference, follower.code)["Location"] == "/portal/follow/secret-word/"


def test_follow_pages_hold_nothing_personal_in_the_address_or_title(follower):
    client = Client()
    sign_in_and_set_check(client, follower)
    person = follower.vc.involvement.person
    for url in [
        "/portal/follow/updates/",
        "/portal/follow/messages/",
        "/portal/follow/contact-preferences/",
        "/portal/follow/feedback/",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        found = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
        assert found is not None
        title = found.group(1)
        for secret in (follower.reference, person.first_name, person.last_name):
            assert secret not in title
            assert secret not in url


def test_anyone_sees_the_sign_in_page(db):
    response = Client().get("/portal/follow/")
    assert response.status_code == 200
    assert b"Follow your case" in response.content
