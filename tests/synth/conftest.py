"""Forces shared across the synth tests: generating once keeps the folder fast."""

from __future__ import annotations

import pyarrow as pa
import pytest

from bluestone.synth import generate_force

SMALL_CASES = 3_000
CALIBRATION_CASES = 20_000


@pytest.fixture(scope="session")
def small_force() -> dict[str, pa.Table]:
    return generate_force(cases=SMALL_CASES, seed=11)


@pytest.fixture(scope="session")
def calibration_force() -> dict[str, pa.Table]:
    return generate_force(cases=CALIBRATION_CASES, seed=2026)
