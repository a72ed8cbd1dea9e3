"""Reference data shipped with the workforce app: the training courses (courses.csv, migration 0002)
and the first version of each guidance note (guidance/<key>.txt: the title on the first line, then
the text; migration 0003). Administrators edit both afterwards; loading again never overwrites an edit."""

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


def read_guidance() -> dict[str, tuple[str, str]]:
    """Each shipped note's key, title and text."""
    notes = {}
    for path in sorted((REFERENCE_DIR / "guidance").glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        notes[path.stem] = (title.strip(), body.strip())
    return notes


def guidance_load(*, note_model: Any, version_model: Any, at: Any) -> None:
    """Create the shipped notes that are missing, each as version 1 by nobody (shipped)."""
    for key, (title, body) in read_guidance().items():
        note, created = note_model.objects.get_or_create(key=key)
        if created:
            version_model.objects.create(
                note=note, number=1, title=title, body=body, change_summary="As shipped", changed_at=at
            )
