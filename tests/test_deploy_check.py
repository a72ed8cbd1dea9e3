"""Production settings: `bluestone check --deploy` is clean, and they refuse to start half-configured.

Each check runs in a fresh process, because settings are read once per process. The database URL
names a server that is not there: the checks do not connect. A refusal happens while the settings
module is imported, before Django starts an app: the tests of refusals import that module alone
(`import_production_settings`), which is what every command does first; the tests of a clean start
run the whole `bluestone` command.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "bluestone.settings.production",
    "BLUESTONE_SECRET_KEY": secrets.token_urlsafe(60)[:60],
    "BLUESTONE_PSEUDONYM_KEY": secrets.token_urlsafe(60)[:60],
    "BLUESTONE_AUDIT_KEY": secrets.token_urlsafe(60)[:60],
    "BLUESTONE_AUDIT_CHECKPOINT_FILE": "/srv/audit-anchor/checkpoints.jsonl",
    "BLUESTONE_ALLOWED_HOSTS": "bluestone.force.example",
    "DATABASE_URL": "postgres://u@127.0.0.1:1/db",
    "BLUESTONE_PORTAL_URL": "https://bluestone.force.example/portal/follow/",
    "BLUESTONE_NOTIFICATION_SENDER": "bluestone.victims.notifications.NotifySender",
    "BLUESTONE_NOTIFY_API_KEY": "force-11111111-1111-4111-8111-111111111111-22222222-2222-4222-8222-222222222222",
    "BLUESTONE_NOTIFY_SMS_UPDATE_TEMPLATE": "33333333-3333-4333-8333-333333333331",
    "BLUESTONE_NOTIFY_SMS_CODE_TEMPLATE": "33333333-3333-4333-8333-333333333332",
    "BLUESTONE_NOTIFY_EMAIL_UPDATE_TEMPLATE": "33333333-3333-4333-8333-333333333333",
    "BLUESTONE_NOTIFY_EMAIL_CODE_TEMPLATE": "33333333-3333-4333-8333-333333333334",
    "BLUESTONE_NOTIFY_STAFF_TEMPLATE": "33333333-3333-4333-8333-333333333335",
}


def bluestone_command() -> list[str]:
    """The `bluestone` console script of this environment, else the module it runs."""
    script = Path(sys.executable).with_name("bluestone")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "bluestone.cli"]


def run_bluestone(args: list[str], *, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("BLUESTONE_", "DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [*bluestone_command(), *args],
        env={**base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def import_production_settings(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Import the settings module named by `env` in a fresh interpreter: where every refusal is raised."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("BLUESTONE_", "DJANGO_", "DATABASE_URL"))}
    code = "import importlib, os; importlib.import_module(os.environ['DJANGO_SETTINGS_MODULE'])"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_bluestone(["check", "--deploy", "--fail-level", "WARNING"], env=PRODUCTION, cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("BLUESTONE_SECRET_KEY", "Set BLUESTONE_SECRET_KEY"),
        ("BLUESTONE_ALLOWED_HOSTS", "Set BLUESTONE_ALLOWED_HOSTS"),
        ("BLUESTONE_PSEUDONYM_KEY", "Set BLUESTONE_PSEUDONYM_KEY"),
        ("BLUESTONE_AUDIT_KEY", "Set BLUESTONE_AUDIT_KEY"),
        ("DATABASE_URL", "Set DATABASE_URL"),
        ("BLUESTONE_PORTAL_URL", "Set BLUESTONE_PORTAL_URL"),
        ("BLUESTONE_NOTIFICATION_SENDER", "Set BLUESTONE_NOTIFICATION_SENDER"),
        ("BLUESTONE_NOTIFY_API_KEY", "GOV.UK Notify needs BLUESTONE_NOTIFY_API_KEY"),
        ("BLUESTONE_NOTIFY_STAFF_TEMPLATE", "GOV.UK Notify needs BLUESTONE_NOTIFY_STAFF_TEMPLATE"),
    ],
)
def test_production_refuses_to_start_without(tmp_path, missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = import_production_settings(env, tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_refuses_a_short_secret_key(tmp_path):
    result = import_production_settings({**PRODUCTION, "BLUESTONE_SECRET_KEY": "too-short"}, tmp_path)

    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_refuses_an_audit_key_that_is_another_key(tmp_path):
    env = {**PRODUCTION, "BLUESTONE_AUDIT_KEY": PRODUCTION["BLUESTONE_SECRET_KEY"]}
    result = import_production_settings(env, tmp_path)

    assert result.returncode != 0
    assert "different from the other keys" in result.stderr


def test_check_deploy_warns_without_an_audit_checkpoint_file(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "BLUESTONE_AUDIT_CHECKPOINT_FILE"}
    result = run_bluestone(["check", "--deploy", "--fail-level", "WARNING"], env=env, cwd=tmp_path)

    assert result.returncode != 0
    assert "bluestone.audit.W001" in result.stderr + result.stdout


def test_production_requires_the_second_factor_and_secure_cookies(tmp_path):
    script = (
        "from django.conf import settings as s; "
        "print(s.BLUESTONE_REQUIRE_TOTP, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG, s.AXES_ENABLED)"
    )
    result = run_bluestone(["shell", "--no-imports", "-c", script], env=PRODUCTION, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "True", "True", "False", "True"]


def test_production_keeps_compiled_templates_and_database_connections(tmp_path):
    # What each request would otherwise pay for again: compiling every template it renders, and
    # opening a database connection (BENCHMARKS.md, "Load test").
    script = (
        "from django.conf import settings as s; from django.template import engines; "
        "e = engines['django'].engine; "
        "print([type(x).__module__ + '.' + type(x).__name__ for x in e.template_loaders], e.debug, "
        "s.DATABASES['default']['CONN_MAX_AGE'] > 0)"
    )
    result = run_bluestone(["shell", "--no-imports", "-c", script], env=PRODUCTION, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['django.template.loaders.cached.Loader'] False True"


@pytest.mark.parametrize(
    ("unsafe", "message"),
    [
        ({"BLUESTONE_DEBUG": "1"}, "BLUESTONE_DEBUG is refused in production"),
        ({"BLUESTONE_PORTAL_URL": "http://bluestone.force.example/portal/follow/"}, "over HTTPS"),
        (
            {"BLUESTONE_NOTIFICATION_SENDER": "bluestone.victims.notifications.FileSender"},
            "BLUESTONE_ALLOW_FILE_SENDER=1",
        ),
        ({"BLUESTONE_NOTIFICATION_SENDER": "bluestone.victims.notifications.ConsoleSender"}, "sends nothing"),
        ({"BLUESTONE_ALLOWED_HOSTS": "*"}, "may not be *"),
        ({"BLUESTONE_SURFACES": "staff,admin"}, "BLUESTONE_SURFACES must be"),
        ({"BLUESTONE_NOTIFY_BASE_URL": "http://notify.example"}, "must be an https:// address"),
        ({"EMAIL_HOST_PASSWORD": "secret"}, "would go in clear"),
        ({"BLUESTONE_NOTIFY_CALLBACK_TOKEN": "short"}, "BLUESTONE_NOTIFY_CALLBACK_TOKEN must be at least 32"),
    ],
)
def test_production_refuses_an_unsafe_value(tmp_path, unsafe, message):
    result = import_production_settings({**PRODUCTION, **unsafe}, tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_takes_the_file_sender_when_told_to(tmp_path):
    env = {
        **PRODUCTION,
        "BLUESTONE_NOTIFICATION_SENDER": "bluestone.victims.notifications.FileSender",
        "BLUESTONE_ALLOW_FILE_SENDER": "1",
    }
    result = run_bluestone(["check"], env=env, cwd=tmp_path)

    assert result.returncode == 0, result.stderr


def test_production_starts_from_an_environment_file_alone(tmp_path):
    env_file = tmp_path / "bluestone.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in PRODUCTION.items() if k != "DJANGO_SETTINGS_MODULE"))
    env = {"DJANGO_SETTINGS_MODULE": PRODUCTION["DJANGO_SETTINGS_MODULE"], "BLUESTONE_ENV_FILE": str(env_file)}

    result = run_bluestone(["check", "--deploy", "--fail-level", "WARNING"], env=env, cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
