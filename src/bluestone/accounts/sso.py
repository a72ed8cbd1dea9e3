"""Single sign-on with OpenID Connect: the force's identity provider (Microsoft Entra ID or another)
vouches for the person, Bluestone decides whether they may come in and as what.

mozilla-django-oidc runs the authorization code flow (with PKCE and a nonce) and checks the ID
token's signature against the provider's keys. On top of it, this backend:

- checks the ID token's issuer and audience, which the library leaves unchecked;
- reads the ID token's claims as well as the userinfo endpoint's, because Entra ID sends groups and
  app roles in the ID token only;
- finds the Bluestone user tied to the person's force account (the provider's issuer and `sub`,
  stored on the user at their first sign-in through it); failing that, the user named by one claim
  (BLUESTONE_OIDC_MATCH_CLAIM, matched with the user's email or username), whom it then ties to the
  force account. A user already tied to another force account is refused: an email address given
  to someone else at the provider does not open the account of the person who had it;
- refuses, with a reason the callback page explains, a person who has no account (unless
  just-in-time creation is on), a deactivated account, a claim that matches two accounts, a sign-in
  without the authentication methods required (BLUESTONE_OIDC_REQUIRED_AMR), and claims that give no
  role, two roles, two teams or a team Bluestone does not have;
- sets the role and team from the claims when the force maps them (a role claim, groups mapped to
  roles and teams), so that the provider's groups stay the one place where access is given; but not
  when that would leave the force without an active administrator (the sign-in is refused).

`accounts` sits below `audit`, so what happens here is published as events (`SingleSignOnRefused`,
`SingleSignOnAccountChanged`) that `audit` records; the sign-in itself is logged from Django's
`user_logged_in` signal like a password sign-in.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from bluestone.accounts.events import SingleSignOnAccountChanged
from bluestone.accounts.models import Role, Team, User
from bluestone.accounts.services import active_administrators_lock
from bluestone.core.events import publish

logger = logging.getLogger(__name__)

SSO_BACKEND = "bluestone.accounts.sso.SingleSignOnBackend"
# Where the backend leaves its reason for refusing, for the callback view to explain.
REFUSAL_ATTRIBUTE = "bluestone_sso_refusal"
MATCH_FIELDS = ("email", "username")
USERNAME_MAX = 150
SUBJECT_MAX = 255


class Refusal(enum.StrEnum):
    PROVIDER = "provider"
    UNKNOWN_USER = "unknown_user"
    DEACTIVATED = "deactivated"
    SEVERAL_USERS = "several_users"
    NO_MFA = "no_mfa"
    NO_ROLE = "no_role"
    SEVERAL_ROLES = "several_roles"
    SEVERAL_TEAMS = "several_teams"
    UNKNOWN_TEAM = "unknown_team"
    OTHER_FORCE_ACCOUNT = "other_force_account"
    LAST_ADMINISTRATOR = "last_administrator"


# How the log words each refusal (the page the person sees says more, and what to do next).
REFUSAL_WORDS: dict[Refusal, str] = {
    Refusal.PROVIDER: "the provider's answer was not accepted",
    Refusal.UNKNOWN_USER: "no Bluestone account for this person",
    Refusal.DEACTIVATED: "the Bluestone account is deactivated",
    Refusal.SEVERAL_USERS: "matches more than one Bluestone account",
    Refusal.NO_MFA: "signed in without the required authentication methods",
    Refusal.NO_ROLE: "the claims give no role",
    Refusal.SEVERAL_ROLES: "the claims give more than one role",
    Refusal.SEVERAL_TEAMS: "the claims give more than one team",
    Refusal.UNKNOWN_TEAM: "the claims name a team Bluestone does not have",
    Refusal.OTHER_FORCE_ACCOUNT: "the Bluestone account is tied to another force account",
    Refusal.LAST_ADMINISTRATOR: "the claims would take the role of the last active administrator",
}


class SignInRefused(Exception):  # noqa: N818 (a refusal, not an error)
    def __init__(self, reason: Refusal, identity: str = "") -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.identity = identity[:USERNAME_MAX]


def claim_values(claims: Mapping[str, Any], name: str) -> list[str]:
    """A claim as a list of strings, whether the provider sent one value or a list; [] if absent."""
    if not name:
        return []
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value if isinstance(item, str | int)]
    return [str(value)]


@dataclass(frozen=True)
class Placement:
    """The role and team the claims give. `decides_role` is False when the force maps no role from
    the provider (administrators then set it in Bluestone); likewise `decides_team`."""

    decides_role: bool
    role: str | None
    decides_team: bool
    team: Team | None


def role_mapping_configured() -> bool:
    return bool(settings.BLUESTONE_OIDC_ROLE_CLAIM or settings.BLUESTONE_OIDC_GROUP_ROLES)


def placement_from_claims(claims: Mapping[str, Any], *, identity: str) -> Placement:
    """The role and team that the claims give, by the force's mappings.

    A role comes from the role claim when its value is a role's name (such as "investigator"), and
    from each group in the groups claim that BLUESTONE_OIDC_GROUP_ROLES maps; a team from the team
    claim's value as a team code, and from the groups that BLUESTONE_OIDC_GROUP_TEAMS maps. Exactly
    one role is needed when roles are mapped; at most one team (none: the user has no team).
    """
    groups = claim_values(claims, settings.BLUESTONE_OIDC_GROUPS_CLAIM)
    role: str | None = None
    decides_role = role_mapping_configured()
    if decides_role:
        roles = {value for value in claim_values(claims, settings.BLUESTONE_OIDC_ROLE_CLAIM) if value in Role.values}
        roles |= {settings.BLUESTONE_OIDC_GROUP_ROLES[g] for g in groups if g in settings.BLUESTONE_OIDC_GROUP_ROLES}
        if not roles:
            raise SignInRefused(Refusal.NO_ROLE, identity)
        if len(roles) > 1:
            raise SignInRefused(Refusal.SEVERAL_ROLES, identity)
        (role,) = roles
    team: Team | None = None
    decides_team = bool(settings.BLUESTONE_OIDC_TEAM_CLAIM or settings.BLUESTONE_OIDC_GROUP_TEAMS)
    if decides_team:
        codes = set(claim_values(claims, settings.BLUESTONE_OIDC_TEAM_CLAIM))
        codes |= {settings.BLUESTONE_OIDC_GROUP_TEAMS[g] for g in groups if g in settings.BLUESTONE_OIDC_GROUP_TEAMS}
        if len(codes) > 1:
            raise SignInRefused(Refusal.SEVERAL_TEAMS, identity)
        if codes:
            (code,) = codes
            team = Team.objects.filter(code=code).first()
            if team is None:
                raise SignInRefused(Refusal.UNKNOWN_TEAM, identity)
    return Placement(decides_role=decides_role, role=role, decides_team=decides_team, team=team)


@dataclass(frozen=True)
class ForceAccount:
    """A person at the provider: its issuer and the `sub` it gives them (never reassigned by it)."""

    issuer: str
    subject: str


class SingleSignOnBackend(OIDCAuthenticationBackend):
    request: HttpRequest

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or not settings.BLUESTONE_OIDC_ENABLED:
            return None
        try:
            user: User | None = super().authenticate(request, **kwargs)
        except SignInRefused as refusal:
            setattr(request, REFUSAL_ATTRIBUTE, refusal)
            return None
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError, ValueError, KeyError) as error:
            # The token exchange failed, or a token did not check out: nobody is signed in.
            logger.warning("Single sign-on failed at the provider's answer: %s", error)
            setattr(request, REFUSAL_ATTRIBUTE, SignInRefused(Refusal.PROVIDER))
            return None
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        if payload.get("iss") != settings.BLUESTONE_OIDC_ISSUER:
            raise SuspiciousOperation("The token was issued by another provider.")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The token was issued for another client.")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        userinfo: dict[str, Any] = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo endpoint answered for another person.")
        # The ID token's claims (groups, app roles, amr), then the userinfo endpoint's over them.
        return {**payload, **userinfo}

    def filter_users_by_claims(self, claims: Mapping[str, Any]) -> Any:
        identity = _identity(claims)
        if not identity:
            return User.objects.none()
        field = settings.BLUESTONE_OIDC_MATCH_FIELD
        return User.objects.filter(**{f"{field}__iexact": identity}).order_by("pk")

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        claims = self.get_userinfo(access_token, id_token, payload)
        identity = _identity(claims)
        if not identity:
            logger.warning("The provider sent no %s claim.", settings.BLUESTONE_OIDC_MATCH_CLAIM)
            raise SignInRefused(Refusal.PROVIDER)
        required = set(settings.BLUESTONE_OIDC_REQUIRED_AMR)
        if required and not required & set(claim_values(claims, "amr")):
            raise SignInRefused(Refusal.NO_MFA, identity)
        force_account = ForceAccount(issuer=settings.BLUESTONE_OIDC_ISSUER, subject=str(claims.get("sub") or ""))
        if not force_account.subject or len(force_account.subject) > SUBJECT_MAX:
            logger.warning("The provider sent no usable sub claim.")
            raise SignInRefused(Refusal.PROVIDER, identity)
        tied = User.objects.filter(sso_issuer=force_account.issuer, sso_subject=force_account.subject).first()
        if tied is not None:
            # Found by the force account: whatever email the claims or the user now have.
            if not tied.is_active:
                raise SignInRefused(Refusal.DEACTIVATED, identity)
            return self._place(tied, placement_from_claims(claims, identity=identity), identity=identity)
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) > 1:
            raise SignInRefused(Refusal.SEVERAL_USERS, identity)
        if users:
            user = users[0]
            if not user.is_active:
                raise SignInRefused(Refusal.DEACTIVATED, identity)
            if user.sso_subject:
                # Tied to another force account (or to this person at another provider).
                raise SignInRefused(Refusal.OTHER_FORCE_ACCOUNT, identity)
            placement = placement_from_claims(claims, identity=identity)
            return self._place(user, placement, identity=identity, tie_to=force_account)
        if not settings.OIDC_CREATE_USER:
            raise SignInRefused(Refusal.UNKNOWN_USER, identity)
        placement = placement_from_claims(claims, identity=identity)
        if placement.role is None:
            # Just-in-time creation needs the role from the provider: nobody gets one by default.
            raise SignInRefused(Refusal.NO_ROLE, identity)
        return self._create(claims, identity=identity, placement=placement, force_account=force_account)

    def _place(self, user: User, placement: Placement, *, identity: str, tie_to: ForceAccount | None = None) -> User:
        changed: list[str] = []
        fields: list[str] = []
        role_before = user.role
        if placement.decides_role and placement.role is not None and placement.role != user.role:
            changed.append("role")
        if placement.decides_team and placement.team != user.team:
            changed.append("team")
        if tie_to is not None:
            changed.append("force_account")
        if not changed:
            return user
        with transaction.atomic():
            if "role" in changed and role_before == Role.ADMINISTRATOR:
                # Counted under lock, as an administrator's own change is (administration.services).
                if active_administrators_lock() == [user.pk]:
                    raise SignInRefused(Refusal.LAST_ADMINISTRATOR, identity)
            if "role" in changed:
                user.role = placement.role or user.role
                fields.append("role")
            if "team" in changed:
                user.team = placement.team
                fields.append("team")
            if tie_to is not None:
                user.sso_issuer, user.sso_subject = tie_to.issuer, tie_to.subject
                fields += ["sso_issuer", "sso_subject"]
            user.save(update_fields=fields)
            publish(SingleSignOnAccountChanged(user=user, request=self.request, created=False, changed=tuple(changed)))
        return user

    def _create(
        self, claims: Mapping[str, Any], *, identity: str, placement: Placement, force_account: ForceAccount
    ) -> User:
        if settings.BLUESTONE_OIDC_MATCH_FIELD == "username":
            username = identity
        else:
            username = str(claims.get("preferred_username") or identity)[:USERNAME_MAX]
        if User.objects.filter(username__iexact=username).exists():
            # Someone else already has the username: an administrator must sort out which is whom.
            raise SignInRefused(Refusal.SEVERAL_USERS, identity)
        email = identity if settings.BLUESTONE_OIDC_MATCH_FIELD == "email" else str(claims.get("email") or "")
        try:
            return self._insert(
                claims, username=username, email=email, placement=placement, force_account=force_account
            )
        except IntegrityError:
            # Another sign-in made a user with this username or force account since the checks above
            # (the same person signing in twice at once): carry on with it if it is theirs.
            logger.info("Just-in-time creation met a user made meanwhile for %s.", identity)
        tied = User.objects.filter(sso_issuer=force_account.issuer, sso_subject=force_account.subject).first()
        if tied is None:
            # The username went to someone else: as when it was taken before the check.
            raise SignInRefused(Refusal.SEVERAL_USERS, identity)
        if not tied.is_active:
            raise SignInRefused(Refusal.DEACTIVATED, identity)
        return self._place(tied, placement, identity=identity)

    def _insert(
        self, claims: Mapping[str, Any], *, username: str, email: str, placement: Placement, force_account: ForceAccount
    ) -> User:
        # A savepoint, so that a unique constraint that fails leaves any outer transaction usable.
        with transaction.atomic():
            user = User(
                username=username,
                email=email,
                first_name=str(claims.get("given_name") or "")[:150],
                last_name=str(claims.get("family_name") or "")[:150],
                role=placement.role or Role.INVESTIGATOR,  # never empty: refused above
                team=placement.team,
                sso_issuer=force_account.issuer,
                sso_subject=force_account.subject,
            )
            user.set_unusable_password()
            user.save()
            publish(
                SingleSignOnAccountChanged(
                    user=user, request=self.request, created=True, changed=("role", "team", "force_account")
                )
            )
        return user


def _identity(claims: Mapping[str, Any]) -> str:
    values = claim_values(claims, settings.BLUESTONE_OIDC_MATCH_CLAIM)
    return values[0].strip() if values else ""


def session_is_single_sign_on(request: HttpRequest) -> bool:
    """Whether the signed-in session was signed in through the provider."""
    return bool(request.session.get(BACKEND_SESSION_KEY) == SSO_BACKEND)


def provider_sign_out_url(request: HttpRequest) -> str | None:
    """Where to send the browser so that the provider ends its session too (RP-initiated logout),
    for a session signed in through it; None otherwise. Read before the session is flushed."""
    endpoint = settings.BLUESTONE_OIDC_END_SESSION_ENDPOINT
    if not endpoint or not session_is_single_sign_on(request):
        return None
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
    }
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urlencode(params)}"
