"""Signing in, signing out, failed sign-ins and lockouts are recorded in the s.62 log."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.test import Client, RequestFactory

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.audit.verify import audit_log_verify
from tests.accounts.conftest import TWO_FACTOR, sign_in, wrong_code_for
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "not the password at all"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Bluestone-test"
ADDRESS = "10.1.2.3"


def post_from(client: Client, path: str, data: dict[str, str] | None = None):
    """A POST from a known address and browser, to check the entry records where it came from."""
    return client.post(path, data or {}, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER)


def entries(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


def every_value(event: AuditEvent) -> str:
    """Everything the entry holds, as text, to look for what must never be in it."""
    return " ".join(str(getattr(event, field.attname)) for field in AuditEvent._meta.concrete_fields)


@pytest.fixture
def amira() -> User:
    return UserFactory.create(username="amira")


def test_signing_in_is_recorded_with_where_from(client: Client, amira: User) -> None:
    response = post_from(client, "/account/sign-in/", {"username": "amira", "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    [entry] = entries(AuditAction.SIGN_IN)
    assert entry.actor == amira
    assert (entry.actor_username, entry.actor_role) == ("amira", amira.role)
    assert (entry.object_type, entry.object_id) == ("accounts.User", str(amira.pk))
    assert (entry.ip_address, entry.user_agent) == (ADDRESS, BROWSER)
    assert entry.details == {"step": "password", "security_code_required": False}
    assert TEST_PASSWORD not in every_value(entry)


def test_signing_in_notes_when_a_security_code_is_still_to_come(client: Client, user_with_device) -> None:
    user, _device = user_with_device

    sign_in(client, user.username)

    [entry] = entries(AuditAction.SIGN_IN)
    assert entry.actor == user
    assert entry.details["security_code_required"] is True


def test_a_wrong_password_is_recorded_with_the_username_only(client: Client, amira: User) -> None:
    response = post_from(client, "/account/sign-in/", {"username": "amira", "password": WRONG})

    assert response.status_code == 200
    [entry] = entries(AuditAction.SIGN_IN_FAILED)
    assert entry.actor is None
    assert entry.actor_username == ""
    assert entry.details == {"username": "amira", "step": "password"}
    assert (entry.ip_address, entry.user_agent) == (ADDRESS, BROWSER)
    assert WRONG not in every_value(entry)
    assert entries(AuditAction.SIGN_IN) == []


def test_a_username_that_does_not_exist_is_recorded_as_tried(client: Client) -> None:
    sign_in(client, "nobody.here", WRONG)

    [entry] = entries(AuditAction.SIGN_IN_FAILED)
    assert entry.details["username"] == "nobody.here"


def test_a_wrong_security_code_is_a_failed_sign_in_at_the_code(client: Client, user_with_device) -> None:
    user, device = user_with_device
    sign_in(client, user.username)
    code = wrong_code_for(device)

    post_from(client, TWO_FACTOR, {"code": code})

    [entry] = entries(AuditAction.SIGN_IN_FAILED)
    assert entry.actor is None
    assert entry.details == {"username": user.username, "step": "security_code"}
    assert code not in every_value(entry)


def test_signing_out_is_recorded(client: Client, amira: User) -> None:
    sign_in(client, "amira")

    post_from(client, "/account/sign-out/")

    [entry] = entries(AuditAction.SIGN_OUT)
    assert entry.actor == amira
    assert entry.ip_address == ADDRESS


def test_signing_out_when_not_signed_in_records_nothing(client: Client) -> None:
    client.post("/account/sign-out/")

    assert entries(AuditAction.SIGN_OUT) == []


def test_signing_out_everywhere_is_recorded(client: Client, amira: User) -> None:
    sign_in(client, "amira")

    client.post("/account/sign-out-everywhere/")

    [entry] = entries(AuditAction.SIGN_OUT)
    assert entry.actor == amira


@pytest.mark.usefixtures("axes_on")
def test_the_lockout_is_recorded(client: Client, amira: User, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = post_from(client, "/account/sign-in/", {"username": "amira", "password": WRONG})

    assert response.status_code == 429
    [lockout] = entries(AuditAction.LOCKOUT)
    assert lockout.actor is None
    assert lockout.details == {"username": "amira", "failures": settings.AXES_FAILURE_LIMIT}
    assert (lockout.ip_address, lockout.user_agent) == (ADDRESS, BROWSER)
    assert len(entries(AuditAction.SIGN_IN_FAILED)) == settings.AXES_FAILURE_LIMIT


@pytest.mark.usefixtures("axes_on")
def test_the_right_password_while_locked_is_recorded_as_refused(client: Client, amira: User, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "amira", WRONG)

    response = sign_in(client, "amira", TEST_PASSWORD)

    assert response.status_code == 429
    assert entries(AuditAction.SIGN_IN) == []
    assert len(entries(AuditAction.SIGN_IN_FAILED)) == settings.AXES_FAILURE_LIMIT + 1
    assert len(entries(AuditAction.LOCKOUT)) == 2
    assert audit_log_verify().intact


def test_a_failed_sign_in_inside_someone_elses_transaction_is_refused_not_lost(amira: User) -> None:
    # The entry must not be rolled back with a caller's work: rather than be written where it could
    # be, the durable block refuses.
    request = RequestFactory().post("/account/sign-in/")

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        authenticate(request, username="amira", password=WRONG)


# serialized_rollback, as other transactional tests do: on PostgreSQL a plain flush afterwards would
# re-create content types under new ids, which a later serialized test could not load over.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("axes_on")
def test_failed_sign_ins_and_the_lockout_are_committed_despite_the_failure(settings) -> None:
    # Really committed (a transactional test): each failure's entry outlives the refused request.
    UserFactory.create(username="amira")
    client = Client()

    responses = [sign_in(client, "amira", WRONG) for _ in range(settings.AXES_FAILURE_LIMIT)]

    assert [r.status_code for r in responses][-1] == 429
    assert not transaction.get_connection().in_atomic_block
    assert len(entries(AuditAction.SIGN_IN_FAILED)) == settings.AXES_FAILURE_LIMIT
    assert len(entries(AuditAction.LOCKOUT)) == 1
    assert audit_log_verify().intact
