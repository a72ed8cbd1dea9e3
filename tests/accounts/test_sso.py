"""Single sign-on without the provider: claims to role and team, the sign-in page, local passwords
turned off, a callback that this browser did not start, and how the log shows a refusal.
(tests/accounts/test_sso_provider.py signs in through a real provider.)"""

from __future__ import annotations

import pytest
from django.test import Client

from bluestone.accounts.models import Role
from bluestone.accounts.sso import Placement, Refusal, SignInRefused, claim_values, placement_from_claims
from bluestone.audit.models import AuditAction, AuditEvent
from tests.factories import TEST_PASSWORD, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"
START = "/account/sign-in/force-account/"
CALLBACK = "/account/sign-in/force-account/callback/"


@pytest.fixture
def mapped(settings):
    settings.BLUESTONE_OIDC_ENABLED = True
    settings.BLUESTONE_OIDC_ROLE_CLAIM = "roles"
    settings.BLUESTONE_OIDC_TEAM_CLAIM = ""
    settings.BLUESTONE_OIDC_GROUPS_CLAIM = "groups"
    settings.BLUESTONE_OIDC_GROUP_ROLES = {"g-supervisors": "supervisor", "g-auditors": "auditor"}
    settings.BLUESTONE_OIDC_GROUP_TEAMS = {"g-east": "EAST", "g-west": "WEST"}
    return settings


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, []), ("a", ["a"]), (["a", "b"], ["a", "b"]), ([1, {"x": 1}], ["1"]), (7, ["7"])],
)
def test_a_claim_is_read_as_a_list_of_strings(value, expected):
    assert claim_values({"c": value} if value is not None else {}, "c") == expected


def test_role_from_a_claim_and_team_from_a_group(mapped):
    east = TeamFactory.create(code="EAST")

    placement = placement_from_claims({"roles": ["investigator", "Something.Else"], "groups": ["g-east"]}, identity="a")

    assert placement == Placement(decides_role=True, role="investigator", decides_team=True, team=east)


def test_role_from_a_group_and_no_team(mapped):
    placement = placement_from_claims({"groups": ["g-supervisors", "unmapped"]}, identity="a")

    assert (placement.role, placement.team) == ("supervisor", None)


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"roles": ["Something.Else"]}, Refusal.NO_ROLE),
        ({"groups": ["g-supervisors", "g-auditors"]}, Refusal.SEVERAL_ROLES),
        ({"roles": "investigator", "groups": ["g-east", "g-west"]}, Refusal.SEVERAL_TEAMS),
        ({"roles": "investigator", "groups": ["g-west"]}, Refusal.UNKNOWN_TEAM),
    ],
)
def test_claims_that_do_not_place_one_person_are_refused(mapped, claims, reason):
    TeamFactory.create(code="EAST")

    with pytest.raises(SignInRefused) as refused:
        placement_from_claims(claims, identity="jo@force.example")

    assert refused.value.reason is reason
    assert refused.value.identity == "jo@force.example"


def test_without_mappings_bluestone_keeps_role_and_team(settings):
    settings.BLUESTONE_OIDC_ROLE_CLAIM = ""
    settings.BLUESTONE_OIDC_TEAM_CLAIM = ""
    settings.BLUESTONE_OIDC_GROUP_ROLES = {}
    settings.BLUESTONE_OIDC_GROUP_TEAMS = {}

    placement = placement_from_claims({"roles": ["supervisor"], "groups": ["g-east"]}, identity="a")

    assert (placement.decides_role, placement.decides_team) == (False, False)


def test_single_sign_on_pages_are_not_there_until_it_is_set_up(client: Client, settings):
    settings.BLUESTONE_OIDC_ENABLED = False

    assert client.get(START).status_code == 404
    assert client.get(CALLBACK).status_code == 404
    assert "Sign in with your force account" not in client.get(SIGN_IN).content.decode()


def test_the_sign_in_page_offers_the_force_account_and_a_password(client: Client, settings):
    settings.BLUESTONE_OIDC_ENABLED = True

    body = client.get(f"{SIGN_IN}?next=/measures/").content.decode()

    assert f'href="{START}?next=/measures/"' in body
    assert 'id="id_password"' in body


