"""This app's access-matrix rows, tried on their own (the full matrix in tests/test_access_matrix.py
tries them too, with every other app's): a quick check while working on the victims pages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.access import ANONYMOUS, ROLES, VARIANTS, Route
from tests.test_access_matrix import _outcome, world  # noqa: F401 (world is a fixture)
from tests.victims.access_rows import ROWS as VICTIM_ROWS

pytestmark = pytest.mark.django_db


def rows_tried(rows: dict[str, Route], world_, role: str) -> list[str]:
    sign_in_url = reverse(settings.LOGIN_URL)
    wrong = []
    for name, route in rows.items():
        for method, table in (("GET", route.get), ("POST", route.post)):
            if table is None:
                continue
            variants = VARIANTS if route.takes_case else ("",)
            for variant in variants:
                if route.url_kwargs:
                    kwargs = route.url_kwargs(world_, variant)
                elif route.takes_case:
                    kwargs = {"pk": world_.cases[variant].pk}
                else:
                    kwargs = {}
                expected = (table[variant] if variant else table)[role]
                client = Client()
                if role != ANONYMOUS:
                    user = world_.users[role]
                    user.refresh_from_db()
                    client.force_login(user)
                url = reverse(name, kwargs=kwargs)
                response = client.get(url) if method == "GET" else client.post(url, {})
                actual = _outcome(response, sign_in_url)
                if actual != expected:
                    wrong.append(f"{method} {name} ({variant}): expected {expected}, got {actual}")
    return wrong


@pytest.mark.parametrize("role", ROLES)
def test_victim_rows(role, world):  # noqa: F811
    assert rows_tried(VICTIM_ROWS, world, role) == []
