"""Static files as production serves them: `collectstatic` into a fresh folder with the production
storage (WhiteNoise's compressed manifest storage), then every page of the project rendered under it.

The rest of the suite uses Django's plain storage with finders, under which a `{% static %}` naming a
file that does not exist renders a URL anyway and passes; the manifest storage refuses it (the page
fails with a server error), as it would in production. The pages are every GET route of the access
matrix (tests/test_access_matrix.py) that some role may open, as that role, and the error pages; each
static file the pages name must then be served, from the collected files, with its hashed name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client, override_settings

from tests.access import ALLOW, ANONYMOUS, STAFF, World
from tests.test_access_matrix import MATRIX, requests_for, world  # noqa: F401 (world is a fixture)

PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
STATIC_URL_IN_PAGE = re.compile(r"""(?:src|href)="(/static/[^"]+)\"""")
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")


def _production_settings(static_root: Path) -> dict[str, object]:
    return {
        "STATIC_ROOT": static_root,
        "STORAGES": {**django_settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}},
        "WHITENOISE_USE_FINDERS": False,
        "WHITENOISE_AUTOREFRESH": False,
    }


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`collectstatic` once for this module, as a deployment runs it."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(**_production_settings(static_root)):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (static_root / "staticfiles.json").is_file()
    return static_root


@pytest.fixture
def production_static(collected: Path, settings) -> Path:
    for name, value in _production_settings(collected).items():
        setattr(settings, name, value)
    return collected


def _pages(world_: World) -> Iterator[tuple[str, str]]:
    """(role, url) for every GET the matrix says some role may open, once per URL."""
    seen: set[str] = set()
    for name, _variant, method, url, key in requests_for(MATRIX, world_):
        if method != "GET" or url in seen:
            continue
        table = MATRIX[name].get
        assert table is not None
        expected = table[key] if key else table
        role = next((r for r in [ANONYMOUS, *STAFF] if expected[r] == ALLOW), None)
        if role is not None:
            seen.add(url)
            yield role, url


@pytest.mark.django_db
def test_every_page_renders_under_the_production_static_storage(production_static: Path, world) -> None:  # noqa: F811
    clients: dict[str, Client] = {}
    static_urls: set[str] = set()
    rendered = 0
    for role, url in _pages(world):
        if role not in clients:
            clients[role] = Client(raise_request_exception=True)
            if role != ANONYMOUS:
                clients[role].force_login(world.users[role])
        response = clients[role].get(url)
        assert response.status_code == 200, f"{role} {url}: {response.status_code}"
        if not response["Content-Type"].startswith("text/html"):
            continue  # the icon, downloads: no page to name a static file in
        static_urls |= set(STATIC_URL_IN_PAGE.findall(response.content.decode()))
        rendered += 1
    not_found = Client().get("/no-such-page/")
    assert not_found.status_code == 404
    static_urls |= set(STATIC_URL_IN_PAGE.findall(not_found.content.decode()))

    assert rendered > 60, "the matrix should give most of the project's pages"
    assert static_urls, "the pages should name their stylesheets and scripts"
    unhashed = sorted(u for u in static_urls if not HASHED.search(u.split("?")[0]))
    assert not unhashed, f"static URLs not from the manifest: {unhashed}"
    anonymous = Client()
    for url in sorted(static_urls):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert (production_static / url.removeprefix("/static/")).is_file(), url
        response.close()
