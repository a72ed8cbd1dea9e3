"""Reference data for evidence, shipped as CSV and loaded by migration 0002 (a force may edit it):
SARC sample types, categories of data for a request's scope, and the elements a written notice
must hold."""

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


def evidence_reference_upsert(*, sample_type: Any, data_category: Any, notice_element: Any) -> None:
    """Create or update the shipped rows. Takes the model classes, so a migration can pass its own."""
    for model, name in (
        (sample_type, "sample_types"),
        (data_category, "data_categories"),
        (notice_element, "notice_elements"),
    ):
        for row in read_reference(name):
            row["order"] = int(row["order"])
            model.objects.update_or_create(code=row.pop("code"), defaults=row)
