from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import BASE_TIME
from tests.victims.factories import VictimCase, victim_case_create


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch):
    """Fix the one clock at a moment the test chooses (default: the suite's BASE_TIME, a Tuesday)."""
    state = {"now": BASE_TIME}

    def now() -> dt.datetime:
        return state["now"]

    monkeypatch.setattr("bluestone.core.clock.now", now)

    def set_now(value: dt.datetime) -> None:
        state["now"] = value

    return set_now


@pytest.fixture
def victim_case(db, fixed_now) -> VictimCase:
    return victim_case_create()
