"""The Victims' Code duties Bluestone tracks (rights.csv), loaded by a migration; a force may edit them."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent


def read_rights() -> list[dict[str, Any]]:
    with (REFERENCE_DIR / "rights.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            **row,
            "code_right": int(row["code_right"]),
            "standard_days": int(row["standard_days"]),
            "enhanced_days": int(row["enhanced_days"]),
            "order": int(row["order"]),
        }
        for row in rows
    ]


def rights_upsert(*, right: Any) -> None:
    """Create or update the shipped rights. Takes the model so that a migration can pass its own."""
    for row in read_rights():
        right.objects.update_or_create(code=row.pop("code"), defaults=row)
