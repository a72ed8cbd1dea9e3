"""Production settings for single sign-on: an Entra ID set-up starts, a half-made one does not."""

from __future__ import annotations

import json

import pytest

from bluestone.accounts.models import Role
from tests.test_deploy_check import PRODUCTION, import_production_settings, run_bluestone

TENANT = "11111111-2222-4333-8444-555555555555"
ENTRA = {
    "BLUESTONE_OIDC_ENABLED": "1",
    "BLUESTONE_OIDC_ISSUER": f"https://login.microsoftonline.com/{TENANT}/v2.0",
    "BLUESTONE_OIDC_AUTHORIZATION_ENDPOINT": f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize",
    "BLUESTONE_OIDC_TOKEN_ENDPOINT": f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token",
    "BLUESTONE_OIDC_USERINFO_ENDPOINT": "https://graph.microsoft.com/oidc/userinfo",
    "BLUESTONE_OIDC_JWKS_ENDPOINT": f"https://login.microsoftonline.com/{TENANT}/discovery/v2.0/keys",
    "BLUESTONE_OIDC_END_SESSION_ENDPOINT": f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/logout",
    "BLUESTONE_OIDC_CLIENT_ID": "66666666-7777-4888-8999-000000000000",
    "BLUESTONE_OIDC_CLIENT_SECRET": "a-client-secret-from-the-app-registration",
    "BLUESTONE_OIDC_MATCH_CLAIM": "preferred_username",
    "BLUESTONE_OIDC_MATCH_FIELD": "email",
    "BLUESTONE_OIDC_ROLE_CLAIM": "roles",
    "BLUESTONE_OIDC_GROUP_TEAMS": "aaaaaaaa-0000-4000-8000-000000000001=E1,aaaaaaaa-0000-4000-8000-000000000002=W1",
    "BLUESTONE_OIDC_REQUIRED_AMR": "mfa",
    "BLUESTONE_LOCAL_PASSWORDS": "0",
}
SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'form_action': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'], 'teams': s.BLUESTONE_OIDC_GROUP_TEAMS, "
    "'amr': s.BLUESTONE_OIDC_REQUIRED_AMR, 'passwords': s.BLUESTONE_LOCAL_PASSWORDS, 'jit': s.OIDC_CREATE_USER}))"
)


def test_the_role_names_the_settings_check_are_the_roles(settings):
    assert set(Role.values) == settings.BLUESTONE_ROLE_NAMES


def test_production_starts_with_entra_id(tmp_path):
    result = run_bluestone(["shell", "--no-imports", "-c", SHOW], env={**PRODUCTION, **ENTRA}, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["form_action"] == ["'self'", "https://login.microsoftonline.com"]
    assert shown["teams"] == {
        "aaaaaaaa-0000-4000-8000-000000000001": "E1",
        "aaaaaaaa-0000-4000-8000-000000000002": "W1",
    }
    assert (shown["amr"], shown["passwords"], shown["jit"]) == (["mfa"], False, False)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"BLUESTONE_OIDC_TOKEN_ENDPOINT": "http://login.example/token"},
            "BLUESTONE_OIDC_TOKEN_ENDPOINT set to https://",
        ),
        ({"BLUESTONE_OIDC_ISSUER": ""}, "BLUESTONE_OIDC_ISSUER set to https://"),
        ({"BLUESTONE_OIDC_CLIENT_SECRET": ""}, "BLUESTONE_OIDC_CLIENT_SECRET"),
        ({"BLUESTONE_OIDC_CREATE_USERS": "1", "BLUESTONE_OIDC_ROLE_CLAIM": ""}, "BLUESTONE_OIDC_CREATE_USERS needs"),
        ({"BLUESTONE_OIDC_ENABLED": "0"}, "BLUESTONE_LOCAL_PASSWORDS=0 needs single sign-on"),
        ({"BLUESTONE_OIDC_MATCH_FIELD": "upn"}, "must be email or username"),
        ({"BLUESTONE_OIDC_GROUP_ROLES": "g1=investigator,g2=superintendent"}, "superintendent, which is not a role"),
        ({"BLUESTONE_OIDC_GROUP_ROLES": "g1"}, "must be name=value pairs"),
    ],
)
def test_production_refuses_a_half_made_single_sign_on(tmp_path, change, message):
    result = import_production_settings({**PRODUCTION, **ENTRA, **change}, tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
