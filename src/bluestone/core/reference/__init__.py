"""Reference data shipped with Bluestone and loaded by migrations (a force may edit it afterwards)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent


def _cell(value: str) -> Any:
    if value in {"true", "false"}:
        return value == "true"
    return value


def read_reference(name: str) -> list[dict[str, Any]]:
    """Rows of the reference CSV file `name` (without extension), with booleans parsed."""
    with (REFERENCE_DIR / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return [{key: _cell(value) for key, value in row.items()} for row in csv.DictReader(handle)]
