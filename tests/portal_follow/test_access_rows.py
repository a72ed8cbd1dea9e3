"""The follow-my-case rows of the access matrix, tried on their own (the full matrix tries them too)."""

from __future__ import annotations

import pytest

from tests.access import ROLES
from tests.portal_follow.access_rows import ROWS
from tests.test_access_matrix import world, wrong_outcomes  # noqa: F401 (world is a fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_follow_rows(role, world):  # noqa: F811
    assert wrong_outcomes(ROWS, world, role) == []
