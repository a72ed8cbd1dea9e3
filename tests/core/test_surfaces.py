"""Staff and portal as separate processes (docs/deployment.md): with BLUESTONE_SURFACES=portal every
staff route name answers 404, and with BLUESTONE_SURFACES=staff every portal route name does.

The route names come from the combined URL configuration of this process; each surface is then
started in a fresh process (URLs are read once at start-up), which reverses every name with sample
arguments under the combined configuration and asks its own test client for that address.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, UUIDConverter

ROOT = Path(__file__).resolve().parents[2]
COMMON = {"healthz", "readyz", "favicon"}  # on every surface


def _sample(converter: object) -> object:
    """A value the converter accepts, for reversing a route name."""
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, IntConverter):
        return 1
    return "sample"


def _names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> dict[str, dict[str, object]]:
    names: dict[str, dict[str, object]] = {}
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _names(entry.url_patterns, inner)
        elif entry.name:
            converters = getattr(entry.pattern, "converters", {})
            names[f"{namespace}{entry.name}"] = {key: _sample(c) for key, c in converters.items()}
    return names


def _combined() -> tuple[dict[str, str], dict[str, str]]:
    """Each staff and each portal route name, with a path reversed from it (sample arguments)."""
    from django.urls import reverse  # noqa: PLC0415

    staff: dict[str, str] = {}
    portal: dict[str, str] = {}
    for name, kwargs in _names(get_resolver().url_patterns).items():
        if name in COMMON:
            continue
        url = reverse(name, kwargs=kwargs)
        (portal if name.startswith("portal:") else staff)[name] = url
    return staff, portal


def _statuses(surface: str, urls: dict[str, str]) -> dict[str, int | str]:
    """Each URL's answer in a process serving `surface`: "served" if one of its routes matches, else
    the status code its test client gets (the project's 404 page)."""
    script = textwrap.dedent(
        """
        import json, sys
        import django
        django.setup()
        from django.test.utils import setup_test_environment
        setup_test_environment()
        from django.test import Client
        from django.urls import Resolver404, resolve
        urls = json.loads(sys.stdin.read())
        answers = {}
        for name, url in urls.items():
            try:
                resolve(url)
            except Resolver404:
                answers[name] = Client().get(url).status_code
            else:
                answers[name] = "served"
        print(json.dumps(answers))
        """
    )
    env = os.environ | {"BLUESTONE_SURFACES": surface, "DJANGO_SETTINGS_MODULE": "bluestone.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(urls),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answers: dict[str, int | str] = json.loads(result.stdout.strip().splitlines()[-1])
    return answers


def test_the_portal_process_answers_404_for_every_staff_route():
    staff, portal = _combined()
    assert len(staff) > 50
    assert portal

    answers = _statuses("portal", staff)

    assert {name: status for name, status in answers.items() if status != 404} == {}


def test_the_staff_process_answers_404_for_every_portal_route():
    _staff, portal = _combined()

    answers = _statuses("staff", portal)

    assert {name: status for name, status in answers.items() if status != 404} == {}


def test_each_process_still_answers_its_own_routes_and_the_health_checks():
    staff, portal = _combined()
    mine = {"portal:start": portal["portal:start"], "healthz": "/healthz", "readyz": "/readyz"}

    assert _statuses("portal", mine) == {"portal:start": "served", "healthz": "served", "readyz": "served"}
    assert _statuses("staff", {"cases:home": staff["cases:home"], "healthz": "/healthz"}) == {
        "cases:home": "served",
        "healthz": "served",
    }
