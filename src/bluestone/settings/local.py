"""A laptop: SQLite under ./var, debug on, a development secret key unless one is given."""

from __future__ import annotations

import os

from bluestone.settings.base import *  # noqa: F403
from bluestone.settings.base import STORAGES, env_bool, env_list

DEBUG = env_bool("BLUESTONE_DEBUG", default=False)
# A local-only key: production.py refuses to start without its own.
SECRET_KEY = os.environ.get("BLUESTONE_SECRET_KEY", "local-development-only-not-a-secret")
# A fixed development key, so that the demo's log verifies from one run to the next; never in production.
BLUESTONE_AUDIT_KEY = os.environ.get("BLUESTONE_AUDIT_KEY", "local-development-only-audit-key-not-a-secret")
ALLOWED_HOSTS = env_list("BLUESTONE_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# The demo serves static files without a collectstatic manifest step.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # WAL lets the demo server read while a load or linkage run writes.
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
