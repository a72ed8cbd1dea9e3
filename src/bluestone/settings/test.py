"""The test suite: SQLite in memory unless DATABASE_URL names another server, fast hashing."""

from __future__ import annotations

import os

import dj_database_url

from bluestone.settings.base import *  # noqa: F403
from bluestone.settings.base import STORAGES

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105
BLUESTONE_AUDIT_KEY = "test-only-audit-key-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite://:memory:")),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock at the start of a transaction, so concurrent writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
# Argon2 stays first so that sign-in tests exercise it, at the smallest costs it allows (production
# keeps Django's defaults); a cheap hasher speeds up fixtures.
PASSWORD_HASHERS = [
    "bluestone.core.hashers.CheapArgon2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Lockout is switched on by the tests that test it: Django's test client signs in without a request.
AXES_ENABLED = False
# Tasks run at once, inside the request or command that enqueues them, so tests see their effects.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
