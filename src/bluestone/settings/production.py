"""A force's deployment on PostgreSQL. Every value comes from the environment (or the file named by
BLUESTONE_ENV_FILE; docs/deployment.md lists them); it refuses to start without its keys, or with a
value that is unsafe in production."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from bluestone.settings.base import *  # noqa: F403
from bluestone.settings.base import (
    BLUESTONE_LOCAL_PASSWORDS,
    BLUESTONE_OIDC_ENABLED,
    BLUESTONE_OIDC_END_SESSION_ENDPOINT,
    BLUESTONE_OIDC_GROUP_ROLES,
    BLUESTONE_OIDC_ISSUER,
    BLUESTONE_OIDC_MATCH_FIELD,
    BLUESTONE_OIDC_ROLE_CLAIM,
    BLUESTONE_ROLE_NAMES,
    BLUESTONE_SURFACES,
    EMAIL_HOST_PASSWORD,
    EMAIL_USE_SSL,
    EMAIL_USE_TLS,
    OIDC_CREATE_USER,
    OIDC_OP_AUTHORIZATION_ENDPOINT,
    OIDC_OP_JWKS_ENDPOINT,
    OIDC_OP_TOKEN_ENDPOINT,
    OIDC_OP_USER_ENDPOINT,
    OIDC_RP_CLIENT_ID,
    OIDC_RP_CLIENT_SECRET,
    env_bool,
)

MIN_SECRET_KEY_LENGTH = 50
SECRET_KEY = os.environ.get("BLUESTONE_SECRET_KEY", "")
if len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
    raise ImproperlyConfigured("Set BLUESTONE_SECRET_KEY to a random value of at least 50 characters.")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("BLUESTONE_ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set BLUESTONE_ALLOWED_HOSTS to the host names this server answers.")
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("BLUESTONE_ALLOWED_HOSTS may not be *: name the host names this server answers.")
if len(os.environ.get("BLUESTONE_PSEUDONYM_KEY", "")) < MIN_SECRET_KEY_LENGTH:
    raise ImproperlyConfigured(
        "Set BLUESTONE_PSEUDONYM_KEY to a random value of at least 50 characters, different from the secret key."
    )
BLUESTONE_AUDIT_KEY = os.environ.get("BLUESTONE_AUDIT_KEY", "")
if len(BLUESTONE_AUDIT_KEY) < MIN_SECRET_KEY_LENGTH or BLUESTONE_AUDIT_KEY in {
    SECRET_KEY,
    os.environ.get("BLUESTONE_PSEUDONYM_KEY"),
}:
    raise ImproperlyConfigured(
        "Set BLUESTONE_AUDIT_KEY to a random value of at least 50 characters, different from the other keys: "
        "it signs the audit log (docs/security.md)."
    )
if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured("Set DATABASE_URL to the force's PostgreSQL database.")

DEBUG = False
SECURE_SSL_REDIRECT = True
# A load balancer's probes may come over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-bluestone-session"
CSRF_COOKIE_NAME = "__Host-bluestone-csrf"
BLUESTONE_REQUIRE_TOTP = True

if env_bool("BLUESTONE_DEBUG", default=False):
    raise ImproperlyConfigured("BLUESTONE_DEBUG is refused in production: debug pages show settings and data.")
if not set(BLUESTONE_SURFACES) or not set(BLUESTONE_SURFACES) <= {"staff", "portal"}:
    raise ImproperlyConfigured("BLUESTONE_SURFACES must be staff, portal, or staff,portal.")

# Victims' messages link to the portal: it must be the force's public address, over HTTPS.
BLUESTONE_PORTAL_URL = os.environ.get("BLUESTONE_PORTAL_URL", "")
if not BLUESTONE_PORTAL_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "Set BLUESTONE_PORTAL_URL to the portal's sign-in page over HTTPS "
        "(for example https://bluestone.force.example/portal/follow/)."
    )

# Messages: the file and console senders write victims' contact details and codes where they are read
# by nobody (or by anybody); production takes them only when told to, for a trial.
FILE_SENDERS = {"bluestone.victims.notifications.FileSender", "bluestone.victims.notifications.ConsoleSender"}
NOTIFY_SENDER = "bluestone.victims.notifications.NotifySender"
BLUESTONE_NOTIFICATION_SENDER = os.environ.get("BLUESTONE_NOTIFICATION_SENDER", "")
if not BLUESTONE_NOTIFICATION_SENDER:
    raise ImproperlyConfigured(
        f"Set BLUESTONE_NOTIFICATION_SENDER, for GOV.UK Notify to {NOTIFY_SENDER} (docs/deployment.md)."
    )
if BLUESTONE_NOTIFICATION_SENDER in FILE_SENDERS and not env_bool("BLUESTONE_ALLOW_FILE_SENDER", default=False):
    raise ImproperlyConfigured(
        f"{BLUESTONE_NOTIFICATION_SENDER} sends nothing to anybody; production takes it only with "
        "BLUESTONE_ALLOW_FILE_SENDER=1 (a trial without real victims)."
    )
if BLUESTONE_NOTIFICATION_SENDER == NOTIFY_SENDER:
    _missing = [
        name
        for name in (
            "BLUESTONE_NOTIFY_API_KEY",
            "BLUESTONE_NOTIFY_SMS_UPDATE_TEMPLATE",
            "BLUESTONE_NOTIFY_SMS_CODE_TEMPLATE",
            "BLUESTONE_NOTIFY_EMAIL_UPDATE_TEMPLATE",
            "BLUESTONE_NOTIFY_EMAIL_CODE_TEMPLATE",
            "BLUESTONE_NOTIFY_STAFF_TEMPLATE",
        )
        if not os.environ.get(name)
    ]
    if _missing:
        raise ImproperlyConfigured(f"GOV.UK Notify needs {', '.join(_missing)} (docs/deployment.md).")
    if not os.environ.get("BLUESTONE_NOTIFY_BASE_URL", "https://").startswith("https://"):
        raise ImproperlyConfigured("BLUESTONE_NOTIFY_BASE_URL must be an https:// address.")
NOTIFY_CALLBACK_TOKEN_MIN = 32
if 0 < len(os.environ.get("BLUESTONE_NOTIFY_CALLBACK_TOKEN", "")) < NOTIFY_CALLBACK_TOKEN_MIN:
    raise ImproperlyConfigured(
        f"BLUESTONE_NOTIFY_CALLBACK_TOKEN must be at least {NOTIFY_CALLBACK_TOKEN_MIN} characters (or empty)."
    )
if EMAIL_HOST_PASSWORD and not (EMAIL_USE_TLS or EMAIL_USE_SSL):
    raise ImproperlyConfigured(
        "EMAIL_HOST_PASSWORD is set without EMAIL_USE_TLS or EMAIL_USE_SSL: it would go in clear."
    )

# Single sign-on (docs/deployment.md, "Single sign-on"): every endpoint over HTTPS, the client's
# credentials, and just-in-time creation only where the claims give the new user a role.
if BLUESTONE_OIDC_ENABLED:
    _oidc_urls = {
        "BLUESTONE_OIDC_ISSUER": BLUESTONE_OIDC_ISSUER,
        "BLUESTONE_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
        "BLUESTONE_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
        "BLUESTONE_OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
        "BLUESTONE_OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
    }
    if BLUESTONE_OIDC_END_SESSION_ENDPOINT:
        _oidc_urls["BLUESTONE_OIDC_END_SESSION_ENDPOINT"] = BLUESTONE_OIDC_END_SESSION_ENDPOINT
    _not_https = [name for name, url in _oidc_urls.items() if not url.startswith("https://")]
    if _not_https:
        raise ImproperlyConfigured(f"Single sign-on needs {', '.join(_not_https)} set to https:// addresses.")
    if not OIDC_RP_CLIENT_ID or not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("Single sign-on needs BLUESTONE_OIDC_CLIENT_ID and BLUESTONE_OIDC_CLIENT_SECRET.")
    if OIDC_CREATE_USER and not (BLUESTONE_OIDC_ROLE_CLAIM or BLUESTONE_OIDC_GROUP_ROLES):
        raise ImproperlyConfigured(
            "BLUESTONE_OIDC_CREATE_USERS needs BLUESTONE_OIDC_ROLE_CLAIM or BLUESTONE_OIDC_GROUP_ROLES: "
            "a user made at sign-in takes their role from the provider."
        )
if not BLUESTONE_LOCAL_PASSWORDS and not BLUESTONE_OIDC_ENABLED:
    raise ImproperlyConfigured(
        "BLUESTONE_LOCAL_PASSWORDS=0 needs single sign-on (BLUESTONE_OIDC_ENABLED=1): nobody could sign in."
    )
if BLUESTONE_OIDC_MATCH_FIELD not in {"email", "username"}:
    raise ImproperlyConfigured("BLUESTONE_OIDC_MATCH_FIELD must be email or username.")
_not_roles = set(BLUESTONE_OIDC_GROUP_ROLES.values()) - BLUESTONE_ROLE_NAMES
if _not_roles:
    raise ImproperlyConfigured(
        f"BLUESTONE_OIDC_GROUP_ROLES maps groups to {', '.join(sorted(_not_roles))}, "
        f"which is not a role; the roles are {', '.join(sorted(BLUESTONE_ROLE_NAMES))}."
    )