def test_with_local_passwords_off_no_password_is_taken(client: Client, settings):
    settings.BLUESTONE_OIDC_ENABLED = True
    settings.BLUESTONE_LOCAL_PASSWORDS = False
    UserFactory.create(username="amira")

    page = client.get(SIGN_IN)
    response = client.post(SIGN_IN, {"username": "amira", "password": TEST_PASSWORD})

    assert 'id="id_password"' not in page.content.decode()
    assert "Sign in with your force account" in page.content.decode()
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_turning_local_passwords_off_ends_password_sessions(client: Client, settings):
    UserFactory.create(username="amira")
    assert client.post(SIGN_IN, {"username": "amira", "password": TEST_PASSWORD}).status_code == 302
    assert client.get("/account/").status_code == 200

    settings.BLUESTONE_LOCAL_PASSWORDS = False

    assert client.get("/account/")["Location"].startswith(SIGN_IN)


def test_a_callback_this_browser_did_not_start_is_refused_and_logged(client: Client, settings):
    settings.BLUESTONE_OIDC_ENABLED = True
    session = client.session
    session["oidc_states"] = {"the-real-state": {"nonce": "n", "code_verifier": "v"}}
    session.save()

    response = client.get(CALLBACK, {"code": "stolen-code", "state": "another-state"})

    assert response.status_code == 403
    assert "Signing in with your force account did not work" in response.content.decode()
    refusal = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert refusal.details["step"] == "single sign-on"
    assert refusal.details["reason"] == "provider"


def test_a_cancelled_sign_in_at_the_provider_is_explained(client: Client, settings):
    settings.BLUESTONE_OIDC_ENABLED = True

    response = client.get(CALLBACK, {"error": "access_denied", "state": "s"})

    assert response.status_code == 403
    assert "Nobody has been signed in" in response.content.decode()


def test_the_auditor_sees_why_a_single_sign_on_was_refused(client: Client):
    from bluestone.accounts.events import SingleSignOnRefused  # noqa: PLC0415
    from bluestone.core.events import publish  # noqa: PLC0415

    auditor = UserFactory.create(role=Role.AUDITOR, team=None)
    request = client.get(SIGN_IN).wsgi_request
    publish(SingleSignOnRefused(request=request, reason="deactivated", identity="gone@force.example"))
    client.force_login(auditor)

    body = client.get("/audit/sign-ins/").content.decode()

    assert "Single sign-on: the Bluestone account is deactivated" in body
    assert "gone@force.example" in body


def _sign_in_as_investigator(user_pk: int):
    """What a sign-in through the provider does once its claims say "investigator": the role is set."""
    from django.test import RequestFactory  # noqa: PLC0415

    from bluestone.accounts.models import User  # noqa: PLC0415
    from bluestone.accounts.sso import SingleSignOnBackend  # noqa: PLC0415

    backend = SingleSignOnBackend()
    backend.request = RequestFactory().get(CALLBACK)
    placement = Placement(decides_role=True, role=Role.INVESTIGATOR, decides_team=False, team=None)
    return backend._place(User.objects.get(pk=user_pk), placement, identity="admin-b@force.example")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_administrator_and_single_sign_on_demoting_the_two_last_administrators_at_once_leave_one(mapped):
    from bluestone.accounts.models import User  # noqa: PLC0415
    from bluestone.administration.services import user_set_role  # noqa: PLC0415
    from tests.races import decide_at_once  # noqa: PLC0415

    a = UserFactory.create(username="admin-a", role=Role.ADMINISTRATOR).pk
    b = UserFactory.create(username="admin-b", role=Role.ADMINISTRATOR).pk

    # B demotes A on the administrators' page while B's own sign-in through the provider would demote B.
    first, second = decide_at_once(
        lambda: user_set_role(actor=User.objects.get(pk=b), user=User.objects.get(pk=a), role=Role.INVESTIGATOR),
        lambda: _sign_in_as_investigator(b),
    )

    assert first.error is None, first.error
    assert isinstance(second.error, SignInRefused), second.error
    assert second.error.reason == Refusal.LAST_ADMINISTRATOR
    assert list(User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).values_list("pk", flat=True)) == [b]


