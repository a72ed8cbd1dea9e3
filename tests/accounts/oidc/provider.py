"""A real OpenID Provider for the single sign-on tests: `provider.mjs` (npm's certified
`oidc-provider`) started with Node.js on a free loopback port, one per test process.

`oidc_provider` starts it, registered for the live server's callback and sign-out pages, with the
accounts below; `oidc_settings` points Bluestone at it (the live server runs in this process, so
pytest-django's `settings` reach it). Without Node.js or the npm package the tests skip on a laptop
and fail in CI (CI=true), where they must run.
"""

from __future__ import annotations

import copy
import json
import os
import re
import selectors
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SCRIPT = HERE / "provider.mjs"
STARTUP_LIMIT_SECONDS = 60
CLIENT_ID = "bluestone-tests"
CLIENT_SECRET = "test-only-client-secret-not-a-secret"
CALLBACK = "/account/sign-in/force-account/callback/"
SIGN_IN = "/account/sign-in/"
TEAM_CODE = "SSO1"
SUPERVISOR_GROUP = "RASSO supervisors"
AUDITOR_GROUP = "Force auditors"
TEAM_GROUP = "RASSO East"


@dataclass(frozen=True)
class ProviderAccount:
    login: str
    password: str
    email: str
    amr: tuple[str, ...]
    claims: dict[str, Any]


# The people the provider knows. Which of them Bluestone knows is up to each test.
ACCOUNTS = {
    # Role and team from claims of their own (as Entra ID app roles would give).
    "nadia": ProviderAccount(
        "nadia",
        "nadia-provider-password",
        "nadia.ahmed@force.example",
        ("pwd", "mfa"),
        {"bluestone_role": "investigator", "bluestone_team": TEAM_CODE, "given_name": "Nadia", "family_name": "Ahmed"},
    ),
    # Role and team from the groups the force maps.
    "sam": ProviderAccount(
        "sam",
        "sam-provider-password",
        "sam.okafor@force.example",
        ("pwd", "mfa"),
        {"groups": [SUPERVISOR_GROUP, TEAM_GROUP], "given_name": "Sam", "family_name": "Okafor"},
    ),
    "newstarter": ProviderAccount(
        "newstarter",
        "newstarter-provider-password",
        "new.starter@force.example",
        ("pwd", "mfa"),
        {
            "groups": [TEAM_GROUP],
            "bluestone_role": "investigator",
            "preferred_username": "new.starter",
            "given_name": "Jo",
            "family_name": "Starter",
        },
    ),
    "pwdonly": ProviderAccount(
        "pwdonly",
        "pwdonly-provider-password",
        "pat.single@force.example",
        ("pwd",),
        {"bluestone_role": "investigator"},
    ),
    "twohats": ProviderAccount(
        "twohats",
        "twohats-provider-password",
        "two.hats@force.example",
        ("pwd", "mfa"),
        {"groups": [SUPERVISOR_GROUP, AUDITOR_GROUP]},
    ),
}


@dataclass(frozen=True)
class OidcProvider:
    issuer: str
    live_server_url: str

    def endpoint(self, path: str) -> str:
        return f"{self.issuer}{path}"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: the single sign-on tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


def _wait_for_ready(process: subprocess.Popen[str]) -> str:
    """The issuer from the provider's `ready <issuer>` line; the provider's output if it stops first."""
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    lines: list[str] = []
    try:
        while selector.select(timeout=STARTUP_LIMIT_SECONDS):
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            match = re.match(r"ready (http://127\.0\.0\.1:\d+)$", line.strip())
            if match:
                return match.group(1)
    finally:
        selector.close()
    process.kill()
    stderr = process.stderr.read() if process.stderr else ""
    raise RuntimeError(f"The OpenID provider did not start: {''.join(lines)}{stderr}")


@pytest.fixture(scope="session")
def oidc_provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    node = shutil.which("node")
    if node is None:
        _unavailable("Node.js not installed: apt-get install nodejs npm")
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        _unavailable("npm package oidc-provider not installed: run `make install` (npm ci)")
    config = {
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{live_server.url}{CALLBACK}"],
            "post_logout_redirect_uris": [f"{live_server.url}{SIGN_IN}"],
        },
        "accounts": {
            a.login: {"password": a.password, "amr": list(a.amr), "claims": {"email": a.email, **a.claims}}
            for a in ACCOUNTS.values()
        },
    }
    config_file = tmp_path_factory.mktemp("oidc") / "provider.json"
    config_file.write_text(json.dumps(config))
    process = subprocess.Popen(
        [str(node), str(SCRIPT), str(config_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        issuer = _wait_for_ready(process)
        yield OidcProvider(issuer=issuer, live_server_url=live_server.url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def oidc_settings(oidc_provider: OidcProvider, settings: Any) -> Any:
    """Bluestone pointed at the test provider: role from a claim or a group, team from a claim or a
    group, just-in-time creation off, local passwords allowed. Tests change what they test."""
    settings.BLUESTONE_OIDC_ENABLED = True
    settings.BLUESTONE_OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider.endpoint("/auth")
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider.endpoint("/token")
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider.endpoint("/me")
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider.endpoint("/jwks")
    settings.BLUESTONE_OIDC_END_SESSION_ENDPOINT = oidc_provider.endpoint("/session/end")
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups bluestone"
    settings.OIDC_CREATE_USER = False
    settings.BLUESTONE_OIDC_MATCH_CLAIM = "email"
    settings.BLUESTONE_OIDC_MATCH_FIELD = "email"
    settings.BLUESTONE_OIDC_ROLE_CLAIM = "bluestone_role"
    settings.BLUESTONE_OIDC_TEAM_CLAIM = "bluestone_team"
    settings.BLUESTONE_OIDC_GROUPS_CLAIM = "groups"
    settings.BLUESTONE_OIDC_GROUP_ROLES = {SUPERVISOR_GROUP: "supervisor", AUDITOR_GROUP: "auditor"}
    settings.BLUESTONE_OIDC_GROUP_TEAMS = {TEAM_GROUP: TEAM_CODE}
    settings.BLUESTONE_OIDC_REQUIRED_AMR = []
    settings.BLUESTONE_LOCAL_PASSWORDS = True
    # As the settings do for an end-session endpoint: sign-out's form may redirect to the provider.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(oidc_provider.issuer)
    settings.CONTENT_SECURITY_POLICY = policy
    return settings
