"""This app's access-matrix rows, tried on their own (the full matrix in tests/test_access_matrix.py
tries them too, with every other app's): a quick check while working on the victims pages."""

from __future__ import annotations

import pytest

from tests.access import ROLES
from tests.test_access_matrix import world, wrong_outcomes  # noqa: F401 (world is a fixture)
from tests.victims.access_rows import ROWS as VICTIM_ROWS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_victim_rows(role, world):  # noqa: F811
    assert wrong_outcomes(VICTIM_ROWS, world, role) == []
