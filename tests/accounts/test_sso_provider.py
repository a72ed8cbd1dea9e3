"""Single sign-on against a real OpenID provider (tests/accounts/oidc), over plain HTTP.

Each test signs in as a person would: Bluestone's start page sends the client to the provider, the
provider's sign-in form takes a login and password, and the provider sends the client back to
Bluestone's callback with a code that Bluestone exchanges for tokens. Only the browser is left out
(tests/e2e/test_single_sign_on.py has it): the HTTP exchanges are the real ones.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
import requests
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django_otp.plugins.otp_totp.models import TOTPDevice

from bluestone.accounts.models import Role, User
from bluestone.accounts.sso import SSO_BACKEND
from bluestone.audit.models import AuditAction, AuditEvent
from tests.accounts.oidc.provider import ACCOUNTS, TEAM_CODE, OidcProvider
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

START = "/account/sign-in/force-account/"
MY_WORK = "/my-work/"  # where an investigator lands
HTTP_TIMEOUT = 30


class Visitor:
    """One client with its own cookies for Bluestone and for the provider."""

    def __init__(self, provider: OidcProvider) -> None:
        self.provider = provider
        self.http = requests.Session()

    def url(self, path: str) -> str:
        return f"{self.provider.live_server_url}{path}"

    def start(self) -> requests.Response:
        return self.http.get(self.url(START), timeout=HTTP_TIMEOUT)

    def sign_in(self, login: str) -> requests.Response:
        """Start at Bluestone, sign in at the provider's form, and follow the redirects back."""
        form_page = self.start()
        assert form_page.url.startswith(self.provider.issuer + "/interaction/"), form_page.url
        account = ACCOUNTS[login]
        return self._submit(form_page, {"login": account.login, "password": account.password})

    def _submit(self, page: requests.Response, data: dict[str, str]) -> requests.Response:
        action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
        assert action is not None, page.text
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        return self.http.post(urljoin(page.url, action.group(1)), data={**hidden, **data}, timeout=HTTP_TIMEOUT)

    def sign_out(self) -> requests.Response:
        """Bluestone's sign-out button (a form with its CSRF token), then the provider's confirmation."""
        account = self.http.get(self.url("/account/"), timeout=HTTP_TIMEOUT)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', account.text)
        assert token is not None
        confirm = self.http.post(
            self.url("/account/sign-out/"),
            data={"csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": self.url("/account/")},
            timeout=HTTP_TIMEOUT,
        )
        assert confirm.url.startswith(self.provider.issuer + "/session/end"), confirm.url
        return self._submit(confirm, {"logout": "yes"})


@pytest.fixture
def visitor(oidc_provider: OidcProvider, oidc_settings: object) -> Visitor:
    return Visitor(oidc_provider)


@pytest.fixture
def team():
    return TeamFactory.create(code=TEAM_CODE, name="RASSO East")


def _assert_signed_in(visitor: Visitor, response: requests.Response) -> None:
    """Back at Bluestone on the role's home page, and the account page opens without a sign-in."""
    assert response.status_code == 200
    assert response.url.startswith(visitor.url("/")), response.url
    assert not response.url.startswith(visitor.url("/account/")), response.url
    account = visitor.http.get(visitor.url("/account/"), timeout=HTTP_TIMEOUT)
    assert account.url == visitor.url("/account/")


def _refusals(identity: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, details__username=identity))


