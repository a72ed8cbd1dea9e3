"""The configurable figures can be set from the environment (a fresh interpreter reads the settings)."""

from __future__ import annotations

import os
import subprocess
import sys


def _setting(name: str, environment: dict[str, str]) -> str:
    code = (
        f"import django; django.setup(); from django.conf import settings; print(getattr(settings, {name!r}, 'unset'))"
    )
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