def test_single_sign_on_leaves_the_last_administrator_an_administrator(mapped):
    from bluestone.accounts.models import User  # noqa: PLC0415

    only = UserFactory.create(username="admin-b", role=Role.ADMINISTRATOR)
    with pytest.raises(SignInRefused) as refused:
        _sign_in_as_investigator(only.pk)
    assert refused.value.reason == Refusal.LAST_ADMINISTRATOR
    assert User.objects.get(pk=only.pk).role == Role.ADMINISTRATOR

    UserFactory.create(username="admin-c", role=Role.ADMINISTRATOR)
    assert _sign_in_as_investigator(only.pk).role == Role.INVESTIGATOR


def _create_just_in_time(sub: str, username: str):
    """What a first sign-in through the provider does for a person Bluestone does not know yet, once
    the lookups by force account and by claim have found nobody: it makes the user."""
    from django.conf import settings  # noqa: PLC0415
    from django.test import RequestFactory  # noqa: PLC0415

    from bluestone.accounts.sso import ForceAccount, SingleSignOnBackend  # noqa: PLC0415

    backend = SingleSignOnBackend()
    backend.request = RequestFactory().get(CALLBACK)
    claims = {"sub": sub, "email": f"{username}@force.example", "preferred_username": username}
    placement = Placement(decides_role=True, role=Role.INVESTIGATOR, decides_team=False, team=None)
    force_account = ForceAccount(issuer=settings.BLUESTONE_OIDC_ISSUER, subject=sub)
    return backend._create(claims, identity=claims["email"], placement=placement, force_account=force_account)


def _made_by_single_sign_on(user_pk: int) -> int:
    return AuditEvent.objects.filter(object_id=str(user_pk), action=AuditAction.COLLECTION).count()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_sign_ins_of_one_person_at_once_make_one_user_and_both_come_in(mapped):
    from bluestone.accounts.models import User  # noqa: PLC0415
    from tests.races import decide_at_once  # noqa: PLC0415

    mapped.BLUESTONE_OIDC_ISSUER = "https://idp.force.example"
    first, second = decide_at_once(
        lambda: _create_just_in_time("sub-1", "pat"), lambda: _create_just_in_time("sub-1", "pat")
    )

    assert first.error is None, first.error
    assert second.error is None, second.error
    made = User.objects.get(sso_issuer="https://idp.force.example", sso_subject="sub-1")
    assert first.value.pk == second.value.pk == made.pk
    assert _made_by_single_sign_on(made.pk) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_username_taken_by_another_person_meanwhile_refuses_the_sign_in(mapped):
    from bluestone.accounts.models import User  # noqa: PLC0415
    from tests.races import decide_at_once  # noqa: PLC0415

    first, second = decide_at_once(
        lambda: _create_just_in_time("sub-other", "pat"), lambda: _create_just_in_time("sub-1", "pat")
    )

    assert first.error is None, first.error
    assert isinstance(second.error, SignInRefused), second.error
    assert second.error.reason == Refusal.SEVERAL_USERS
    assert not User.objects.filter(sso_subject="sub-1").exists()
    assert User.objects.get(username="pat").sso_subject == "sub-other"


@pytest.mark.parametrize("active", [True, False])
def test_a_user_tied_meanwhile_is_taken_when_active_and_refused_when_not(mapped, active):
    from bluestone.accounts.models import User  # noqa: PLC0415

    mapped.BLUESTONE_OIDC_ISSUER = "https://idp.force.example"
    # Made (under another username) after this sign-in looked for the force account, before it inserts.
    tied = UserFactory.create(username="pat-earlier", is_active=active, role=Role.INVESTIGATOR)
    User.objects.filter(pk=tied.pk).update(sso_issuer="https://idp.force.example", sso_subject="sub-1")

    if active:
        assert _create_just_in_time("sub-1", "pat").pk == tied.pk
    else:
        with pytest.raises(SignInRefused) as refused:
            _create_just_in_time("sub-1", "pat")
        assert refused.value.reason == Refusal.DEACTIVATED
    assert not User.objects.filter(username="pat").exists()
    assert _made_by_single_sign_on(tied.pk) == 0
