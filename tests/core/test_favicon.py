"""/favicon.ico answers on every surface with GOV.UK's icon, so that a browser's own request for it is
not a 404 (an error in the console of the portal's first page)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_site_icon_is_served_without_signing_in(client: Client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO file header
    assert client.post("/favicon.ico").status_code == 405
