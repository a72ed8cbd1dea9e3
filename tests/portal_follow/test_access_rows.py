"""The follow-my-case rows of the access matrix, tried on their own (the full matrix tries them too)."""

from __future__ import annotations

import pytest

from tests.access import ROLES
from tests.portal_follow.access_rows import ROWS
from tests.test_access_matrix import world  # noqa: F401 (a fixture)
from tests.victims.test_access_rows import rows_tried

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_follow_rows(role, world):  # noqa: F811
    assert rows_tried(ROWS, world, role) == []