def test_a_known_user_signs_in_and_takes_role_and_team_from_their_claims(visitor, team):
    nadia = ACCOUNTS["nadia"]
    user = UserFactory.create(username="nadia.ahmed", email=nadia.email.upper(), role=Role.ANALYST, team=None)

    response = visitor.sign_in("nadia")

    _assert_signed_in(visitor, response)
    user.refresh_from_db()
    assert (user.role, user.team) == (Role.INVESTIGATOR, team)
    sign_in = AuditEvent.objects.get(action=AuditAction.SIGN_IN, actor=user)
    assert sign_in.details == {"step": "single sign-on", "issuer": visitor.provider.issuer}
    change = AuditEvent.objects.get(action=AuditAction.ALTERATION, object_id=str(user.pk))
    assert change.details["by"] == "single sign-on"
    assert sorted(change.details["changed"]) == ["force_account", "role", "team"]
    # Tied to the person at the provider from now on, by its issuer and their `sub`.
    assert (user.sso_issuer, user.sso_subject) == (visitor.provider.issuer, nadia.login)
    assert change.details["force_account"] == {"issuer": visitor.provider.issuer, "sub": nadia.login}
    session = Session.objects.get(session_key=visitor.http.cookies["sessionid"]).get_decoded()
    assert session[BACKEND_SESSION_KEY] == SSO_BACKEND


def test_a_group_mapping_makes_the_user_a_supervisor(visitor, team):
    sam = ACCOUNTS["sam"]
    user = UserFactory.create(username="sam.okafor", email=sam.email, role=Role.INVESTIGATOR, team=None)

    response = visitor.sign_in("sam")

    _assert_signed_in(visitor, response)
    user.refresh_from_db()
    assert (user.role, user.team) == (Role.SUPERVISOR, team)


def test_an_unknown_person_is_refused_with_a_page_that_says_so(visitor, team):
    response = visitor.sign_in("nadia")

    assert response.status_code == 403
    assert "You do not have a Bluestone account" in response.text
    assert ACCOUNTS["nadia"].email in response.text
    assert not User.objects.filter(email__iexact=ACCOUNTS["nadia"].email).exists()
    (refusal,) = _refusals(ACCOUNTS["nadia"].email)
    assert refusal.details["step"] == "single sign-on"
    assert refusal.details["reason"] == "unknown_user"
    assert visitor.http.get(visitor.url("/account/"), timeout=HTTP_TIMEOUT).url.startswith(
        visitor.url("/account/sign-in/")
    )


def test_just_in_time_creation_makes_the_user_from_their_claims(visitor, oidc_settings, team):
    oidc_settings.OIDC_CREATE_USER = True

    response = visitor.sign_in("newstarter")

    _assert_signed_in(visitor, response)
    user = User.objects.get(email=ACCOUNTS["newstarter"].email)
    assert (user.username, user.first_name, user.last_name) == ("new.starter", "Jo", "Starter")
    assert (user.role, user.team) == (Role.INVESTIGATOR, team)
    assert not user.has_usable_password()
    created = AuditEvent.objects.get(action=AuditAction.COLLECTION, object_id=str(user.pk))
    assert created.details["by"] == "single sign-on"


def test_just_in_time_creation_is_off_by_default(visitor, team):
    response = visitor.sign_in("newstarter")

    assert response.status_code == 403
    assert not User.objects.filter(email=ACCOUNTS["newstarter"].email).exists()


def test_a_deactivated_user_is_refused(visitor, team):
    UserFactory.create(username="nadia.ahmed", email=ACCOUNTS["nadia"].email, is_active=False)

    response = visitor.sign_in("nadia")

    assert response.status_code == 403
    assert "Your Bluestone account has been deactivated" in response.text
    assert _refusals(ACCOUNTS["nadia"].email)[0].details["reason"] == "deactivated"


def test_claims_that_give_two_roles_are_refused(visitor, team):
    UserFactory.create(username="two.hats", email=ACCOUNTS["twohats"].email, role=Role.AUDITOR)

    response = visitor.sign_in("twohats")

    assert response.status_code == 403
    assert "more than one role" in response.text
    assert User.objects.get(username="two.hats").role == Role.AUDITOR


