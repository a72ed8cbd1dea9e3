"""The configurable figures can be set from the environment (a fresh interpreter reads the settings).

The interpreter imports the settings module only, as Django does first on start: every value and
every refusal below comes from that import, and starting the apps as well would cost seconds per test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def _setting(name: str, environment: dict[str, str]) -> str:
    code = f"import bluestone.settings.test as settings; print(getattr(settings, {name!r}, 'unset'))"
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "bluestone.settings.test"} | environment
    env = {key: value for key, value in env.items() if value != ""}  # "" means: not set
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_a_force_sets_a_clock_from_the_environment():
    assert _setting("BLUESTONE_PHONE_RETURN_HOURS", {"BLUESTONE_PHONE_RETURN_HOURS": "12"}) == "12"


def test_without_the_variable_the_apps_default_applies():
    # Not in the settings at all: the app reads it with its own default.
    assert _setting("BLUESTONE_PHONE_RETURN_HOURS", {"BLUESTONE_PHONE_RETURN_HOURS": ""}) == "unset"


def test_enhanced_rights_can_be_switched_off():
    assert (
        _setting(
            "BLUESTONE_ENHANCED_RIGHTS_FOR_SEXUAL_OFFENCES", {"BLUESTONE_ENHANCED_RIGHTS_FOR_SEXUAL_OFFENCES": "0"}
        )
        == "False"
    )


def _json_setting(name: str, environment: dict[str, str]) -> object:
    code = f"import json, bluestone.settings.test as settings; print(json.dumps(getattr(settings, {name!r}, None)))"
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "bluestone.settings.test"} | environment
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BLUESTONE_NOTIFICATION_SENDER", "bluestone.victims.notifications.NotifySender"),
        ("BLUESTONE_PORTAL_URL", "https://bluestone.force.example/portal/follow/"),
        ("BLUESTONE_SMS_GATEWAY", "force.sms.Gateway"),
        ("BLUESTONE_OUTBOX_DIR", "/srv/outbox"),
        ("BLUESTONE_CRIME_REFERENCE_PREFIX", "KT"),
        ("EMAIL_HOST", "smtp.force.example"),
        ("DEFAULT_FROM_EMAIL", "bluestone@force.example"),
    ],
)
def test_a_text_setting_comes_from_the_environment(name, value):
    assert _json_setting(name, {name: value}) == value


def test_whole_numbers_weights_and_lists_come_from_the_environment():
    environment = {
        "BLUESTONE_PORTAL_ADDRESS_ATTEMPTS": "40",
        "BLUESTONE_PRIORITY_WEIGHTS": "recency=35, seriousness=2.5",
        "BLUESTONE_SARC_WARNING_DAYS": "60,14,7",
        "EMAIL_PORT": "587",
        "EMAIL_USE_TLS": "1",
    }
    assert _json_setting("BLUESTONE_PORTAL_ADDRESS_ATTEMPTS", environment) == 40
    assert _json_setting("BLUESTONE_PRIORITY_WEIGHTS", environment) == {"recency": 35.0, "seriousness": 2.5}
    assert _json_setting("BLUESTONE_SARC_WARNING_DAYS", environment) == [60, 14, 7]
    assert _json_setting("EMAIL_PORT", environment) == 587
    assert _json_setting("EMAIL_USE_TLS", environment) is True


def test_an_environment_file_supplies_settings_and_the_environment_wins(tmp_path):
    env_file = tmp_path / "bluestone.env"
    env_file.write_text("BLUESTONE_CRIME_REFERENCE_PREFIX=KT\nEMAIL_HOST=smtp.from-file.example\n", encoding="utf-8")
    environment = {"BLUESTONE_ENV_FILE": str(env_file), "EMAIL_HOST": "smtp.from-environment.example"}

    assert _json_setting("BLUESTONE_CRIME_REFERENCE_PREFIX", environment) == "KT"
    assert _json_setting("EMAIL_HOST", environment) == "smtp.from-environment.example"


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"BLUESTONE_PORTAL_ADDRESS_ATTEMPTS": "many"}, "BLUESTONE_PORTAL_ADDRESS_ATTEMPTS must be a whole number"),
        ({"BLUESTONE_PRIORITY_WEIGHTS": "recency:3"}, "BLUESTONE_PRIORITY_WEIGHTS must be part=weight pairs"),
        ({"BLUESTONE_SARC_WARNING_DAYS": "90,soon"}, "BLUESTONE_SARC_WARNING_DAYS must be a whole number"),
        ({"BLUESTONE_ENV_FILE": "/nonexistent/bluestone.env"}, "BLUESTONE_ENV_FILE names /nonexistent/bluestone.env"),
    ],
)
def test_a_bad_value_is_refused_with_its_name(environment, message):
    code = "import bluestone.settings.test"
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "bluestone.settings.test"} | environment
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)

    assert result.returncode != 0
    assert message in result.stderr
