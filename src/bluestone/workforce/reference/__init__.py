"""The training courses shipped as reference data (courses.csv), loaded by migration 0002. An
administrator edits them afterwards on the Reference data page; loading again never overwrites an edit."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent


def read_courses() -> list[dict[str, Any]]:
    with (REFERENCE_DIR / "courses.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            "name": row["name"],
            "description": row["description"],
            "valid_for_months": int(row["valid_for_months"]) if row["valid_for_months"] else None,
            "refresher_every_months": int(row["refresher_every_months"]) if row["refresher_every_months"] else None,
            "required": row["required"] == "true",
        }
        for row in rows
    ]


def courses_load(*, course_type: Any) -> None:
    """Create the shipped courses that are missing. Takes the model class, so a migration can pass its own."""
    for row in read_courses():
        course_type.objects.get_or_create(name=row["name"], defaults=row)
