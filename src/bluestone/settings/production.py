"""A force's deployment on PostgreSQL. Refuses to start without a secret key and allowed hosts."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from bluestone.settings.base import *  # noqa: F403

MIN_SECRET_KEY_LENGTH = 50
SECRET_KEY = os.environ.get("BLUESTONE_SECRET_KEY", "")
if len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
    raise ImproperlyConfigured("Set BLUESTONE_SECRET_KEY to a random value of at least 50 characters.")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("BLUESTONE_ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set BLUESTONE_ALLOWED_HOSTS to the host names this server answers.")
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
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-bluestone-session"
CSRF_COOKIE_NAME = "__Host-bluestone-csrf"
BLUESTONE_REQUIRE_TOTP = True