def test_a_required_authentication_method_is_enforced(visitor, oidc_settings, team):
    oidc_settings.BLUESTONE_OIDC_REQUIRED_AMR = ["mfa"]
    UserFactory.create(username="pat.single", email=ACCOUNTS["pwdonly"].email)
    UserFactory.create(username="nadia.ahmed", email=ACCOUNTS["nadia"].email)

    refused = visitor.sign_in("pwdonly")
    admitted = Visitor(visitor.provider).sign_in("nadia")

    assert refused.status_code == 403
    assert "without the second step" in refused.text
    assert admitted.status_code == 200, [e.details for e in AuditEvent.objects.all()]
    assert "/my-work/" in admitted.url


def test_a_token_from_another_issuer_is_refused(visitor, oidc_settings, team):
    oidc_settings.BLUESTONE_OIDC_ISSUER = "http://127.0.0.1:9/another-provider"
    UserFactory.create(username="nadia.ahmed", email=ACCOUNTS["nadia"].email)

    response = visitor.sign_in("nadia")

    assert response.status_code == 403
    assert "Signing in with your force account did not work" in response.text
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_the_provider_stands_for_bluestones_second_factor(visitor, oidc_settings, team):
    oidc_settings.BLUESTONE_REQUIRE_TOTP = True
    user = UserFactory.create(username="nadia.ahmed", email=ACCOUNTS["nadia"].email)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)

    response = visitor.sign_in("nadia")

    _assert_signed_in(visitor, response)
    account = visitor.http.get(visitor.url("/account/"), timeout=HTTP_TIMEOUT)
    assert account.url == visitor.url("/account/")
    assert "With your force account" in account.text


def test_signing_out_ends_the_session_at_the_provider_too(visitor, team):
    UserFactory.create(username="nadia.ahmed", email=ACCOUNTS["nadia"].email)
    visitor.sign_in("nadia")
    # While the provider's session lasts, starting again signs straight back in, with no form.
    bluestone_cookies = [c for c in visitor.http.cookies if c.domain.startswith("localhost")]
    for cookie in bluestone_cookies:
        visitor.http.cookies.clear(cookie.domain, cookie.path, cookie.name)
    assert visitor.start().url == visitor.url(MY_WORK)

    signed_out = visitor.sign_out()

    assert signed_out.url == visitor.url("/account/sign-in/")
    assert "You have signed out." in signed_out.text
    assert visitor.http.get(visitor.url("/account/"), timeout=HTTP_TIMEOUT).url.startswith(
        visitor.url("/account/sign-in/")
    )
    # The provider's session is over: starting again asks for the login and password.
    assert visitor.start().url.startswith(visitor.provider.issuer + "/interaction/")
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT).count() == 1


# --- the force account a user is tied to ---------------------------------------------------------------


def test_once_tied_a_user_is_found_by_their_force_account_not_by_email(visitor, team):
    nadia = ACCOUNTS["nadia"]
    user = UserFactory.create(username="nadia.ahmed", email=nadia.email, role=Role.INVESTIGATOR, team=team)
    _assert_signed_in(visitor, visitor.sign_in("nadia"))
    # Her email changes in Bluestone, and someone else is given the address she signs in with.
    User.objects.filter(pk=user.pk).update(email="n.ahmed@force.example")
    other = UserFactory.create(username="someone.else", email=nadia.email, role=Role.AUDITOR)

    again = Visitor(visitor.provider)
    _assert_signed_in(again, again.sign_in("nadia"))

    session = Session.objects.get(session_key=again.http.cookies["sessionid"]).get_decoded()
    assert session["_auth_user_id"] == str(user.pk)
    other.refresh_from_db()
    assert (other.sso_subject, other.role) == ("", Role.AUDITOR)
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=user).count() == 2
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=other).exists()


