"""The administrators' pages: what they show, what each form does, and the errors they give."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bluestone.accounts.models import Role, User
from bluestone.audit.models import AuditAction, AuditEvent
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
REASON = "Left the force at the end of March"


@pytest.fixture
def admin(client: Client) -> User:
    user = UserFactory.create(username="admin1", role=Role.ADMINISTRATOR)
    client.force_login(user)
    return user


def test_the_list_shows_each_user_and_is_logged(client: Client, admin: User) -> None:
    UserFactory.create(username="jsmith", first_name="Jo", last_name="Smith", is_active=False)
    response = client.get(reverse("administration:users"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Jo Smith" in text
    assert "Deactivated" in text
    assert AuditEvent.objects.filter(actor=admin, action=AuditAction.LIST, object_type="accounts.User").exists()


def test_the_navigation_offers_users_and_teams_to_administrators_only(client: Client, admin: User) -> None:
    assert "Users and teams" in client.get(reverse("administration:users")).content.decode()
    other = Client()
    other.force_login(UserFactory.create(role=Role.SUPERVISOR))
    assert "Users and teams" not in other.get(reverse("cases:team")).content.decode()


def test_add_a_user_then_move_them_and_change_their_role(client: Client, admin: User) -> None:
    north, south = TeamFactory.create(name="RASSO North"), TeamFactory.create(name="RASSO South")
    response = client.post(
        reverse("administration:user-new"),
        {"username": "pjones", "first_name": "Pat", "last_name": "Jones", "role": "investigator", "team": north.pk},
    )
    pat = User.objects.get(username="pjones")
    assert response.status_code == 302
    assert response["Location"] == reverse("administration:user", args=[pat.pk])
    url = reverse("administration:user", args=[pat.pk])
    assert client.post(url, {"action": "team", "team-team": south.pk}).status_code == 302
    assert client.post(url, {"action": "role", "role-role": "supervisor"}).status_code == 302
    pat.refresh_from_db()
    assert (pat.team, pat.role) == (south, Role.SUPERVISOR)
    page = client.get(url).content.decode()
    assert "RASSO South" in page
    assert "Supervisor" in page


def test_add_a_user_shows_each_error_beside_its_field(client: Client, admin: User) -> None:
    UserFactory.create(username="taken")
    response = client.post(
        reverse("administration:user-new"), {"username": "taken", "first_name": "", "last_name": "X", "role": ""}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Enter the first name" in text
    assert "Select the role" in text
    assert User.objects.filter(username="taken").count() == 1


def test_the_last_administrator_cannot_deactivate_themselves_on_the_page(client: Client, admin: User) -> None:
    url = reverse("administration:user", args=[admin.pk])
    response = client.post(url, {"action": "active", "active-reason": REASON})
    assert response.status_code == 200
    assert "last active administrator" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_deactivate_needs_a_reason_and_then_works(client: Client, admin: User) -> None:
    person = UserFactory.create()
    url = reverse("administration:user", args=[person.pk])
    response = client.post(url, {"action": "active", "active-reason": ""})
    assert "Enter a reason" in response.content.decode()
    assert client.post(url, {"action": "active", "active-reason": REASON}).status_code == 302
    person.refresh_from_db()
    assert not person.is_active


def test_import_dry_run_lists_errors_by_row_and_creates_nobody(client: Client, admin: User) -> None:
    upload = SimpleUploadedFile(
        "users.csv", b"username,first_name,last_name,email,role,team\nanew,Ann,New,,wizard,\n", content_type="text/csv"
    )
    response = client.post(reverse("administration:users-import"), {"file": upload, "dry_run": "on"})
    assert "Row 2, role: &#x27;wizard&#x27; is not a role" in response.content.decode()
    assert not User.objects.filter(username="anew").exists()


def test_import_creates_the_users(client: Client, admin: User) -> None:
    upload = SimpleUploadedFile(
        "users.csv", b"username,first_name,last_name,email,role,team\nanew,Ann,New,,analyst,\n", content_type="text/csv"
    )
    response = client.post(reverse("administration:users-import"), {"file": upload})
    assert response.status_code == 302
    assert User.objects.get(username="anew").role == Role.ANALYST


def test_add_a_team(client: Client, admin: User) -> None:
    response = client.post(reverse("administration:teams"), {"code": "rasso-e", "name": "RASSO East"})
    assert response.status_code == 302
    assert "RASSO East" in client.get(reverse("administration:teams")).content.decode()


def test_a_user_tied_to_a_force_account_is_untied_on_their_page(client: Client, admin: User) -> None:
    person = UserFactory.create(sso_issuer="https://login.force.example/tenant/v2.0", sso_subject="b2c7-41")
    untied = UserFactory.create()
    url = reverse("administration:user", args=[person.pk])
    page = client.get(url).content.decode()
    assert "Tied to the force account they signed in with" in page
    assert "Untie from the force account" in page
    assert "Untie from the force account" not in client.get(reverse("administration:user", args=[untied.pk])).text

    assert "Enter a reason" in client.post(url, {"action": "force_account", "force_account-reason": ""}).text
    response = client.post(url, {"action": "force_account", "force_account-reason": REASON})

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.sso_issuer, person.sso_subject, person.session_generation) == ("", "", 1)
    change = AuditEvent.objects.get(actor=admin, action=AuditAction.ALTERATION, object_id=str(person.pk))
    assert change.details["changed"] == ["force_account"]
    assert change.justification == REASON
    # Once untied there is nothing left to untie.
    assert (
        "is not tied to a force account"
        in client.post(url, {"action": "force_account", "force_account-reason": REASON}).text
    )