def test_an_account_tied_to_another_force_account_is_refused(visitor, team):
    nadia = ACCOUNTS["nadia"]
    user = UserFactory.create(
        username="nadia.ahmed", email=nadia.email, role=Role.ANALYST, team=None, sso_issuer=visitor.provider.issuer
    )
    User.objects.filter(pk=user.pk).update(sso_subject="the-person-who-had-the-address")

    response = visitor.sign_in("nadia")

    assert response.status_code == 403
    assert "Your Bluestone account belongs to another force account" in response.text
    assert "untie" in response.text
    (refusal,) = _refusals(nadia.email)
    assert refusal.details["reason"] == "other_force_account"
    assert refusal.details["reason_words"] == "the Bluestone account is tied to another force account"
    user.refresh_from_db()
    # Nothing of the account changed, and nobody is signed in.
    assert (user.role, user.team, user.sso_subject) == (Role.ANALYST, None, "the-person-who-had-the-address")
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()
    assert visitor.http.get(visitor.url("/account/"), timeout=HTTP_TIMEOUT).url.startswith(
        visitor.url("/account/sign-in/")
    )


def test_an_administrator_unties_an_account_and_the_next_sign_in_ties_it_again(visitor, team):
    from bluestone.administration.services import user_untie_force_account  # noqa: PLC0415

    nadia = ACCOUNTS["nadia"]
    administrator = UserFactory.create(username="admin", role=Role.ADMINISTRATOR)
    user = UserFactory.create(username="nadia.ahmed", email=nadia.email, role=Role.INVESTIGATOR, team=team)
    User.objects.filter(pk=user.pk).update(sso_issuer=visitor.provider.issuer, sso_subject="her-old-account")
    assert visitor.sign_in("nadia").status_code == 403

    user_untie_force_account(actor=administrator, user=user, reason="Her force account was replaced in May")
    again = Visitor(visitor.provider)
    _assert_signed_in(again, again.sign_in("nadia"))

    user.refresh_from_db()
    assert user.sso_subject == nadia.login
    untied = AuditEvent.objects.get(action=AuditAction.ALTERATION, actor=administrator, object_id=str(user.pk))
    assert untied.details["force_account_from"] == {"issuer": visitor.provider.issuer, "sub": "her-old-account"}
    assert untied.justification == "Her force account was replaced in May"


def test_just_in_time_creation_ties_the_new_user_to_the_force_account(visitor, oidc_settings, team):
    oidc_settings.OIDC_CREATE_USER = True

    _assert_signed_in(visitor, visitor.sign_in("newstarter"))

    user = User.objects.get(email=ACCOUNTS["newstarter"].email)
    assert (user.sso_issuer, user.sso_subject) == (visitor.provider.issuer, "newstarter")


# --- the last active administrator --------------------------------------------------------------------


def test_claims_that_would_demote_the_last_active_administrator_are_refused(visitor, team):
    nadia = ACCOUNTS["nadia"]  # her claims make her an investigator
    user = UserFactory.create(username="nadia.ahmed", email=nadia.email, role=Role.ADMINISTRATOR, team=None)
    UserFactory.create(username="former.admin", role=Role.ADMINISTRATOR, is_active=False)

    response = visitor.sign_in("nadia")

    assert response.status_code == 403
    assert "you are the last active Bluestone administrator" in response.text
    (refusal,) = _refusals(nadia.email)
    assert refusal.details["reason"] == "last_administrator"
    user.refresh_from_db()
    # Nothing changed: not the role, not the team, and not tied to the force account either.
    assert (user.role, user.team, user.sso_subject) == (Role.ADMINISTRATOR, None, "")
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ALTERATION, object_id=str(user.pk)).exists()


def test_claims_may_demote_an_administrator_while_another_stays_active(visitor, team):
    nadia = ACCOUNTS["nadia"]
    user = UserFactory.create(username="nadia.ahmed", email=nadia.email, role=Role.ADMINISTRATOR, team=None)
    UserFactory.create(username="other.admin", role=Role.ADMINISTRATOR)

    _assert_signed_in(visitor, visitor.sign_in("nadia"))

    user.refresh_from_db()
    assert (user.role, user.team) == (Role.INVESTIGATOR, team)
